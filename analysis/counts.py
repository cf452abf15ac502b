"""Reading the dashboard's rollup (analysis.models.SeizureCount) instead of the seizures,
when that gives exactly the same counts.

analysis.stats takes a queryset of seizures, whoever built it. ``answerable`` reads the
conditions of that queryset: when they are only the ones the rollup is keyed by (one
administration, dates from and until whole local days, an office, one commodity), the
aggregate is a sum over the rollup's rows; with any other condition (free text, a code, a
country, a status, a join) it is counted over the seizures as before.

The rollup's days are in the administration's time zone, so it answers only while that is
the active time zone (the dashboard's, see ncen.middleware) and its rollup is not outdated
by a change of zone (analysis.models.CountsOutdated).

Writers do not update the rollup's rows: the triggers append each statement's net changes,
one row per key, to analysis.models.SeizureCountChange, which has no unique key, so that
writers never wait for each other nor deadlock on a count, and a bulk import appends
rather than updates rows of a table of millions. The counts are the rollup's rows plus
those changes (``ROLLUP``), summed in one statement, which sees one snapshot of both.
``compact`` moves the changes into the rollup in one transaction (a reader sees them on
one side or the other, never both nor neither): every minute (Celery beat), once a bulk
import commits, and at the end of generate_data. Between two compactions the readers scan
the changes (an import of 2,500 seizures appends about 19,000).
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection, transaction
from django.db.models import Func, QuerySet, Value
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.sql.where import AND, WhereNode
from django.utils import timezone

from ncen.models import Administration
from seizures.models import Seizure

from .models import CountsOutdated

logger = logging.getLogger(__name__)

# The rollup's key, as the triggers of migration 0001 and 0003 write it.
KEY = "administration_id, dimension, commodity_id, day, office_id, value"

# Every count: the rollup's rows and the changes not yet compacted into them. A key may be
# in both, and several times in the changes: sum them by key.
ROLLUP = f"""(
    SELECT {KEY}, count FROM analysis_seizurecount
    UNION ALL
    SELECT {KEY}, count FROM analysis_seizurecountchange
)"""  # noqa: S608 - constant SQL

# One compaction at a time (pg_try_advisory_xact_lock); rebuild waits for it.
_COMPACTION_LOCK_KEY = 0x6E434F4D  # "nCOM"


@dataclass(frozen=True)
class CountFilter:
    """The conditions of a queryset of seizures, as keys of the rollup."""

    administration_id: int
    first_day: date | None = None
    end_day: date | None = None  # the first day no longer counted
    office_id: int | None = None
    commodity_id: int = 0  # 0: any commodity


class _NotAnswerable(Exception):
    pass


def answerable(seizures: QuerySet) -> CountFilter | None:
    """The rollup keys that select exactly ``seizures``, or None when the rollup cannot."""
    query = seizures.query
    if (
        query.model is not Seizure
        or query.is_sliced
        or query.distinct
        or query.combinator
        or query.extra
        or query.annotations
        or query.is_empty()
        # A join the conditions use (the ORM keeps unused ones with no references).
        or any(
            query.alias_refcount[alias] for alias in query.alias_map if alias != query.base_table
        )
    ):
        return None
    conditions: dict[str, object] = {}
    try:
        for lookup in _conjuncts(query.where):
            _read(lookup, query.base_table, conditions)
    except _NotAnswerable:
        return None
    if "administration_id" not in conditions:
        return None
    return CountFilter(**conditions)


def _conjuncts(node: WhereNode):
    if node.connector != AND or node.negated:
        raise _NotAnswerable
    for child in node.children:
        if isinstance(child, WhereNode):
            yield from _conjuncts(child)
        elif isinstance(child, Lookup):
            yield child
        else:
            raise _NotAnswerable


def _read(lookup: Lookup, table: str, conditions: dict) -> None:
    """Add what ``lookup`` asks to ``conditions``, or raise _NotAnswerable."""
    if not (isinstance(lookup.lhs, Col) and lookup.lhs.alias == table):
        raise _NotAnswerable
    field, value = lookup.lhs.target.name, _value(lookup)
    match field, lookup.lookup_name:
        case ("administration" | "office") as name, "exact" if isinstance(value, int):
            _put(conditions, f"{name}_id", value)
        case "commodity_ids", "contains" if isinstance(value, list) and len(value) == 1:
            _put(conditions, "commodity_id", value[0])
        case "occurred_at", "gte":
            _put(conditions, "first_day", _local_day(value))
        case "occurred_at", "lt":
            _put(conditions, "end_day", _local_day(value))
        case _:
            raise _NotAnswerable


def _value(lookup: Lookup):
    """The lookup's value, or, for an array's, the list of constants it was given (which
    the ORM writes ARRAY[...])."""
    if lookup.rhs_is_direct_value():
        return lookup.rhs
    if isinstance(lookup.rhs, Func):
        elements = lookup.rhs.get_source_expressions()
        if all(isinstance(element, Value) for element in elements):
            return [element.value for element in elements]
    raise _NotAnswerable


def _put(conditions: dict, name: str, value) -> None:
    if conditions.setdefault(name, value) != value:
        raise _NotAnswerable


def _local_day(value) -> date:
    """The day starting at ``value``, a local midnight of the active time zone."""
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise _NotAnswerable
    local = timezone.localtime(value)
    if local.time() != time.min:
        raise _NotAnswerable
    return local.date()


def read(
    where: CountFilter,
    *,
    dimension: str,
    select: list[str],
    select_params: tuple = (),
    order_by: str,
    limit: int | None = None,
    values: list | None = None,
) -> list[tuple] | None:
    """The expressions ``select`` (over the rollup's row ``c``, with ``select_params``)
    and the count of the seizures under each of their values, over the rows of
    ``dimension`` that ``where`` selects (and, given ``values``, whose value is one of
    them). None when the administration's rollup cannot answer in the active time zone:
    the caller then counts the seizures."""
    conditions = ["c.administration_id = %s", "c.dimension = %s", "c.commodity_id = %s"]
    params: list = [*select_params, where.administration_id, dimension, where.commodity_id]
    for condition, value in (
        ("c.day >= %s", where.first_day),
        ("c.day < %s", where.end_day),
        ("c.office_id = %s", where.office_id),
        ("c.value = ANY(%s)", None if values is None else [str(v) for v in values]),
    ):
        if value is not None:
            conditions.append(condition)
            params.append(value)
    groups = ", ".join(str(n) for n in range(1, len(select) + 1))
    # The rows are read only while the rollup is current for the active time zone, checked
    # in the same query; an empty answer is then told apart from an outdated rollup.
    sql = f"""
        SELECT {", ".join(select)}, sum(c.count) FROM {ROLLUP} AS c
        WHERE {" AND ".join(conditions)}
          AND EXISTS (SELECT FROM ncen_administration AS a WHERE a.id = %s AND a.time_zone = %s)
          AND NOT EXISTS (
            SELECT FROM analysis_countsoutdated AS o WHERE o.administration_id = %s
          )
        GROUP BY {groups} HAVING sum(c.count) > 0
        ORDER BY {order_by} {"" if limit is None else "LIMIT %s"}
    """  # noqa: S608 - the columns and ROLLUP are constants, the values passed apart
    zone = timezone.get_current_timezone_name()
    params += [where.administration_id, zone, where.administration_id]
    if limit is not None:
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if rows or _current(where.administration_id, zone):
        return rows
    return None


def _current(administration_id: int, zone: str) -> bool:
    """The condition of read's query on its own, in one query too."""
    return (
        Administration.objects.filter(pk=administration_id, time_zone=zone)
        .exclude(pk__in=CountsOutdated.objects.values("administration_id"))
        .exists()
    )


# The rollup's rows of one administration, as migration 0001's fill counts them.
COUNTED = """
    SELECT f.administration_id, f.dimension, f.commodity_id, f.day, f.office_id, f.value,
           count(*)
    FROM seizures_seizure AS s
    JOIN ncen_administration AS a ON a.id = s.administration_id
    CROSS JOIN LATERAL analysis_seizure_facts(s, a.time_zone) AS f
    WHERE s.administration_id = %s
    GROUP BY 1, 2, 3, 4, 5, 6
"""


@dataclass(frozen=True)
class Compaction:
    changes: int  # rows of SeizureCountChange folded in
    rows: int  # rows of the rollup they added or changed


def compact() -> Compaction | None:
    """Fold every committed change into the rollup, in one transaction; None when another
    compaction (or a rebuild) holds the lock: it is doing the same. Changes committed while
    this one runs are not in its snapshot, stay, and are folded by the next. Outside a
    transaction, the changes' table is then vacuumed: every reader scans it, dead rows
    included, until autovacuum (which may be off) has been."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_COMPACTION_LOCK_KEY])
        if not cursor.fetchone()[0]:
            return None
        # In the order of the rollup's key: neighbouring keys share the index's pages.
        cursor.execute(
            f"""
            WITH folded AS (
                DELETE FROM analysis_seizurecountchange RETURNING {KEY}, count
            ), added AS (
                INSERT INTO analysis_seizurecount AS c ({KEY}, count)
                SELECT {KEY}, sum(count) FROM folded
                GROUP BY {KEY} HAVING sum(count) <> 0
                ORDER BY {KEY}
                ON CONFLICT ({KEY}) DO UPDATE SET count = c.count + EXCLUDED.count
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM folded), (SELECT count(*) FROM added)
            """  # noqa: S608 - constant SQL
        )
        done = Compaction(*cursor.fetchone())
    if done.changes:
        logger.info("Seizure counts compacted: %s changes into %s rows", done.changes, done.rows)
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM analysis_seizurecountchange")
    return done


@transaction.atomic
def rebuild(*, administration: Administration) -> int:
    """Count the administration's seizures again, in its time zone as it is now; returns
    the rollup's rows. Writers of seizures wait until it is done (SHARE lock), so that no
    change is counted twice or missed; readers do not. Its uncompacted changes are
    counted in the rebuilt rows: they go, after any compaction under way."""
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE seizures_seizure IN SHARE MODE")
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_COMPACTION_LOCK_KEY])
        for table in ("analysis_seizurecount", "analysis_seizurecountchange"):
            cursor.execute(
                f"DELETE FROM {table} WHERE administration_id = %s",  # noqa: S608 - constant
                [administration.pk],
            )
        cursor.execute(
            f"INSERT INTO analysis_seizurecount ({KEY}, count) {COUNTED}",
            [administration.pk],
        )
        rows = cursor.rowcount
    CountsOutdated.objects.filter(administration=administration).delete()
    logger.info("Seizure counts of %s rebuilt: %s rows", administration.code, rows)
    return rows
