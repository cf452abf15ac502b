"""Delivery of the outbox to the hub (docs/exchange-protocol.md).

Each run releases what a dead worker left half-sent, then claims due entries a batch at a
time with one conditional UPDATE (two workers never hold the same entry), signs and POSTs
the batch, and settles each entry by the hub's answer: acknowledged (accepted or duplicate),
rejected (never retried; the administrator sees the reason), or, when the hub could not be
reached or answered with a failure, back to the queue after a backoff. Versions of one
record go out in order: an entry is claimed only once every earlier entry of the same record
and destination is settled.
"""

import json
import logging
import random
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.client import HTTPException

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ncen.bulk import json_insert
from ncen.canonical import canonical_json
from ncen.models import Administration
from ncen.settings.env import ConfigurationError, env_private_key

from .models import DeliveryAttempt, Destination, OutboxEntry
from .payload import utc_iso
from .signing import sign

log = logging.getLogger(__name__)

BATCH_FORMAT = "ncen.batch/1"
BATCH_PATH = "/exchange/hub/batches/"
# One run stops claiming after this long, leaving the rest to the next run or sweep.
RUN_BUDGET_SECONDS = 50


class NotConfigured(Exception):
    """The instance has no hub to send to, or no member code or key to sign with."""


def sending_lease() -> timedelta:
    """How long a claimed entry stays its worker's: after that, the worker is taken for dead
    and the entry goes back to the queue. The hub recognises a resend, so the worst outcome
    is a duplicate acknowledgement."""
    return timedelta(seconds=settings.NCEN_EXCHANGE_SENDING_LEASE_SECONDS)


def backoff_delay(attempts: int, *, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt: base·2^(attempts-1), at most
    the ceiling, drawn between half and all of that (jitter)."""
    base = settings.NCEN_EXCHANGE_RETRY_BASE_SECONDS
    ceiling = settings.NCEN_EXCHANGE_RETRY_CEILING_SECONDS
    exponent = min(max(attempts, 1) - 1, 32)
    delay = min(ceiling, base * 2**exponent)
    return delay * (0.5 + rand() / 2)


@dataclass
class Sender:
    """Who this instance is at the hub, and how it reaches it."""

    hub_url: str
    member: str
    administration_id: int
    key: object  # Ed25519PrivateKey

    @classmethod
    def configured(cls) -> "Sender":
        if not settings.NCEN_EXCHANGE_HUB_URL:
            raise NotConfigured("NCEN_EXCHANGE_HUB_URL is not set: no hub to send to.")
        if not settings.NCEN_EXCHANGE_MEMBER:
            raise NotConfigured("NCEN_EXCHANGE_MEMBER is not set.")
        try:
            key = env_private_key("NCEN_EXCHANGE_KEY_FILE", settings.NCEN_EXCHANGE_KEY_FILE)
        except ConfigurationError as error:
            raise NotConfigured(str(error.code)) from None
        administration_id = (
            Administration.objects.filter(code=settings.NCEN_EXCHANGE_MEMBER)
            .values_list("pk", flat=True)
            .first()
        )
        if administration_id is None:
            raise NotConfigured(
                f"NCEN_EXCHANGE_MEMBER is {settings.NCEN_EXCHANGE_MEMBER}, which is no "
                "administration of this instance."
            )
        return cls(
            hub_url=settings.NCEN_EXCHANGE_HUB_URL,
            member=settings.NCEN_EXCHANGE_MEMBER,
            administration_id=administration_id,
            key=key,
        )


# --- Claiming -------------------------------------------------------------------------------

# The due rows are picked once, by an uncorrelated ARRAY(...) subquery (an init plan), then
# updated by key. Picked by ``id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)`` instead,
# the planner may rescan the subquery for each row it updates (a nested loop, when its
# statistics say few entries are due), and each rescan skips the rows already updated and
# locks the next n: one run then takes the whole queue, in a batch larger than the hub reads.
_CLAIM = """
UPDATE exchange_outboxentry AS entry
   SET state = 'sending', claimed_by = %(token)s, claimed_at = %(now)s,
       attempts = entry.attempts + 1
 WHERE entry.id = ANY (ARRAY(
        SELECT due.id
          FROM exchange_outboxentry AS due
         WHERE due.state = 'pending'
           AND due.destination = %(destination)s
           AND due.administration_id = %(administration)s
           AND due.next_attempt_at <= %(now)s
           AND NOT EXISTS (
                SELECT 1 FROM exchange_outboxentry AS earlier
                 WHERE earlier.seizure_id = due.seizure_id
                   AND earlier.destination = due.destination
                   AND earlier.id < due.id
                   AND earlier.state IN ('pending', 'sending'))
         ORDER BY due.id
         LIMIT %(limit)s
           FOR UPDATE SKIP LOCKED))
   AND entry.state = 'pending'
RETURNING entry.id
"""


def claim(
    *, administration_id: int, destination: str, limit: int, now: datetime | None = None
) -> tuple[uuid.UUID, list[OutboxEntry]]:
    """Take up to ``limit`` due entries for this run; the ids returned are this run's alone
    (the UPDATE's own condition on the state refuses what another run took first)."""
    token = uuid.uuid4()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _CLAIM,
            {
                "token": token,
                "now": now or timezone.now(),
                "destination": destination,
                "administration": administration_id,
                "limit": limit,
            },
        )
        ids = [row[0] for row in cursor.fetchall()]
    entries = list(
        OutboxEntry.objects.filter(pk__in=ids, claimed_by=token)
        .select_related("administration")
        .order_by("id")
    )
    return token, entries


def release_stale_claims(*, now: datetime | None = None) -> int:
    """Give back to the queue what a worker killed mid-send still holds."""
    now = now or timezone.now()
    return OutboxEntry.objects.filter(
        state=OutboxEntry.State.SENDING, claimed_at__lt=now - sending_lease()
    ).update(
        state=OutboxEntry.State.PENDING,
        claimed_by=None,
        claimed_at=None,
        next_attempt_at=now,
        last_error="The worker sending it stopped before the hub answered.",
    )


# --- The batch on the wire ----------------------------------------------------------------------


def batch_body(*, batch: uuid.UUID, member: str, entries: list[OutboxEntry], now) -> bytes:
    """The canonical JSON the batch is signed and sent as. The stored payloads are canonical
    JSON already: they go in as they are, between the envelope's canonical parts, rather than
    parsed and written again, so the hub's canonical form of each is its stored bytes."""
    envelope = canonical_json(
        {
            "format": BATCH_FORMAT,
            "batch": str(batch),
            "member": member,
            "sent_at": utc_iso(now),
            "entries": [],
        }
    )
    head, tail = envelope.split(b'"entries":[]', 1)
    # An entry's keys in canonical (sorted) order: key, payload, sha256.
    listed = b",".join(
        b'{"key":%s,"payload":%s,"sha256":%s}'
        % (
            canonical_json(entry.idempotency_key),
            bytes(entry.payload),
            canonical_json(entry.payload_sha256),
        )
        for entry in entries
    )
    return head + b'"entries":[' + listed + b"]" + tail


def post(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int, dict]:
    """POST and read the hub's JSON answer. A hub that cannot be reached, refuses the
    connection, times out or breaks off raises OSError or HTTPException."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    return ask_hub(request, timeout)


def ask_hub(request: urllib.request.Request, timeout: float) -> tuple[int, dict]:
    """Send a request to the hub and read its JSON answer (status, object)."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = {"error": "not_json", "reason": raw[:200].decode("utf-8", "replace")}
    return status, answer if isinstance(answer, dict) else {}


# The transport; tests replace it to reach a hub in the same process.
transport = post


class TransportError(Exception):
    """The batch was not read: the hub is unreachable, or refused it whole."""


def send_batch(sender: Sender, entries: list[OutboxEntry], *, batch: uuid.UUID, now) -> dict:
    """Sign and POST one batch; the per-entry results by key, or TransportError."""
    body = batch_body(batch=batch, member=sender.member, entries=entries, now=now)
    headers = {
        "Content-Type": "application/json",
        "X-NCEN-Member": sender.member,
        "X-NCEN-Signature": sign(sender.key, body),
    }
    try:
        status, answer = transport(
            sender.hub_url + BATCH_PATH, body, headers, settings.NCEN_EXCHANGE_TIMEOUT_SECONDS
        )
    except (OSError, HTTPException) as failure:
        raise TransportError(f"The hub could not be reached: {failure}") from failure
    if status != 200 or not isinstance(answer.get("results"), list):
        reason = answer.get("reason") or answer.get("error") or "no reason given"
        raise TransportError(f"The hub refused the batch (HTTP {status}): {reason}")
    return {result.get("key"): result for result in answer["results"] if isinstance(result, dict)}


# --- Settling ------------------------------------------------------------------------------------


@transaction.atomic
def settle(
    *,
    token: uuid.UUID,
    batch: uuid.UUID,
    entries: list[OutboxEntry],
    results: dict,
    error: str,
    started_at: datetime,
) -> dict:
    """Apply the hub's answer to the claimed entries: ``results`` maps an idempotency key to
    {"outcome", "reason"}; an entry without one failed with ``error`` and waits to retry.
    Every update is conditional on the claim, so a run whose lease ran out changes nothing."""
    now = timezone.now()
    counts = {"accepted": 0, "duplicate": 0, "rejected": 0, "failed": 0}
    attempts = []
    mine = OutboxEntry.objects.filter(claimed_by=token, state=OutboxEntry.State.SENDING)
    acknowledged = {"accepted": [], "duplicate": []}
    for entry in entries:
        result = results.get(entry.idempotency_key) or {}
        outcome = result.get("outcome")
        if outcome in acknowledged:
            acknowledged[outcome].append(entry.pk)
            detail = ""
        elif outcome == "rejected":
            detail = str(result.get("reason") or "No reason given.")[:2000]
            mine.filter(pk=entry.pk).update(
                state=OutboxEntry.State.REJECTED,
                outcome="rejected",
                reason=detail,
                last_error="",
                acknowledged_at=now,
                claimed_by=None,
            )
        else:
            outcome = "failed"
            detail = error or "The hub's answer did not mention this entry."
            mine.filter(pk=entry.pk).update(
                state=OutboxEntry.State.PENDING,
                last_error=detail[:2000],
                next_attempt_at=now + timedelta(seconds=backoff_delay(entry.attempts)),
                claimed_by=None,
                claimed_at=None,
            )
        counts[outcome] += 1
        attempts.append(
            {
                "entry_id": entry.pk,
                "batch": batch,
                "started_at": started_at,
                "finished_at": now,
                "outcome": outcome,
                "detail": detail,
            }
        )
    for outcome, ids in acknowledged.items():
        if ids:
            mine.filter(pk__in=ids).update(
                state=OutboxEntry.State.ACKNOWLEDGED,
                outcome=outcome,
                last_error="",
                acknowledged_at=now,
                claimed_by=None,
            )
    json_insert(DeliveryAttempt, attempts)
    return counts


def deliver(*, destination: str = Destination.REGIONAL, budget: float = RUN_BUDGET_SECONDS) -> dict:
    """Send what is due until nothing is, the hub fails, or the run's budget is spent."""
    totals = {"batches": 0, "accepted": 0, "duplicate": 0, "rejected": 0, "failed": 0}
    release_stale_claims()
    try:
        sender = Sender.configured()
    except NotConfigured as reason:
        log.info("exchange: nothing sent: %s", reason)
        return {**totals, "not_configured": str(reason)}
    deadline = time.monotonic() + budget
    while time.monotonic() < deadline:
        token, entries = claim(
            administration_id=sender.administration_id,
            destination=destination,
            limit=settings.NCEN_EXCHANGE_BATCH_SIZE,
        )
        if not entries:
            break
        started_at, batch = timezone.now(), uuid.uuid4()
        results, error = {}, ""
        try:
            results = send_batch(sender, entries, batch=batch, now=started_at)
        except TransportError as failure:
            error = str(failure)
        counts = settle(
            token=token,
            batch=batch,
            entries=entries,
            results=results,
            error=error,
            started_at=started_at,
        )
        totals["batches"] += 1
        for outcome, count in counts.items():
            totals[outcome] += count
        if error:
            log.warning("exchange: batch %s not delivered: %s", batch, error)
            break  # the hub is down or refusing: the backoff decides when to try again
    return totals


def sweep() -> dict:
    """Beat's safety net: whatever is due is sent, whether or not its message reached a
    worker."""
    now = timezone.now()
    due = Q(state=OutboxEntry.State.PENDING, next_attempt_at__lte=now)
    stale = Q(state=OutboxEntry.State.SENDING, claimed_at__lt=now - sending_lease())
    if not OutboxEntry.objects.filter(due | stale).exists():
        return {"batches": 0}
    return deliver()
