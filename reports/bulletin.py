"""The periodic bulletin: statistics of the administration's seizures over a period, under
the filters of the seizures' FilterSet.

Every figure is a function of analysis.stats over the queryset the dashboard counts (the
same FilterSet over ``seizure_list``, narrowed by visibility), so the bulletin and the
dashboard agree for the same filters. It names no person or business and quotes no free
text (narratives, item descriptions, conveyance identifiers): it is statistics, which anyone
who may see the dashboard may make and read.

Its handling code is fixed: it counts records at every stage of the workflow, approved or
not, so it is the administration's internal document, "No onward sharing without
permission" (see docs and README).
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_countries import countries

from analysis import stats
from analysis.figures import Figures, period_label, periods
from exchange.models import HandlingCode
from seizures.filters import SeizureFilterSet, kept_value
from seizures.models import Code, CodeList, Seizure
from seizures.selectors import seizure_list

from . import charts

PERIOD = ("occurred_from", "occurred_to")
# The parameters a bulletin takes: every filter of the seizures but the list's order.
FILTERS = tuple(name for name in SeizureFilterSet.base_filters if name != "ordering")
# Beyond three years, the chart over time shows years rather than months.
MONTHLY_UP_TO = 36
LONGEST_YEARS = 10
TOP_ROUTES = 15


def clean_filters(*, user, data: Mapping) -> dict[str, str | list[str]]:
    """The bulletin's filters as they will be stored: one value per parameter (the values of
    one that repeats, route country, as a list), empty ones left out, both dates of the
    period required. Refuses unknown parameters and values the seizures' FilterSet refuses,
    naming each."""
    errors: dict[str, list[str]] = {}
    values: dict[str, str | list[str]] = {}
    for name, given in data.items():
        if name not in FILTERS:
            errors[name] = [
                _("Not a filter of seizures. Allowed: %(allowed)s.")
                % {"allowed": ", ".join(FILTERS)}
            ]
            continue
        try:
            kept = kept_value(name, given)
        except ValueError:
            errors[name] = [_("Give one value.")]
        else:
            if kept is not None:
                values[name] = kept
    for name in PERIOD:
        if name not in values and name not in errors:
            errors[name] = [_("Give the first and the last day of the bulletin's period.")]
    if errors:
        raise ValidationError(errors)
    filterset = SeizureFilterSet(values, queryset=Seizure.objects.none(), request_user=user)
    if not filterset.is_valid():
        raise ValidationError({name: list(e) for name, e in filterset.form.errors.items()})
    start, end = (filterset.form.cleaned_data[name] for name in PERIOD)
    if end < start:
        raise ValidationError({"occurred_to": [_("The period ends before it starts.")]})
    if end.year - start.year > LONGEST_YEARS:
        raise ValidationError({"occurred_to": [_("A bulletin covers at most ten years.")]})
    # ISO dates whatever the input format: they name the file too.
    return {**values, "occurred_from": start.isoformat(), "occurred_to": end.isoformat()}


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last whole month before ``today`` (the administration's today)."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def handling_line() -> str:
    return _("Handling code: %(code)s") % {"code": HandlingCode.NO_ONWARD_SHARING.label}


def period_words(start: date, end: date) -> str:
    return _("%(start)s to %(end)s") % {
        "start": formats.date_format(start, "DATE_FORMAT"),
        "end": formats.date_format(end, "DATE_FORMAT"),
    }


@dataclass
class CommodityRow:
    code: Code
    seizures: int = 0
    items: int = 0
    # (unit label, summed quantity), in the order of the units.
    quantities: list[tuple[str, Decimal]] = field(default_factory=list)
    children: list["CommodityRow"] = field(default_factory=list)


class Bulletin:
    """What a bulletin shows, read for ``user`` with ``filters`` (as clean_filters keeps
    them) in the active time zone and language."""

    def __init__(self, *, user, filters: dict[str, str | list[str]]):
        data = QueryDict(mutable=True)
        for name, value in filters.items():
            data.setlist(name, value if isinstance(value, list) else [value])
        self.filterset = SeizureFilterSet(data, queryset=seizure_list(user=user), request_user=user)
        if not self.filterset.is_valid():
            raise ValidationError(
                _("The bulletin's filters can no longer be applied: %(errors)s")
                % {"errors": "; ".join(m for e in self.filterset.form.errors.values() for m in e)}
            )
        self.user = user
        self.seizures = self.filterset.qs
        self.cleaned = self.filterset.form.cleaned_data
        self.start, self.end = (self.cleaned[name] for name in PERIOD)
        self.codes = Code.objects.visible_to(user).select_related("parent")

    def context(self) -> dict:
        figures = Figures(self.filterset)
        totals = stats.totals(self.seizures)
        period = self._chart_period()
        over_time = figures.over_time(period=period, split="office")
        by_period = self._per_period(period, over_time)
        offices = [(line["label"], sum(line["counts"])) for line in over_time["series"]]
        commodities = self._commodities()
        currency = totals.values[0].currency if totals.values else ""
        words = period_words(self.start, self.end)
        return {
            "title": _("Seizure bulletin: %(period)s") % {"period": words},
            "reference": words,
            "handling": handling_line(),
            "period": words,
            "filters": self._filter_words(),
            "totals": totals,
            "chart_period": period,
            "over_time": by_period,
            "over_time_chart": charts.columns(
                [(_short_label(period, start), count) for start, _label, count in by_period],
                title=_("Seizures per period; the figures are in the table below."),
            ),
            "offices": offices,
            "commodities": commodities,
            "commodities_chart": charts.bars(
                [(str(row.code), row.seizures) for row in commodities],
                title=_("Seizures by commodity group; the figures are in the table below."),
            ),
            "routes": figures.routes(limit=TOP_ROUTES),
            "currency": currency,
            "notable": self._notable(currency) if currency else [],
        }

    # --- Parts ----------------------------------------------------------------------------

    def _chart_period(self) -> str:
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return "month" if months <= MONTHLY_UP_TO else "year"

    def _per_period(self, period: str, over_time: dict) -> list[tuple[date, str, int]]:
        """Every period of the bulletin, empty ones included, with its seizures: each
        seizure is at one office, so the counts by office add up to the period's."""
        counts = {
            row["start"]: sum(line["counts"][n] for line in over_time["series"])
            for n, row in enumerate(over_time["periods"])
        }
        first = self.start.replace(day=1)
        if period == "year":
            first = first.replace(month=1)
        return [
            (start, period_label(period, start), counts.get(start.isoformat(), 0))
            for start in periods(period, [first, self.end])
        ]

    def _commodities(self) -> list[CommodityRow]:
        """Commodity groups with their sub-commodities: seizures (one seizure counts under
        each commodity it holds), items and quantities per unit. Only those seized."""
        commodities = [code for code in self.codes if code.list == CodeList.COMMODITY]
        units = {code.pk: code for code in self.codes if code.list == CodeList.UNIT}
        seizures: dict[int, int] = defaultdict(int)
        # Years cover the whole period whatever its length; each seizure is in one year.
        for row in stats.over_time(
            self.seizures,
            period="year",
            split="commodity",
            commodities=[code.pk for code in commodities],
        ):
            seizures[row.key] += row.count
        rows = {code.pk: CommodityRow(code, seizures=seizures[code.pk]) for code in commodities}
        quantities: dict[int, dict[tuple, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for row in stats.item_quantities(self.seizures):
            unit = units[row.unit]
            key = (unit.sort_order, row.currency or str(unit).lower())
            group = rows[row.commodity].code.parent_id
            for pk in (row.commodity, group) if group else (row.commodity,):
                rows[pk].items += row.items
                quantities[pk][key] += row.quantity
        for pk, by_unit in quantities.items():
            rows[pk].quantities = [(label, total) for (_o, label), total in sorted(by_unit.items())]
        groups = []
        for row in rows.values():
            if not (row.seizures or row.items):
                continue
            if row.code.parent_id is None:
                groups.append(row)
            elif row.code.parent_id in rows:
                rows[row.code.parent_id].children.append(row)
        return groups

    def _notable(self, currency: str) -> list[dict]:
        largest = stats.largest_by_value(self.seizures, currency=currency)
        found = {s.pk: s for s in self.seizures.filter(pk__in=[row.seizure for row in largest])}
        groups = {code.pk: code for code in self.codes if code.parent_id is None}
        cases = []
        for row in largest:
            seizure = found[row.seizure]
            items = [
                item
                for item in seizure.items.all()
                if row.group in (item.commodity_id, item.commodity.parent_id)
            ]
            cases.append(
                {
                    "group": groups[row.group],
                    "seizure": seizure,
                    "value": row.value,
                    "items": items,
                    "route": " → ".join(countries.name(c) or c for c in seizure.route),
                }
            )
        return cases

    def _filter_words(self) -> list[tuple[str, str]]:
        """The filters besides the period, each as its label and value in words."""
        words = []
        for name, value in self.cleaned.items():
            if name in PERIOD or name not in FILTERS or value in (None, "", []):
                continue
            form_field = self.filterset.form.fields[name]
            if isinstance(value, Model):
                shown = str(value)
            elif name == "q":
                shown = f"“{value}”"
            else:
                choices = dict(getattr(form_field, "choices", ()))
                given = value if isinstance(value, list) else [value]
                shown = _(" and ").join(str(choices.get(one, one)) for one in given)
            words.append((str(form_field.label), shown))
        return words


def _short_label(period: str, start: date) -> str:
    """A chart's label under its column: "Jan 25" or "2025"."""
    return formats.date_format(start, "M y") if period == "month" else str(start.year)
