"""The hub's feed: what members shared regionally, for the other members to pull
(docs/exchange-protocol.md, "The feed").

A member GETs the messages stored after its cursor, signed like a batch but over the
request line: ``request_message`` is what both sides sign and verify. The feed returns
the versions and withdrawals of records the *other* members shared regionally, in the
order the hub stored them, and a cursor to ask for what comes next: of a record's versions
after the cursor only the latest, and of a withdrawn record only its withdrawal.

Feed positions. A message gets its position only after the transaction that stored it
committed, in one serialised step (``assign_feed_positions``): under a transaction-level
advisory lock, the messages that have none are numbered after the highest position, in
the order of their ids. Each numbering commits before the next one starts, so positions
become visible in increasing order and never behind one a reader has seen. A sequence
taken inside the storing transaction would not do: a batch that took 10 and committed
after one that took 11 would put 10 behind a reader already past 11, and lose it.
"""

import base64
import binascii
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from .hub import Refusal, authenticate, parse_time
from .models import Destination, Distribution, Member, Message, RegionalVersion

FEED_FORMAT = "ncen.feed/1"
FEED_PATH = "/exchange/hub/feed/"
QUERY_PARAMETERS = frozenset({"after", "limit"})
# The advisory lock of the numbering step (pg_advisory_xact_lock takes a bigint).
_POSITION_LOCK_KEY = 0x6E464545  # "nFEE"

_ASSIGN = """
WITH start AS (
    SELECT COALESCE(MAX(feed_position), 0) AS position FROM exchange_regionalversion
), unplaced AS (
    SELECT id, row_number() OVER (ORDER BY id) AS n
      FROM exchange_regionalversion WHERE feed_position IS NULL
)
UPDATE exchange_regionalversion AS version
   SET feed_position = start.position + unplaced.n
  FROM start, unplaced
 WHERE version.id = unplaced.id
"""


def assign_feed_positions() -> int:
    """Number the committed messages that have no feed position yet; how many."""
    if not RegionalVersion.objects.filter(feed_position__isnull=True).exists():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSITION_LOCK_KEY])
        cursor.execute(_ASSIGN)
        return cursor.rowcount


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"feed:{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The position a cursor stands for; "" is the start of the feed. Refusal if it is not
    one the hub gave."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, position = text.split(":")
        if prefix == "feed" and position.isdigit():
            return int(position)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise Refusal(400, "bad_cursor", "The cursor is not one this hub gave; start again without.")


def request_message(*, method: str, path: str, query: str, timestamp: str) -> bytes:
    """What a member signs to read the feed: the method, the path, the query string exactly
    as sent, and the time, one per line."""
    return f"{method}\n{path}\n{query}\n{timestamp}".encode()


def authenticate_request(
    *, method: str, path: str, query: str, member_code: str, timestamp: str, signature: str
) -> Member:
    """The member whose key signed this feed request, or Refusal: unknown member, bad
    signature, a time that is not one or too far from the hub's clock."""
    message = request_message(method=method, path=path, query=query, timestamp=timestamp)
    member = authenticate(body=message, member_code=member_code, signature=signature)
    signed_at = parse_time(timestamp)
    if signed_at is None:
        raise Refusal(
            400, "malformed", "X-NCEN-Timestamp must be a UTC time like 2026-11-23T22:00:00Z."
        )
    skew = abs((timezone.now() - signed_at).total_seconds())
    if skew > settings.NCEN_HUB_CLOCK_SKEW_SECONDS:
        raise Refusal(
            400,
            "stale_request",
            f"The request was signed at {timestamp}, {int(skew)} seconds from the hub's "
            "clock: check the member's clock.",
        )
    return member


@dataclass
class FeedQuery:
    after: int
    limit: int


def parse_query(params) -> FeedQuery:
    unknown = sorted(set(params) - QUERY_PARAMETERS)
    if unknown:
        raise Refusal(400, "malformed", f"Unknown parameters: {', '.join(unknown)}.")
    limit_text = params.get("limit") or str(settings.NCEN_HUB_FEED_PAGE_SIZE)
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= settings.NCEN_HUB_FEED_PAGE_SIZE:
        raise Refusal(
            400,
            "malformed",
            f"limit must be a whole number from 1 to {settings.NCEN_HUB_FEED_PAGE_SIZE}.",
        )
    return FeedQuery(after=decode_cursor(params.get("after", "")), limit=int(limit_text))


# Messages the sharing policy marked regional: seizure versions whose decision shares them
# regionally, and the withdrawals of records the hub received (which it took only as
# regional messages).
SHARED_REGIONALLY = Q(payload__destination=Destination.REGIONAL) & (
    Q(message=Message.WITHDRAWAL)
    | Q(
        payload__sharing__distribution__in=[
            Distribution.REGIONAL,
            Distribution.REGIONAL_AND_GLOBAL,
        ]
    )
)


def feed_page(*, member: Member, query: FeedQuery) -> dict:
    """The messages after ``query.after`` that ``member`` may receive, oldest first."""
    assign_feed_positions()
    # Everything up to the highest position now committed is read or skipped by this page,
    # so that a run of other members' or national messages does not hold the cursor back.
    high = RegionalVersion.objects.aggregate(high=Max("feed_position"))["high"] or 0
    versions = list(
        RegionalVersion.objects.filter(
            SHARED_REGIONALLY, feed_position__gt=query.after, feed_position__lte=high
        )
        .exclude(record__member=member)
        # A withdrawn record's content no longer leaves the hub: a member that had not read
        # its versions yet gets the withdrawal alone (and stores nothing of it).
        .exclude(message=Message.SEIZURE, record__withdrawn_at__isnull=False)
        # Nor does a version a later one replaced, which this reader will get too: a member
        # behind never receives what a later approval stopped sharing.
        .exclude(
            Exists(
                RegionalVersion.objects.filter(
                    SHARED_REGIONALLY,
                    record=OuterRef("record"),
                    message=Message.SEIZURE,
                    version__gt=OuterRef("version"),
                    feed_position__lte=high,
                )
            ),
            message=Message.SEIZURE,
        )
        .select_related("record__member")
        .order_by("feed_position")[: query.limit]
    )
    more = len(versions) == query.limit and versions[-1].feed_position < high
    last = versions[-1].feed_position if more else max(high, query.after)
    return {
        "format": FEED_FORMAT,
        "entries": [_entry(version) for version in versions],
        "next": encode_cursor(last),
        "more": more,
    }


def _entry(version: RegionalVersion) -> dict:
    payload = version.payload
    record = payload["record"]
    entry = {
        "member": version.record.member.code,
        "message": version.message,
        "uuid": record["uuid"],
        "reference": record["reference"],
        "version": version.version,
        "sha256": version.payload_sha256,
        "payload": payload,
    }
    if version.message == Message.SEIZURE:
        entry["handling_code"] = payload["sharing"]["handling_code"]
        entry["source_reliability"] = payload["sharing"]["source_reliability"]
        entry["information_accuracy"] = payload["sharing"]["information_accuracy"]
    return entry
