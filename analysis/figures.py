"""The dashboard's figures as JSON-ready dicts: the counts of analysis.stats with their
labels and, for each, the link to the records behind it. The page embeds them, its script
draws them, and the API serves the same dicts. Figures counts an administration's seizures,
RegionalFigures the hub's current regional records with the same aggregates."""

import calendar
from datetime import date, timedelta

from django.db.models import Subquery
from django.http import QueryDict
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django_countries import countries

from exchange.filters import CurrentRegionalRecordFilterSet
from exchange.models import Member
from ncen.filters import NcenFilterSet
from ncen.models import Office
from seizures.models import Code, CodeList

from . import stats

# Parameters that are not filters of the seizures, on the dashboard, the list or the API.
NOT_FILTERS = frozenset({"page", "period", "split", "ordering", "format"})


class Figures:
    """The figures of one bound, valid SeizureFilterSet, whose queryset is already narrowed
    to what its user may see."""

    source = stats.SEIZURES
    records_page = "seizures:list"
    # Filters every link to the records adds, so that the list shows what was counted.
    records_filters: dict[str, str] = {}

    def __init__(self, filterset: NcenFilterSet):
        self.filterset = filterset
        self.user = filterset.request_user
        self.seizures = filterset.qs
        self.cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
        self._codes = Code.objects.visible_to(self.user)

    # --- Links to the records ------------------------------------------------------------

    def records(self, **overrides) -> str:
        """The records list with the current filters, some replaced by ``overrides``."""
        overrides = {**self.records_filters, **overrides}
        query = QueryDict(mutable=True)
        for name, values in self.filterset.data.lists():
            if name not in NOT_FILTERS and name not in overrides:
                query.setlist(name, [value for value in values if value != ""])
        for name, value in overrides.items():
            query.setlist(
                name, [str(v) for v in value] if isinstance(value, list) else [str(value)]
            )
        return f"{reverse(self.records_page)}?{query.urlencode()}"

    def _period_records(self, start: date, end: date, **overrides) -> str:
        """Seizures of one period, within the dates the filters already ask for."""
        first, last = self.cleaned.get("occurred_from"), self.cleaned.get("occurred_to")
        start, end = max(start, first or start), min(end, last or end)
        return self.records(
            occurred_from=start.isoformat(), occurred_to=end.isoformat(), **overrides
        )

    # --- The figures ---------------------------------------------------------------------

    def over_time(self, *, period: str, split: str) -> dict:
        labels = self._split_labels(split)
        counts = stats.over_time(
            self.seizures,
            period=period,
            split=split,
            commodities=list(labels) if split == "commodity" else None,
            source=self.source,
        )
        starts = periods(period, [row.start for row in counts])
        index = {start: n for n, start in enumerate(starts)}
        series: dict[int | str | None, dict] = {}
        parameter = self.source.splits[split].parameter
        for row in counts:
            line = series.get(row.key)
            if line is None:
                line = series[row.key] = {
                    "key": row.key,
                    "label": self._label(labels, row.key),
                    "counts": [0] * len(starts),
                    "records": [None] * len(starts),
                }
            n = index[row.start]
            line["counts"][n] = row.count
            if self._filterable(labels, row.key):
                line["records"][n] = self._period_records(
                    row.start, _period_end(period, row.start), **{parameter: row.key}
                )
        ordered = sorted(series.values(), key=lambda line: (-sum(line["counts"]), line["label"]))
        return {
            "period": period,
            "split": split,
            "periods": [
                {
                    "start": start.isoformat(),
                    "label": period_label(period, start),
                    "records": self._period_records(start, _period_end(period, start)),
                }
                for start in starts
            ],
            "series": ordered,
        }

    def routes(self, *, limit: int = 20) -> list[dict]:
        return [
            {
                "origin": row.origin,
                "origin_name": countries.name(row.origin) or row.origin,
                "destination": row.destination,
                "destination_name": countries.name(row.destination) or row.destination,
                "count": row.count,
                "records": self.records(
                    origin_country=row.origin, destination_country=row.destination
                ),
            }
            for row in stats.top_routes(self.seizures, limit=limit, source=self.source)
        ]

    def source_countries(self, *, limit: int = 20) -> list[dict]:
        return [
            self._country(row, origin_country=row.country)
            for row in stats.source_countries(self.seizures, limit=limit, source=self.source)
        ]

    def route_countries(self) -> list[dict]:
        return [
            self._country(row, route_country=self._on_route(row.country))
            for row in stats.route_countries(self.seizures, source=self.source)
        ]

    def detection_methods(self) -> list[dict]:
        rows = stats.detection_methods(self.seizures, source=self.source)
        total = sum(row.count for row in rows)
        labels = self._code_labels("detection_method")
        return [
            {
                "key": row.key,
                "label": self._label(labels, row.key),
                "count": row.count,
                "share": round(100 * row.count / total, 1),
                "records": self.records(detection_method=row.key)
                if self._filterable(labels, row.key)
                else None,
            }
            for row in rows
        ]

    def all(self, *, period: str, split: str) -> dict:
        """Every figure of the dashboard."""
        return {
            "over_time": self.over_time(period=period, split=split),
            "routes": self.routes(),
            "source_countries": self.source_countries(),
            "route_countries": self.route_countries(),
            "detection_methods": self.detection_methods(),
        }

    # --- Labels --------------------------------------------------------------------------

    def _label(self, labels: dict, key) -> str:
        return labels.get(key) or _("Not recorded")

    def _filterable(self, labels: dict, key) -> bool:
        """Whether the records list has a filter value for the key."""
        return key is not None

    def _on_route(self, country: str) -> list[str]:
        """The route country filter of the records through ``country`` among those already
        filtered by their route countries (the filter repeats)."""
        return sorted({*self.cleaned.get("route_country", []), country})

    def _country(self, row: stats.CountryCount, **filters) -> dict:
        return {
            "country": row.country,
            "name": countries.name(row.country) or row.country,
            "count": row.count,
            "records": self.records(**filters),
        }

    def _code_labels(self, code_list: str) -> dict[int, str]:
        return {code.pk: str(code) for code in self._codes.filter(list=code_list)}

    def _split_labels(self, split: str) -> dict[int, str]:
        if split == "office":
            return {
                office.pk: str(office)
                for office in Office.objects.filter(administration_id=self.user.administration_id)
            }
        if split == "commodity":
            commodity = self.cleaned.get("commodity")
            codes = stats.commodity_split_codes(
                self._codes, filtered=commodity.pk if commodity else None
            )
            return {code.pk: str(code) for code in codes}
        return self._code_labels(split)


def periods(period: str, starts: list[date]) -> list[date]:
    """Every period from the first to the last of ``starts``, empty ones included."""
    if not starts:
        return []
    found, current, last = [], min(starts), max(starts)
    while current <= last:
        found.append(current)
        current = _period_end(period, current) + timedelta(days=1)
    return found


def _period_end(period: str, start: date) -> date:
    """The last day of the period starting on ``start``."""
    if period == "week":
        return start + timedelta(days=6)
    if period == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start.replace(month=12, day=31)


def period_label(period: str, start: date) -> str:
    if period == "week":
        return _("Week of %(day)s") % {"day": formats.date_format(start, "SHORT_DATE_FORMAT")}
    if period == "month":
        return formats.date_format(start, "YEAR_MONTH_FORMAT")
    return str(start.year)


class RegionalFigures(Figures):
    """The same figures over the hub's current regional records, of one bound, valid
    CurrentRegionalRecordFilterSet; code-list entries are keyed by their code (what the
    payloads carry), and the split by office is a split by member."""

    source = stats.REGIONAL
    records_page = "exchange:regional_list"
    records_filters = {"state": "current"}

    def __init__(self, filterset: CurrentRegionalRecordFilterSet):
        super().__init__(filterset)
        # Only the shipped entries are known to every member, and offered by the filters.
        self._codes = Code.objects.filter(administration__isnull=True)

    def _label(self, labels: dict, key) -> str:
        # An entry of a member's own list is unknown here: its code is all there is to show.
        return labels.get(key) or key or _("Not recorded")

    def _filterable(self, labels: dict, key) -> bool:
        return key in labels

    def _code_labels(self, code_list: str) -> dict[str, str]:
        return {code.code: str(code) for code in self._codes.filter(list=code_list)}

    def _split_labels(self, split: str) -> dict:
        if split == "member":
            return {member.pk: str(member) for member in Member.objects.order_by("code")}
        if split == "commodity":
            commodity = self.cleaned.get("commodity")
            # The filter holds a code; its entry is read in the same query as the split's.
            filtered = self._codes.filter(list=CodeList.COMMODITY, code=commodity).values("pk")
            codes = stats.commodity_split_codes(
                self._codes, filtered=Subquery(filtered[:1]) if commodity else None
            )
            return {code.code: str(code) for code in codes}
        return self._code_labels(split)
