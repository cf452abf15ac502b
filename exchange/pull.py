"""The member's side of the feed: pulling what the other members shared regionally into
read-only received records (docs/exchange-protocol.md, "The feed").

Each page is applied in one transaction with the cursor it leads to, so a page is either
stored whole with its cursor or not at all. Applying is idempotent: a message at or below
the version a record holds changes nothing, so a page read twice stores nothing twice,
and a withdrawal hides the record's content for good.
"""

import logging
import time
import urllib.parse
import urllib.request
from http.client import HTTPException

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ncen import audit
from ncen.audit import Action, Change

from .columns import blank_columns, searchable_columns
from .delivery import NotConfigured, Sender, TransportError, ask_hub
from .feed import FEED_FORMAT, FEED_PATH, request_message
from .hub import parse_time, schema_errors
from .models import FeedPull, Message, ReceivedRecord
from .payload import utc_iso
from .signing import sign

log = logging.getLogger(__name__)

# One run stops asking for pages after this long; the next run goes on from the cursor.
RUN_BUDGET_SECONDS = 50


def get(url: str, headers: dict, timeout: float) -> tuple[int, dict]:
    """GET and read the hub's JSON answer; OSError or HTTPException when it cannot."""
    request = urllib.request.Request(url, headers=headers, method="GET")  # noqa: S310
    return ask_hub(request, timeout)


# The transport; tests replace it to reach a hub in the same process.
transport = get


def fetch_page(sender: Sender, *, cursor: str) -> dict:
    """One signed GET of the feed after ``cursor``; the page, or TransportError."""
    query = urllib.parse.urlencode({"after": cursor} if cursor else {})
    timestamp = utc_iso(timezone.now())
    message = request_message(method="GET", path=FEED_PATH, query=query, timestamp=timestamp)
    headers = {
        "Accept": "application/json",
        "X-NCEN-Member": sender.member,
        "X-NCEN-Timestamp": timestamp,
        "X-NCEN-Signature": sign(sender.key, message),
    }
    url = sender.hub_url + FEED_PATH + (f"?{query}" if query else "")
    try:
        status, answer = transport(url, headers, settings.NCEN_EXCHANGE_TIMEOUT_SECONDS)
    except (OSError, HTTPException) as failure:
        raise TransportError(f"The hub could not be reached: {failure}") from failure
    if status != 200 or answer.get("format") != FEED_FORMAT:
        reason = answer.get("reason") or answer.get("error") or "no reason given"
        raise TransportError(f"The hub refused the feed request (HTTP {status}): {reason}")
    if not isinstance(answer.get("entries"), list) or not isinstance(answer.get("next"), str):
        raise TransportError("The hub's feed page has no entries or no next cursor.")
    return answer


def _content(payload: dict) -> dict:
    sharing = payload["sharing"]
    return {
        "reference": payload["record"]["reference"],
        "version": payload["record"]["version"],
        "payload": payload,
        "handling_code": sharing["handling_code"],
        "handling_text": sharing["handling_text"],
        "source_reliability": sharing["source_reliability"],
        "information_accuracy": sharing["information_accuracy"],
        **searchable_columns(payload),
    }


def _apply(*, administration_id: int, own_member: str, entry) -> tuple[str, ReceivedRecord | None]:
    """Apply one feed entry: ("received" | "updated" | "withdrawn", record) when it changed
    something, ("skipped", None) when it did not, or ("refused", reason) when it is not a
    message this instance takes."""
    payload = entry.get("payload") if isinstance(entry, dict) else None
    error = schema_errors(payload)
    if error:
        return "refused", f"The message breaks the payload schema: {error}"
    if payload["member"] == own_member:
        return "refused", "The feed returned one of this administration's own records."
    if payload["destination"] != "regional":
        return "refused", "The feed returned a message that was not shared regionally."
    record_ref = payload["record"]
    record = (
        ReceivedRecord.objects.select_for_update()
        .filter(
            administration_id=administration_id,
            member=payload["member"],
            record_uuid=record_ref["uuid"],
        )
        .first()
    )
    if payload["message"] == Message.WITHDRAWAL:
        if record is None or record.withdrawn_at is not None:
            return "skipped", None
        record.withdrawn_at = parse_time(payload["withdrawn_at"])
        record.payload = {}
        for name, value in blank_columns().items():
            setattr(record, name, value)
        record.save()
        return "withdrawn", record
    if record is None:
        record = ReceivedRecord.objects.create(
            administration_id=administration_id,
            member=payload["member"],
            record_uuid=record_ref["uuid"],
            **_content(payload),
        )
        return "received", record
    if record.withdrawn_at is not None or record_ref["version"] <= record.version:
        return "skipped", None
    for name, value in _content(payload).items():
        setattr(record, name, value)
    record.save()
    return "updated", record


AUDIT_ACTIONS = {
    "received": Action.REGIONAL_RECORD_RECEIVED,
    "updated": Action.REGIONAL_RECORD_RECEIVED,
    "withdrawn": Action.REGIONAL_RECORD_WITHDRAWN,
}


@transaction.atomic
def apply_page(*, sender: Sender, cursor: str, page: dict) -> dict | None:
    """Store one page and move the cursor to its next, in one transaction. None when the
    cursor moved meanwhile (another pull applied this page): nothing is stored."""
    pull = FeedPull.objects.select_for_update().get(administration_id=sender.administration_id)
    if pull.cursor != cursor:
        return None
    counts = {"received": 0, "updated": 0, "withdrawn": 0, "skipped": 0, "refused": 0}
    changes = {action: [] for action in set(AUDIT_ACTIONS.values())}
    refusals = []
    for entry in page["entries"]:
        outcome, result = _apply(
            administration_id=sender.administration_id, own_member=sender.member, entry=entry
        )
        counts[outcome] += 1
        if outcome == "refused":
            refusals.append(result)
        elif result is not None:
            changes[AUDIT_ACTIONS[outcome]].append(
                Change(
                    target=result,
                    after={
                        "member": result.member,
                        "reference": result.reference,
                        "version": result.version,
                        "withdrawn": result.withdrawn_at is not None,
                    },
                )
            )
    for action, action_changes in changes.items():
        if action_changes:
            audit.record_many(
                action=action,
                administration=pull.administration,
                changes=action_changes,
            )
    pull.cursor = page["next"]
    pull.received += len(page["entries"]) - counts["refused"]
    pull.save(update_fields=["cursor", "received"])
    counts["refusals"] = refusals
    return counts


def _note(administration_id: int, *, error: str) -> None:
    now = timezone.now()
    values = {"last_attempt_at": now, "last_error": error[:2000]}
    if not error:
        values["last_success_at"] = now
    FeedPull.objects.filter(administration_id=administration_id).update(**values)


def pull(*, budget: float = RUN_BUDGET_SECONDS) -> dict:
    """Read the feed page after page until it has nothing more, the hub fails, or the run's
    budget is spent; the outcome is kept on the FeedPull row the exchange page shows."""
    totals = {"pages": 0, "received": 0, "updated": 0, "withdrawn": 0, "skipped": 0, "refused": 0}
    try:
        sender = Sender.configured()
    except NotConfigured as reason:
        log.info("exchange: nothing pulled: %s", reason)
        return {**totals, "not_configured": str(reason)}
    FeedPull.objects.get_or_create(administration_id=sender.administration_id)
    deadline = time.monotonic() + budget
    refusals = []
    while time.monotonic() < deadline:
        cursor = FeedPull.objects.get(administration_id=sender.administration_id).cursor
        try:
            page = fetch_page(sender, cursor=cursor)
        except TransportError as failure:
            _note(sender.administration_id, error=str(failure))
            log.warning("exchange: feed not read: %s", failure)
            return {**totals, "error": str(failure)}
        counts = apply_page(sender=sender, cursor=cursor, page=page)
        if counts is None:
            break  # another pull holds the feed: it goes on from where it is
        totals["pages"] += 1
        refusals += counts.pop("refusals")
        for outcome, count in counts.items():
            totals[outcome] += count
        if not page.get("more"):
            break
    error = ""
    if refusals:
        error = f"{len(refusals)} messages were not taken; the last: {refusals[-1]}"
    _note(sender.administration_id, error=error)
    return totals
