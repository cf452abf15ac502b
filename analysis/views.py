"""The analysis dashboards: the seizures' figures under the search page's filters, and on
the hub the regional records' under the regional records list's."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from exchange.filters import CurrentRegionalRecordFilterSet
from exchange.regional_views import regional_analyst_required
from exchange.selectors import current_regional_record_list
from reports import bulletin
from seizures.filters import SeizureFilterSet
from seizures.selectors import seizure_list

from . import worldmap
from .figures import Figures, RegionalFigures
from .forms import REGIONAL_SPLIT_CHOICES, ChartForm


@login_required
def dashboard(request):
    filterset = SeizureFilterSet(
        request.GET or None, queryset=seizure_list(user=request.user), request=request
    )
    context = _figures_context(filterset, ChartForm(request.GET or None), Figures)
    if not context["invalid"]:
        context["bulletin_filters"] = [
            (name, value)
            for name, values in request.GET.lists()
            if name in bulletin.FILTERS and name not in bulletin.PERIOD
            for value in values
            if value
        ]
        context["bulletin_period"] = _bulletin_period(filterset)
    return render(request, "analysis/dashboard.html", context)


@regional_analyst_required
def regional_dashboard(request):
    """The same figures over the hub's current regional records, under the regional
    records list's filters. Counted directly: the rollup keeps seizures only, and the
    regional volumes do not need it."""
    filterset = CurrentRegionalRecordFilterSet(
        request.GET or None,
        queryset=current_regional_record_list(user=request.user),
        request=request,
    )
    chart_form = ChartForm(request.GET or None, split_choices=REGIONAL_SPLIT_CHOICES)
    context = _figures_context(filterset, chart_form, RegionalFigures)
    return render(request, "analysis/regional_dashboard.html", context)


def _figures_context(filterset, chart_form: ChartForm, figures: type[Figures]) -> dict:
    """What the dashboard's figures include (analysis/includes/figures.html) shows: none
    when a filter or the chart's choice is invalid. The search's sort order is not offered:
    the figures have their own."""
    filterset.leave_out_ordering()
    period, split = chart_form.choice()
    context = {
        "filterset": filterset,
        "chart_form": chart_form,
        "invalid": filterset.invalid or (chart_form.is_bound and not chart_form.is_valid()),
        "period": period,
        "split": split,
    }
    if not context["invalid"]:
        counted = figures(filterset).all(period=period, split=split)
        context["figures"] = counted
        context["over_time_rows"] = _table_rows(counted["over_time"])
        context["map_countries"] = worldmap.shaded(counted["route_countries"])
        context["map_view_box"] = worldmap.view_box()
    return context


def _bulletin_period(filterset: SeizureFilterSet):
    """The dashboard's dates when it has both, otherwise the last whole month."""
    cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
    dates = [cleaned.get(name) for name in bulletin.PERIOD]
    return dates if all(dates) else bulletin.default_period()


def _table_rows(chart: dict) -> list[tuple[dict, list[tuple[int, str | None]]]]:
    """The chart over time as table rows: each period with its count and link per series."""
    return [
        (period, [(line["counts"][n], line["records"][n]) for line in chart["series"]])
        for n, period in enumerate(chart["periods"])
    ]
