"""The audit trail is append-only in PostgreSQL and its hash chain shows tampering."""

import itertools
import json
from datetime import UTC

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError

from ncen import audit
from ncen.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(fj_admin):
    for n in range(5):
        audit.record(
            action="user_updated",
            actor=fj_admin,
            object_type="test",
            object_id=n,
            before={"n": n, "value": 1.5e20},
            after={"n": n + 1, "text": "é<script>"},
        )
    return list(AuditEntry.objects.order_by("sequence"))


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        # Foreign-key checks queued in the test's transaction would block ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE ncen_auditentry DISABLE TRIGGER ncen_audit_entry_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE ncen_auditentry ENABLE TRIGGER ncen_audit_entry_append_only")


def test_untouched_chain_verifies(chain, capsys):
    call_command("audit_verify")
    assert "5 entries verified" in capsys.readouterr().out


def test_entries_chain_to_their_predecessor(chain):
    assert chain[0].previous_hash == audit.GENESIS_HASH
    for previous, entry in itertools.pairwise(chain):
        assert entry.previous_hash == previous.entry_hash
        assert entry.sequence == previous.sequence + 1


def test_altered_row_is_named(chain):
    _raw("UPDATE ncen_auditentry SET reason = 'nothing happened' WHERE sequence = 3")
    with pytest.raises(CommandError, match="entry 3 was altered"):
        call_command("audit_verify")


def test_altered_json_is_named(chain):
    _raw("""UPDATE ncen_auditentry SET "after" = '{"n": 99}' WHERE sequence = 2""")
    with pytest.raises(CommandError, match="entry 2 was altered"):
        call_command("audit_verify")


def test_missing_row_is_named(chain):
    _raw("DELETE FROM ncen_auditentry WHERE sequence = 4")
    with pytest.raises(CommandError, match="entry 4 is missing"):
        call_command("audit_verify")


def test_rewritten_row_with_recomputed_hash_breaks_the_next_link(chain):
    entry = chain[1]
    entry.reason = "rewritten"
    new_hash = audit.entry_hash(entry)
    _raw(
        "UPDATE ncen_auditentry SET reason = %s, entry_hash = %s WHERE sequence = 2",
        ["rewritten", new_hash],
    )
    with pytest.raises(CommandError, match="entry 3 does not follow entry 2"):
        call_command("audit_verify")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ncen_auditentry SET reason = 'x' WHERE sequence = 1",
        "DELETE FROM ncen_auditentry WHERE sequence = 1",
    ],
)
def test_update_and_delete_fail_from_the_application_role(chain, sql):
    with (
        pytest.raises((InternalError, ProgrammingError), match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEntry.objects.get(sequence=1).reason == ""


def test_orm_update_and_delete_fail(chain):
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        AuditEntry.objects.filter(sequence=2).update(action="nothing")
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        AuditEntry.objects.filter(sequence=2).delete()
    assert AuditEntry.objects.count() == 5


def test_audit_page_shows_only_own_administration_and_filters(chain, fj_admin, ws_admin):
    from ..conftest import signed_in_client

    audit.record(action="user_updated", actor=ws_admin, object_type="test", object_id="ws")
    page = signed_in_client(fj_admin).get("/audit/", {"object_type": "test"})
    shown = [entry.object_id for entry in page.context["page"]]
    assert sorted(shown) == ["0", "1", "2", "3", "4"]
    assert "é&lt;script&gt;" in page.content.decode()
    filtered = signed_in_client(ws_admin).get("/audit/", {"action": "user_updated"})
    assert [entry.object_id for entry in filtered.context["page"]] == ["ws"]


class _Colour(str):
    """A str subclass, as TextChoices members are."""


class _Level(int):
    """An int subclass, as IntegerChoices members are: json writes it as a plain int."""


def test_documents_are_made_json_as_a_json_round_trip_would(fj_admin):
    import uuid
    from datetime import date, datetime, timedelta
    from datetime import timezone as tz
    from decimal import Decimal

    from django.utils.translation import gettext_lazy
    from django_countries.fields import Country

    from ncen.models import Role

    values = {
        "text": "é\u2028<b>",
        "enum": Role.OFFICER,
        "subclass": _Colour("red"),
        "numbers": [0, -7, 2**70, 1.5, 1e20, float("inf"), True, False, None],
        "decimals": [Decimal("1.200"), Decimal("-0.5"), Decimal("1E+3")],
        "moments": [
            datetime(2026, 3, 14, 9, 30, 12, 345678, tzinfo=UTC),
            datetime(2026, 3, 14, 9, 30, tzinfo=tz(timedelta(hours=12))),
            date(2026, 1, 2),
            timedelta(hours=1, seconds=3),
        ],
        "uuid": uuid.UUID(int=5),
        "model": fj_admin,
        "country": Country("FJ"),
        "lazy": gettext_lazy("Seizure recorded"),
        "tuple": (1, ("a", {"b": None})),
        "keys": {1: "one", 2.5: "two and a half", False: "no", None: "none"},
        "later keys": {"a": Decimal("1.5"), 3: [Decimal("2")], "b": _Level(4)},
        "int subclass": [_Level(2), {"level": _Level(3)}],
        "nested": [{"x": [Decimal("3.10")]}],
    }
    expected = json.loads(json.dumps(values, cls=audit._Encoder))
    made = audit._as_json(values)
    assert made == expected
    assert json.dumps(made) == json.dumps(expected)  # the same types, in the same order
    assert audit._as_json(fj_admin) == fj_admin.pk


def test_documents_with_floats_are_stored_as_postgresql_gives_them_back(fj_admin):
    entries = audit.record_many(
        action="user_updated",
        actor=fj_admin,
        changes=[
            audit.Change(object_type="test", object_id="1", after={"big": 1e20, "n": 2}),
            audit.Change(object_type="test", object_id="2", after={"text": "plain", "n": [1]}),
            audit.Change(
                object_type="test", object_id="3", after={"items": [{"n": [None]}, {"q": 1e20}]}
            ),
        ],
    )
    assert entries[0].after == {"big": 100000000000000000000, "n": 2}
    assert entries[1].after == {"text": "plain", "n": [1]}
    assert (
        json.dumps(entries[2].after) == '{"items": [{"n": [null]}, {"q": 100000000000000000000}]}'
    )
    for entry in entries:
        stored = AuditEntry.objects.get(pk=entry.pk)
        assert stored.after == entry.after
        assert audit.entry_hash(stored) == stored.entry_hash
    assert audit.verify_chain()[1] is None
