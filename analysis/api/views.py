"""The dashboard's figures as JSON: /api/v1/stats/<figure>/, with the filters of
/api/v1/seizures/, and on the hub /api/v1/stats/regional/<figure>/, with the filters of
/api/v1/regional-records/ (an unknown parameter is a 400)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from exchange.filters import CurrentRegionalRecordFilterSet
from exchange.selectors import current_regional_record_list
from ncen.api.filters import StrictFilterBackend
from ncen.api.permissions import IsRegionalAnalyst
from seizures.filters import SeizureFilterSet
from seizures.selectors import seizure_list

from ..figures import Figures, RegionalFigures
from ..forms import (
    DEFAULT_PERIOD,
    DEFAULT_SPLIT,
    PERIOD_CHOICES,
    REGIONAL_SPLIT_CHOICES,
    SPLIT_CHOICES,
)


class OverTimeInput(serializers.Serializer):
    period = serializers.ChoiceField(choices=PERIOD_CHOICES, default=DEFAULT_PERIOD)
    split = serializers.ChoiceField(choices=SPLIT_CHOICES, default=DEFAULT_SPLIT)


class RegionalOverTimeInput(OverTimeInput):
    split = serializers.ChoiceField(choices=REGIONAL_SPLIT_CHOICES, default=DEFAULT_SPLIT)


INVALID = OpenApiResponse(description="An unknown query parameter or an invalid filter value.")
FIGURES = OpenApiResponse(
    description="Counts of seizures, each with `records`: the address of the seizures list "
    "showing the records behind it."
)
DENIED = OpenApiResponse(description="Not one of the hub's regional analysts.")
RECORDS_NOTE = (
    " Takes the filters of `/api/v1/seizures/`; counts only your administration's seizures."
)


class _KeepingFilterBackend(StrictFilterBackend):
    """The strict backend, keeping on the view the FilterSet it validated: the figures count
    over that one rather than validating the filters again (their code lists' queries)."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class StatsViewSet(viewsets.GenericViewSet):
    """The analysis dashboard's figures over the seizures that match the filters."""

    filter_backends = [_KeepingFilterBackend]
    filterset_class = SeizureFilterSet
    figures_class = Figures
    over_time_input = OverTimeInput
    pagination_class = None

    @property
    def extra_query_parameters(self) -> tuple[str, ...]:
        """Parameters besides the filters (see ncen.api.filters.StrictFilterBackend)."""
        return tuple(self.over_time_input().fields) if self.action == "over_time" else ()

    def get_queryset(self):
        return seizure_list(user=self.request.user)

    def _figures(self) -> Figures:
        # The filter backend answers an unknown parameter or an invalid value with 400.
        self.filter_queryset(self.get_queryset())
        return self.figures_class(self.filterset)

    @extend_schema(
        summary="Seizures per week, month or year, split by a dimension",
        description="Periods start in your administration's time zone; `series` hold one "
        "count per period. Split by commodity: the commodity groups, or the sub-commodities "
        "of the commodity filtered by." + RECORDS_NOTE,
        parameters=[OverTimeInput],
        responses={200: FIGURES, 400: INVALID},
        filters=True,
    )
    @action(detail=False, url_path="over-time")
    def over_time(self, request):
        data = self.over_time_input(data=request.query_params)
        if not data.is_valid():
            raise ValidationError(data.errors)
        return Response(self._figures().over_time(**data.validated_data))

    @extend_schema(
        summary="The most frequent routes, country of origin to country of destination",
        description="The first 20." + RECORDS_NOTE,
        responses={200: FIGURES, 400: INVALID},
        filters=True,
    )
    @action(detail=False)
    def routes(self, request):
        return Response(self._figures().routes())

    @extend_schema(
        summary="The most frequent countries of origin",
        description="The first 20." + RECORDS_NOTE,
        responses={200: FIGURES, 400: INVALID},
        filters=True,
    )
    @action(detail=False, url_path="source-countries")
    def source_countries(self, request):
        return Response(self._figures().source_countries())

    @extend_schema(
        summary="Every country on the routes, with the seizures passing through it",
        description="Origin, departure, transit or destination: the dashboard's map."
        + RECORDS_NOTE,
        responses={200: FIGURES, 400: INVALID},
        filters=True,
    )
    @action(detail=False, url_path="route-countries")
    def route_countries(self, request):
        return Response(self._figures().route_countries())

    @extend_schema(
        summary="Seizures by detection method, with each one's share in percent",
        description="A method of `null` key counts the seizures that record none." + RECORDS_NOTE,
        responses={200: FIGURES, 400: INVALID},
        filters=True,
    )
    @action(detail=False, url_path="detection-methods")
    def detection_methods(self, request):
        return Response(self._figures().detection_methods())


REGIONAL_NOTE = (
    " Takes the filters of `/api/v1/regional-records/` (but `state`); counts the regional "
    "records the members have not withdrawn, and links to the regional records list. "
    "The hub's regional analysts only."
)


@extend_schema_view(
    over_time=extend_schema(
        description="Periods start in the hub's time zone; `series` hold one count per "
        "period. Split by commodity: the commodity groups, or the sub-commodities of the "
        "commodity filtered by; split by member: the members that shared the records; keys "
        "are codes, as the records carry them." + REGIONAL_NOTE,
        parameters=[RegionalOverTimeInput],
        responses={200: FIGURES, 400: INVALID, 403: DENIED},
    ),
    routes=extend_schema(
        description="The first 20." + REGIONAL_NOTE,
        responses={200: FIGURES, 400: INVALID, 403: DENIED},
    ),
    source_countries=extend_schema(
        description="The first 20." + REGIONAL_NOTE,
        responses={200: FIGURES, 400: INVALID, 403: DENIED},
    ),
    route_countries=extend_schema(
        description="Origin, departure, transit or destination: the dashboard's map."
        + REGIONAL_NOTE,
        responses={200: FIGURES, 400: INVALID, 403: DENIED},
    ),
    detection_methods=extend_schema(
        description="A method of `null` key counts the records that record none; keys are "
        "codes." + REGIONAL_NOTE,
        responses={200: FIGURES, 400: INVALID, 403: DENIED},
    ),
)
class RegionalStatsViewSet(StatsViewSet):
    """The regional dashboard's figures over the hub's current regional records."""

    filterset_class = CurrentRegionalRecordFilterSet
    figures_class = RegionalFigures
    over_time_input = RegionalOverTimeInput
    permission_classes = [IsRegionalAnalyst]

    def get_queryset(self):
        return current_regional_record_list(user=self.request.user)
