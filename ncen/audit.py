"""The audit trail: append-only, hash-chained entries written by services.

Each entry stores the hash of the entry before it and the hash of its own content, so
removing or altering a row breaks the chain where it happened. PostgreSQL refuses UPDATE and
DELETE on the table (see the migration that installs the trigger); ``verify_chain`` finds
rows changed by someone who got around that.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country
from psycopg.types.json import Jsonb

from . import context
from .bulk import JsonText, copy_insert, json_insert, stored_value
from .canonical import canonical_json
from .models import Administration, AuditEntry

GENESIS_HASH = "0" * 64
# One chain for the whole instance: writers queue on this lock until their transaction ends.
_CHAIN_LOCK_KEY = 0x6E43454E  # "nCEN"


class Action(models.TextChoices):
    """Audit action names, listed once so that filters and reports can rely on them."""

    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_IN_LOCKED = "sign_in_locked", _("Sign-in refused: locked")
    SIGN_OUT = "sign_out", _("Signed out")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Authenticator app enrolled")
    SECOND_FACTOR_VERIFIED = "second_factor_verified", _("Second factor verified")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong second-factor code")
    PASSWORD_SET = "password_set", _("Password set")
    API_TOKEN_ROTATED = "api_token_rotated", _("API token replaced")
    USER_INVITED = "user_invited", _("User invited")
    USER_UPDATED = "user_updated", _("User changed")
    USER_DEACTIVATED = "user_deactivated", _("User deactivated")
    USER_REACTIVATED = "user_reactivated", _("User reactivated")
    USER_PASSWORD_RESET = "user_password_reset", _("Password reset")
    USER_INACTIVITY_WARNED = "user_inactivity_warned", _("Warned of deactivation")
    USER_DEACTIVATED_UNUSED = "user_deactivated_unused", _("Deactivated: unused")
    SEIZURE_CREATED = "seizure_created", _("Seizure recorded")
    SEIZURE_UPDATED = "seizure_updated", _("Seizure changed")
    SEIZURE_SUBMITTED = "seizure_submitted", _("Submitted for review")
    SEIZURE_RETURNED = "seizure_returned", _("Returned with comments")
    SEIZURE_APPROVED = "seizure_approved", _("Approved")
    SEIZURE_WITHDRAWN = "seizure_withdrawn", _("Withdrawn")
    SHARING_POLICY_CHANGED = "sharing_policy_changed", _("Sharing policy changed")
    SEIZURES_IMPORTED = "seizures_imported", _("Seizures imported from a spreadsheet")
    EXCHANGE_RETRY_REQUESTED = "exchange_retry_requested", _("Exchange: retry requested")
    EXCHANGE_MEMBER_ADDED = "exchange_member_added", _("Exchange member registered")
    EXCHANGE_MEMBER_CHANGED = "exchange_member_changed", _("Exchange member changed")
    REGIONAL_RECORD_RECEIVED = "regional_record_received", _("Regional record received")
    REGIONAL_RECORD_WITHDRAWN = "regional_record_withdrawn", _("Regional record withdrawn")
    SHARED_NOMINAL_VIEWED = "shared_nominal_viewed", _("Persons of a shared record viewed")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    ATTACHMENT_REMOVED = "attachment_removed", _("Attachment removed")
    CODE_ADDED = "code_added", _("Code list entry added")
    CODE_CHANGED = "code_changed", _("Code list entry changed")
    PERSON_CREATED = "person_created", _("Person recorded")
    PERSON_UPDATED = "person_updated", _("Person changed")
    PERSON_VIEWED = "person_viewed", _("Person viewed")
    BUSINESS_CREATED = "business_created", _("Business recorded")
    BUSINESS_UPDATED = "business_updated", _("Business changed")
    BUSINESS_VIEWED = "business_viewed", _("Business viewed")
    CONVEYANCE_CREATED = "conveyance_created", _("Conveyance recorded")
    CONVEYANCE_UPDATED = "conveyance_updated", _("Conveyance changed")
    CASE_LINK_ADDED = "case_link_added", _("Linked to a case")
    CASE_LINK_REMOVED = "case_link_removed", _("Link to a case removed")
    NOMINAL_EXPORTED = "nominal_exported", _("Nominal data exported")
    DUPLICATE_JUDGED = "duplicate_judged", _("Possible duplicate judged")
    PERSONS_MERGED = "persons_merged", _("Persons merged")
    PERSONS_MERGE_UNDONE = "persons_merge_undone", _("Merge of persons undone")
    REPORT_GENERATED = "report_generated", _("Report made")
    REPORT_DOWNLOADED = "report_downloaded", _("Report downloaded")
    INDICATOR_CREATED = "indicator_created", _("Risk indicator created")
    INDICATOR_UPDATED = "indicator_updated", _("Risk indicator changed")
    INDICATOR_DEACTIVATED = "indicator_deactivated", _("Risk indicator deactivated")
    INDICATOR_REACTIVATED = "indicator_reactivated", _("Risk indicator reactivated")
    INDICATOR_HIT = "indicator_hit", _("Record matched a risk indicator")
    BUSINESSES_MERGED = "businesses_merged", _("Businesses merged")
    BUSINESSES_MERGE_UNDONE = "businesses_merge_undone", _("Merge of businesses undone")
    ADMIN_ADD = "admin_add", _("Added in Django admin")
    ADMIN_CHANGE = "admin_change", _("Changed in Django admin")
    ADMIN_DELETE = "admin_delete", _("Deleted in Django admin")


def action_label(action: str) -> str:
    """The readable name of an action; a name no longer listed shows as it is stored."""
    try:
        return Action(action).label
    except ValueError:
        return action


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The named fields of ``instance`` as JSON-ready values (foreign keys as ids)."""
    values = {}
    for name in fields:
        values[name] = stored_value(instance, instance._meta.get_field(name))
    return _as_json(values)


def row_snapshot(row: dict, fields: Iterable[str]) -> dict:
    """snapshot of a row given as values by field name, foreign keys as ids (a queryset's
    values(), or ncen.bulk.copy_insert_rows' rows as written)."""
    return _as_json({name: row[name] for name in fields})


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, models.Model):
            return o.pk
        if isinstance(o, Country):
            return o.code
        return super().default(o)


_ENCODER = _Encoder()


# The types json.loads gives back as they are (not their subclasses: an IntEnum is
# written as an int): most of a document's values, returned at once.
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _as_json(value):
    """What json.loads(json.dumps(value, cls=_Encoder)) gives, without writing the text:
    the encoder's own order of checks, its default() for other objects."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if value is None or value is True or value is False:
        return value
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    # Plain members are kept without a call: most of a document.
    if isinstance(value, list | tuple):
        return [item if type(item) in _PLAIN else _as_json(item) for item in value]
    if isinstance(value, dict):
        converted = {}
        for key, item in value.items():
            if type(key) is not str:
                return json.loads(json.dumps(value, cls=_Encoder))  # keys json turns into text
            converted[key] = item if type(item) in _PLAIN else _as_json(item)
        return converted
    return _as_json(_ENCODER.default(value))


# The columns an entry's hash covers: all but its own hash (and its key).
HASHED_COLUMNS = (
    "sequence",
    "created_at",
    "actor_id",
    "actor_username",
    "administration_id",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "reason",
    "request_id",
    "ip_address",
    "previous_hash",
)


def entry_hash(entry: AuditEntry) -> str:
    content = _hashed({column: getattr(entry, column) for column in HASHED_COLUMNS})
    return hashlib.sha256(content).hexdigest()


def _hashed(row: dict) -> bytes:
    """What an entry's hash is of, from its row by column: the columns it covers, its time
    as text, as canonical JSON."""
    content = {column: row[column] for column in HASHED_COLUMNS}
    content["created_at"] = row["created_at"].isoformat()
    return canonical_json(content)


def record(
    *,
    action: str,
    actor=None,
    administration: Administration | None = None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the change it describes."""
    (entry,) = record_many(
        action=action,
        actor=actor,
        administration=administration,
        changes=[
            Change(
                target=target,
                object_type=object_type,
                object_id=object_id,
                before=before,
                after=after,
            )
        ],
        reason=reason,
    )
    return entry


@dataclass(frozen=True)
class Change:
    """What one entry of ``record_many`` says about its object."""

    target: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    before: dict | None = None
    after: dict | None = None


def record_many(
    *,
    action: str,
    actor=None,
    administration: Administration | None = None,
    changes: list[Change],
    reason: str = "",
) -> list[AuditEntry]:
    """Append one entry per change, in order, with one wait for the chain's lock and one
    insert: what a bulk service writes for each record it saves. Call it inside the
    transaction of the changes."""
    with transaction.atomic():
        batch = Batch(action=action, actor=actor, administration=administration, reason=reason)
        entries = batch.entries(changes)
        batch.write(entries)
    return entries


class Batch:
    """Entries of one action appended in several steps of the caller's transaction: the
    chain's lock is waited for and its last entry read once, when the batch starts;
    ``entries`` then makes each step's entries, asking PostgreSQL nothing unless a document
    holds a fractional number (see _as_stored), and ``write`` appends them; or ``rows``
    makes them as rows, which ``send`` appends. A bulk service makes a chunk's rows while
    PostgreSQL inserts the chunk."""

    def __init__(
        self,
        *,
        action: str,
        actor=None,
        administration: Administration | None = None,
        reason: str = "",
    ):
        if administration is None and actor is not None and actor.is_authenticated:
            administration = actor.administration
        self.action = action
        self.actor = actor
        self.administration = administration
        self.reason = reason
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        self.sequence = last["sequence"] if last else 0
        self.previous_hash = last["entry_hash"] if last else GENESIS_HASH

    def entries(self, changes: list[Change]) -> list[AuditEntry]:
        """The entries of ``changes``, next in the chain after those made before."""
        entries = [AuditEntry(**row) for row, _json in self._rows(changes)]
        actor = self.actor if self.actor is not None and self.actor.is_authenticated else None
        for entry in entries:
            # The instances given, as their keys are: entry.actor needs no query.
            entry.actor, entry.administration = actor, self.administration
        return entries

    def rows(self, changes: list[Change]) -> list[JsonText]:
        """The entries of ``changes``, next in the chain after those made before, as their
        rows in JSON, which send takes (no model instance made): each the JSON its hash is
        of, which names every column, with the hash added."""
        return [
            JsonText(b'%s,"entry_hash":"%s"}' % (hashed[:-1], row["entry_hash"].encode()))
            for row, hashed in self._rows(changes)
        ]

    def _rows(self, changes: list[Change]) -> list[tuple[dict, bytes]]:
        """Each entry of ``changes`` as its row by column, and the JSON its hash is of."""
        actor = self.actor
        documents = [
            _as_json(value) for change in changes for value in (change.before, change.after)
        ]
        with connection.cursor() as cursor:
            stored = _as_stored(cursor, documents)
        shared = {
            "actor_id": actor.pk if actor is not None and actor.is_authenticated else None,
            "actor_username": actor.get_username() if actor is not None else "",
            "administration_id": (
                self.administration.pk if self.administration is not None else None
            ),
            "action": self.action,
            "reason": self.reason,
            "request_id": context.request_id.get(),
            "ip_address": context.ip_address.get(),
        }
        rows = []
        for index, change in enumerate(changes):
            object_type, object_id = change.object_type, change.object_id
            if change.target is not None:
                object_type = object_type or change.target._meta.label_lower
                object_id = object_id or str(change.target.pk)
            self.sequence += 1
            row = {
                **shared,
                "sequence": self.sequence,
                "previous_hash": self.previous_hash,
                "created_at": timezone.now(),
                "object_type": object_type,
                "object_id": str(object_id),
                "before": stored[2 * index],
                "after": stored[2 * index + 1],
            }
            hashed = _hashed(row)
            row["entry_hash"] = self.previous_hash = hashlib.sha256(hashed).hexdigest()
            rows.append((row, hashed))
        return rows

    @staticmethod
    def write(entries: list[AuditEntry]) -> None:
        # Their actor and administration are rows read from the database.
        copy_insert(entries, related_saved=True)

    @staticmethod
    def send(rows: list[JsonText]) -> None:
        """Append entries (rows made by ``rows``) by one INSERT of a JSON parameter, which a
        caller in pipeline mode can queue behind its own statements (COPY cannot go in a
        pipeline) and go on while PostgreSQL writes them; their keys are not read back."""
        json_insert(AuditEntry, rows, columns=[*HASHED_COLUMNS, "entry_hash"])


def _as_stored(cursor, documents: list) -> list:
    """The documents as PostgreSQL will give them back, so that the hash can be recomputed
    from the row. jsonb keeps text, integers, true, false and null as they are, but writes
    a number with a fraction or an exponent as a numeric (1e3 comes back as 1000): only
    documents holding such numbers are sent to it to see."""
    with_floats = [index for index, document in enumerate(documents) if _has_float(document)]
    if not with_floats:
        return documents
    cursor.execute(
        "SELECT value::text FROM jsonb_array_elements(%s) WITH ORDINALITY AS t(value, n) "
        "ORDER BY n",
        [Jsonb([documents[index] for index in with_floats])],
    )
    stored = list(documents)
    for index, (value,) in zip(with_floats, cursor.fetchall(), strict=True):
        stored[index] = json.loads(value)
    return stored


def _has_float(document) -> bool:
    """Whether a document _as_json made (plain dicts, lists and values) holds a float: a
    loop over the values still to see rather than a call for each."""
    pending = [document]
    while pending:
        value = pending.pop()
        kind = type(value)
        if kind is dict:
            pending.extend(value.values())
        elif kind is list:
            pending.extend(value)
        elif kind is float:
            return True
    return False


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    problem: str


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Walk the chain from the first entry; return the count checked and the first break."""
    expected_sequence = 1
    expected_previous = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return checked, ChainBreak(
                expected_sequence,
                f"entry {expected_sequence} is missing (the next entry is {entry.sequence})",
            )
        if entry.previous_hash != expected_previous:
            return checked, ChainBreak(
                entry.sequence,
                f"entry {entry.sequence} does not follow entry {entry.sequence - 1}: "
                "an entry before it was removed or rewritten",
            )
        if entry_hash(entry) != entry.entry_hash:
            return checked, ChainBreak(
                entry.sequence, f"entry {entry.sequence} was altered after it was written"
            )
        checked += 1
        expected_sequence += 1
        expected_previous = entry.entry_hash
    return checked, None
