"""The dashboard's figures as JSON-ready dicts: the counts of analysis.stats with their
labels and, for each, the link to the records behind it. The page embeds them, its script
draws them, and the API serves the same dicts."""

import calendar
from datetime import date, timedelta

from django.http import QueryDict
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django_countries import countries

from ncen.models import Office
from seizures.filters import SeizureFilterSet
from seizures.models import Code

from . import stats

# Parameters that are not filters of the seizures, on the dashboard, the list or the API.
NOT_FILTERS = frozenset({"page", "period", "split", "ordering", "format"})


class Figures:
    """The figures of one bound, valid SeizureFilterSet, whose queryset is already narrowed
    to what its user may see."""

    def __init__(self, filterset: SeizureFilterSet):
        self.filterset = filterset
        self.user = filterset.request_user
        self.seizures = filterset.qs
        self.cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
        self._codes = Code.objects.visible_to(self.user)

    # --- Links to the records ------------------------------------------------------------

    def records(self, **overrides) -> str:
        """The seizures list with the current filters, some replaced by ``overrides``."""
        query = QueryDict(mutable=True)
        for name, values in self.filterset.data.lists():
            if name not in NOT_FILTERS and name not in overrides:
                query.setlist(name, [value for value in values if value != ""])
        for name, value in overrides.items():
            query[name] = str(value)
        return f"{reverse('seizures:list')}?{query.urlencode()}"

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
        )
        starts = _periods(period, [row.start for row in counts])
        index = {start: n for n, start in enumerate(starts)}
        series: dict[int | None, dict] = {}
        parameter = stats.SPLITS[split].parameter
        for row in counts:
            line = series.get(row.key)
            if line is None:
                line = series[row.key] = {
                    "key": row.key,
                    "label": labels.get(row.key) or _("Not recorded"),
                    "counts": [0] * len(starts),
                    "records": [None] * len(starts),
                }
            n = index[row.start]
            line["counts"][n] = row.count
            if row.key is not None:
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
                    "label": _period_label(period, start),
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
            for row in stats.top_routes(self.seizures, limit=limit)
        ]

    def source_countries(self, *, limit: int = 20) -> list[dict]:
        return [
            self._country(row, origin_country=row.country)
            for row in stats.source_countries(self.seizures, limit=limit)
        ]

    def route_countries(self) -> list[dict]:
        return [
            self._country(row, route_country=row.country)
            for row in stats.route_countries(self.seizures)
        ]

    def detection_methods(self) -> list[dict]:
        rows = stats.detection_methods(self.seizures)
        total = sum(row.count for row in rows)
        labels = self._code_labels("detection_method")
        return [
            {
                "key": row.key,
                "label": labels.get(row.key) or _("Not recorded"),
                "count": row.count,
                "share": round(100 * row.count / total, 1),
                "records": None if row.key is None else self.records(detection_method=row.key),
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


def _periods(period: str, starts: list[date]) -> list[date]:
    """Every period from the first to the last of ``starts``, empty ones included."""
    if not starts:
        return []
    periods, current, last = [], min(starts), max(starts)
    while current <= last:
        periods.append(current)
        current = _period_end(period, current) + timedelta(days=1)
    return periods


def _period_end(period: str, start: date) -> date:
    """The last day of the period starting on ``start``."""
    if period == "week":
        return start + timedelta(days=6)
    if period == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start.replace(month=12, day=31)


def _period_label(period: str, start: date) -> str:
    if period == "week":
        return _("Week of %(day)s") % {"day": formats.date_format(start, "SHORT_DATE_FORMAT")}
    if period == "month":
        return formats.date_format(start, "YEAR_MONTH_FORMAT")
    return str(start.year)
