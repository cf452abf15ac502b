"""The analysis dashboard: the seizures' figures under the search page's filters."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from reports import bulletin
from seizures.filters import SeizureFilterSet
from seizures.selectors import seizure_list

from . import worldmap
from .figures import Figures
from .forms import ChartForm


@login_required
def dashboard(request):
    filterset = SeizureFilterSet(
        request.GET or None, queryset=seizure_list(user=request.user), request=request
    )
    chart_form = ChartForm(request.GET or None)
    period, split = chart_form.choice()
    context = {
        "filterset": filterset,
        "chart_form": chart_form,
        "invalid": filterset.invalid or (chart_form.is_bound and not chart_form.is_valid()),
        "period": period,
        "split": split,
    }
    if not context["invalid"]:
        figures = Figures(filterset).all(period=period, split=split)
        context["figures"] = figures
        context["over_time_rows"] = _table_rows(figures["over_time"])
        context["map_countries"] = worldmap.shaded(figures["route_countries"])
        context["map_view_box"] = worldmap.view_box()
        context["bulletin_filters"] = [
            (name, value)
            for name, value in request.GET.items()
            if value and name in bulletin.FILTERS and name not in bulletin.PERIOD
        ]
        context["bulletin_period"] = _bulletin_period(filterset)
    return render(request, "analysis/dashboard.html", context)


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
