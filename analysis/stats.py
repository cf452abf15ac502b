"""The dashboard's aggregates: counts of seizures over time and by route, source country and
detection method.

Every function takes ``seizures``, a queryset already narrowed by the visibility choke point
(``Seizure.objects.visible_to``) and the seizures' FilterSet, and counts what it is given:
the page, the API and printed bulletins call these same functions, so they show the same
figures for the same filters. They read only columns that a record shared with the regional
exchange keeps too (date, code-list entries, countries, commodities): given the ``source``
REGIONAL, the dashboard's functions count the hub's regional records (a queryset of
exchange's RegionalRecord, narrowed by its own FilterSet) with the same queries. Counts are
of seizures: a seizure with items of two commodities counts once under each.

Each first asks the rollup (analysis.counts), which answers the filters it is keyed by
(dates, office, commodity) with the same counts in a few thousand rows instead of up to a
million; any other filter is counted over the seizures. The rollup keeps seizures only: the
hub's regional records, a few thousand a year, are always counted directly.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Case, Count, DateField, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Trunc
from django.utils import timezone

from . import counts

PERIODS = ("week", "month", "year")


@dataclass(frozen=True)
class Split:
    """A way of splitting the seizures of each period: the column counted and the filter
    of the seizures' FilterSet that selects one of its values."""

    name: str
    column: str
    parameter: str


@dataclass(frozen=True)
class Source:
    """Where the records counted keep each thing the figures read: their columns, and the
    value a code column holds when nothing is recorded (counted under the key None)."""

    splits: dict[str, Split]
    not_recorded: str | None
    origin: str = "origin_country"
    destination: str = "destination_country"
    route_countries: str = "route_countries"

    @property
    def detection_method(self) -> str:
        return self.splits["detection_method"].column

    def key(self, value):
        return None if value == self.not_recorded else value


def _splits(*splits: Split) -> dict[str, Split]:
    return {split.name: split for split in splits}


# The seizures: code-list entries by id (None when not recorded).
SEIZURES = Source(
    splits=_splits(
        Split("commodity", "commodity_ids", "commodity"),
        Split("office", "office_id", "office"),
        Split("transport_mode", "transport_mode_id", "transport_mode"),
        Split("detection_method", "detection_method_id", "detection_method"),
        Split("concealment_method", "concealment_method_id", "concealment_method"),
    ),
    not_recorded=None,
)
# The hub's regional records (exchange.columns): entries by code ('' when not recorded),
# split by the member that shared them rather than by office.
REGIONAL = Source(
    splits=_splits(
        Split("commodity", "commodity_codes", "commodity"),
        Split("member", "member_id", "member"),
        Split("transport_mode", "transport_mode", "transport_mode"),
        Split("detection_method", "detection_method", "detection_method"),
        Split("concealment_method", "concealment_method", "concealment_method"),
    ),
    not_recorded="",
)
SPLITS = SEIZURES.splits


@dataclass(frozen=True)
class PeriodCount:
    """Seizures of one period (starting on ``start``, in the active time zone) with the
    value ``key`` of the split (None: not recorded)."""

    start: date
    key: int | str | None
    count: int


def _plain(seizures: QuerySet) -> QuerySet:
    """The filtered seizures without the list's order and eager loading, which an aggregate
    does not need."""
    return seizures.order_by().prefetch_related(None).select_related(None)


def over_time(
    seizures: QuerySet,
    *,
    period: str,
    split: str,
    commodities: list | None = None,
    source: Source = SEIZURES,
) -> list[PeriodCount]:
    """Seizures per period (week, month or year, in the active time zone: the
    administration's), split by ``split``. Split by commodity, only the entries of
    ``commodities`` are counted (see commodity_split_codes)."""
    if period not in PERIODS or split not in source.splits:
        raise ValueError(f"Unknown period {period!r} or split {split!r}.")
    counted = _counted_over_time(seizures, period=period, split=split, commodities=commodities)
    if counted is not None:
        return counted
    column = source.splits[split].column
    if split == "commodity":
        return _commodities_over_time(
            seizures, period=period, commodities=commodities or [], column=column
        )
    rows = (
        _plain(seizures)
        .annotate(
            start=Trunc(
                "occurred_at",
                period,
                output_field=DateField(),
                tzinfo=timezone.get_current_timezone(),
            )
        )
        .values_list("start", column)
        .annotate(count=Count("*"))
        .order_by("start", column)
    )
    return [PeriodCount(start, source.key(key), count) for start, key, count in rows]


def _counted_over_time(
    seizures: QuerySet, *, period: str, split: str, commodities: list[int] | None
) -> list[PeriodCount] | None:
    office = split == "office"
    rows = _from_rollup(
        seizures,
        dimension="total" if office else split,
        select=["date_trunc(%s, c.day::timestamp)::date", "c.office_id" if office else "c.value"],
        select_params=(period,),
        values=(commodities or []) if split == "commodity" else None,
        order_by="1, 2",
    )
    if rows is None:
        return None
    found = [PeriodCount(start, key if office else _code(key), n) for start, key, n in rows]
    # As the seizures' query orders them: by period, then key, "not recorded" last.
    return sorted(found, key=lambda row: (row.start, row.key is None, row.key or 0))


def _from_rollup(seizures: QuerySet, **read) -> list[tuple] | None:
    """The rollup's rows (counts.read with ``read``) for ``seizures``, or None when it
    cannot answer: their filters are not its keys, or it is not current."""
    where = counts.answerable(seizures)
    return None if where is None else counts.read(where, **read)


def _code(value: str) -> int | None:
    """A code's id as the rollup keeps it ('' when none is recorded)."""
    return int(value) if value else None


def _commodities_over_time(
    seizures: QuerySet, *, period: str, commodities: list, column: str
) -> list[PeriodCount]:
    inner, params = _plain(seizures).values("occurred_at", column).query.sql_with_params()
    sql = f"""
        SELECT date_trunc(%s, s.occurred_at AT TIME ZONE %s)::date AS start, c.id, count(*)
        FROM ({inner}) AS s CROSS JOIN LATERAL unnest(s.{column}) AS c(id)
        WHERE c.id = ANY(%s)
        GROUP BY 1, 2
        ORDER BY 1, 2
    """  # noqa: S608 - the inner query is the ORM's, with its parameters passed apart
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [period, timezone.get_current_timezone_name(), *params, list(commodities)]
        )
        return [PeriodCount(start, key, count) for start, key, count in cursor.fetchall()]


def commodity_split_codes(codes: QuerySet, *, filtered: int | Subquery | None) -> QuerySet:
    """The commodities a split by commodity shows: the groups, or, when the seizures are
    already filtered by a commodity, that commodity's sub-commodities (or itself if it has
    none). Each is then a subset of the filter, so that its link keeps the filter exact."""
    if filtered is None:
        return codes.filter(list="commodity", parent__isnull=True)
    children = codes.filter(list="commodity", parent_id=filtered)
    return codes.filter(Q(pk__in=children.values("pk")) | Q(pk=filtered, children__isnull=True))


@dataclass(frozen=True)
class RouteCount:
    origin: str
    destination: str
    count: int


def top_routes(
    seizures: QuerySet, *, limit: int = 20, source: Source = SEIZURES
) -> list[RouteCount]:
    """The most frequent country of origin → country of destination pairs (records missing
    either are left out)."""
    # The rollup keeps a route as its two countries' codes, one after the other.
    rows = _from_rollup(
        seizures, dimension="route", select=["c.value"], order_by="2 DESC, 1", limit=limit
    )
    if rows is not None:
        return [RouteCount(route[:2], route[2:], count) for route, count in rows]
    origin, destination = source.origin, source.destination
    rows = (
        _plain(seizures)
        .exclude(**{origin: ""})
        .exclude(**{destination: ""})
        .values_list(origin, destination)
        .annotate(count=Count("*"))
        .order_by("-count", origin, destination)[:limit]
    )
    return [RouteCount(origin, destination, count) for origin, destination, count in rows]


@dataclass(frozen=True)
class CountryCount:
    country: str
    count: int


def source_countries(
    seizures: QuerySet, *, limit: int = 20, source: Source = SEIZURES
) -> list[CountryCount]:
    """The most frequent countries of origin."""
    counted = _counted_countries(seizures, dimension="origin", limit=limit)
    if counted is not None:
        return counted
    rows = (
        _plain(seizures)
        .exclude(**{source.origin: ""})
        .values_list(source.origin)
        .annotate(count=Count("*"))
        .order_by("-count", source.origin)[:limit]
    )
    return [CountryCount(country, count) for country, count in rows]


def route_countries(seizures: QuerySet, *, source: Source = SEIZURES) -> list[CountryCount]:
    """Every country on the routes (origin, departure, transit or destination), with the
    seizures whose route passes through it: the map."""
    counted = _counted_countries(seizures, dimension="route_country")
    if counted is not None:
        return counted
    column = source.route_countries
    inner, params = _plain(seizures).values(column).query.sql_with_params()
    sql = f"""
        SELECT c.country, count(*)
        FROM ({inner}) AS s CROSS JOIN LATERAL unnest(s.{column}) AS c(country)
        GROUP BY 1
        ORDER BY 2 DESC, 1
    """  # noqa: S608 - the inner query is the ORM's, with its parameters passed apart
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [CountryCount(country, count) for country, count in cursor.fetchall()]


def _counted_countries(
    seizures: QuerySet, *, dimension: str, limit: int | None = None
) -> list[CountryCount] | None:
    rows = _from_rollup(
        seizures, dimension=dimension, select=["c.value"], order_by="2 DESC, 1", limit=limit
    )
    if rows is None:
        return None
    return [CountryCount(country, count) for country, count in rows]


@dataclass(frozen=True)
class KeyCount:
    key: int | str | None
    count: int


def detection_methods(seizures: QuerySet, *, source: Source = SEIZURES) -> list[KeyCount]:
    """Seizures by detection method (None: not recorded), the most frequent first, and
    "not recorded" last among equal counts."""
    rows = _from_rollup(seizures, dimension="detection_method", select=["c.value"], order_by="1")
    if rows is not None:
        return _most_first([KeyCount(_code(key), count) for key, count in rows])
    rows = (
        _plain(seizures)
        .values_list(source.detection_method)
        .annotate(count=Count("*"))
        .order_by("-count", source.detection_method)
    )
    return _most_first([KeyCount(source.key(key), count) for key, count in rows])


def _most_first(rows: list[KeyCount]) -> list[KeyCount]:
    return sorted(rows, key=lambda row: (-row.count, row.key is None, row.key or 0))


# --- The printed bulletin's figures (reports.bulletin) ----------------------------------


@dataclass(frozen=True)
class CurrencyValue:
    """The items valued in one currency and the sum of their estimated values."""

    currency: str
    items: int
    total: Decimal


@dataclass(frozen=True)
class Totals:
    seizures: int
    items: int
    offences: int
    # Most items valued first: the first is the currency most values are given in.
    values: list[CurrencyValue]


def totals(seizures: QuerySet) -> Totals:
    """The seizures, their items and offences, and the items' estimated values summed per
    currency (values in different currencies are never added up)."""
    from seizures.models import Item, Offence

    matching = _plain(seizures).values("pk")
    by_currency = (
        Item.objects.filter(seizure__in=matching)
        .order_by()
        .values_list("currency")
        .annotate(items=Count("*"), valued=Count("estimated_value"), total=Sum("estimated_value"))
    )
    items, values = 0, []
    for currency, count, valued, total in by_currency:
        items += count
        if currency and valued:
            values.append(CurrencyValue(currency, valued, total))
    values.sort(key=lambda value: (-value.items, value.currency))
    return Totals(
        seizures=_plain(seizures).count(),
        items=items,
        offences=Offence.objects.filter(seizure__in=matching).count(),
        values=values,
    )


@dataclass(frozen=True)
class QuantityCount:
    """The items of one commodity (as recorded: a group or a sub-commodity) in one unit; for
    amounts of cash, in one currency too."""

    commodity: int
    unit: int
    currency: str
    items: int
    quantity: Decimal


def item_quantities(seizures: QuerySet) -> list[QuantityCount]:
    """The items of the seizures and their summed quantity, per commodity and unit (and per
    currency for the unit "amount of currency", whose quantities are sums of money)."""
    from seizures.models import Item

    rows = (
        Item.objects.filter(seizure__in=_plain(seizures).values("pk"))
        .annotate(amount_in=Case(When(unit__code="currency", then="currency"), default=Value("")))
        .order_by()
        .values_list("commodity_id", "unit_id", "amount_in")
        .annotate(items=Count("*"), quantity=Sum("quantity"))
        .order_by("commodity_id", "unit_id", "amount_in")
    )
    return [QuantityCount(*row) for row in rows]


@dataclass(frozen=True)
class Largest:
    """The seizure whose items of one commodity group are worth the most."""

    group: int
    seizure: int
    value: Decimal


def largest_by_value(seizures: QuerySet, *, currency: str, per_group: int = 1) -> list[Largest]:
    """For each commodity group, the ``per_group`` seizures whose items of that group (the
    group itself or its sub-commodities) have the highest estimated value in ``currency``,
    the most valuable first. Items valued in another currency are not compared."""
    inner, params = _plain(seizures).values("pk").query.sql_with_params()
    sql = f"""
        SELECT ranked.grp, ranked.seizure_id, ranked.value FROM (
            SELECT coalesce(c.parent_id, c.id) AS grp, i.seizure_id,
                sum(i.estimated_value) AS value,
                row_number() OVER (
                    PARTITION BY coalesce(c.parent_id, c.id)
                    ORDER BY sum(i.estimated_value) DESC, i.seizure_id
                ) AS n
            FROM seizures_item AS i JOIN seizures_code AS c ON c.id = i.commodity_id
            WHERE i.seizure_id IN ({inner})
                AND i.currency = %s AND i.estimated_value IS NOT NULL
            GROUP BY 1, 2
        ) AS ranked
        WHERE ranked.n <= %s
        ORDER BY ranked.value DESC, ranked.grp, ranked.seizure_id
    """  # noqa: S608 - the inner query is the ORM's, with its parameters passed apart
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, currency, per_group])
        return [Largest(*row) for row in cursor.fetchall()]
