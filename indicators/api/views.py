from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..filters import AlertFilterSet, IndicatorFilterSet
from .serializers import (
    AlertOutput,
    AlertsReadInput,
    AlertsReadOutput,
    IndicatorInput,
    IndicatorOutput,
)

INVALID = OpenApiResponse(description="Some input is not valid; `error.fields` names each field.")
FORBIDDEN = OpenApiResponse(description="Your role may not do this, or not to this indicator.")
NOT_FOUND = OpenApiResponse(description="No such indicator among those you may see.")


@extend_schema_view(
    list=extend_schema(summary="Risk indicators of your administration"),
    retrieve=extend_schema(
        summary="One risk indicator", responses={200: IndicatorOutput, 404: NOT_FOUND}
    ),
)
class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Saved criteria of the seizure search that check every newly submitted or approved
    record of the administration and alert their recipients when one matches. Any other
    administration's indicator is a 404."""

    serializer_class = IndicatorOutput
    filterset_class = IndicatorFilterSet
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.indicator_list(user=self.request.user)

    def get_object(self):
        return selectors.indicator_get(user=self.request.user, pk=self.kwargs["pk"])

    def _input(self, *, partial=False) -> dict:
        serializer = IndicatorInput(
            data=self.request.data, partial=partial, context={"request": self.request}
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _output(self, indicator, code=status.HTTP_200_OK) -> Response:
        indicator = selectors.indicator_get(user=self.request.user, pk=indicator.pk)
        return Response(IndicatorOutput(indicator).data, code)

    @extend_schema(
        summary="Save criteria as a risk indicator",
        request=IndicatorInput,
        responses={201: IndicatorOutput, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        """Officers and supervisors create indicators; the creator owns it, and it is active
        at once."""
        data = self._input()
        data.pop("is_active", None)
        return self._output(
            services.indicator_create(by=request.user, **data), status.HTTP_201_CREATED
        )

    def _change(self, **changes) -> Response:
        indicator = self.get_object()
        values = {
            "name": indicator.name,
            "rationale": indicator.rationale,
            "criteria": indicator.criteria,
            "recipients": list(indicator.recipients.all()),
            "is_active": indicator.is_active,
            **changes,
        }
        return self._output(
            services.indicator_update(by=self.request.user, indicator=indicator, **values)
        )

    @extend_schema(
        summary="Change a risk indicator (all fields)",
        request=IndicatorInput,
        responses={200: IndicatorOutput, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def update(self, request, pk=None):
        """Its owner or a supervisor changes it; `is_active` left out keeps it as it is."""
        return self._change(**self._input())

    @extend_schema(
        summary="Change some fields of a risk indicator",
        request=IndicatorInput,
        responses={200: IndicatorOutput, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def partial_update(self, request, pk=None):
        return self._change(**self._input(partial=True))

    @extend_schema(
        summary="Deactivate a risk indicator",
        request=None,
        responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def destroy(self, request, pk=None):
        """Deactivates it: it checks nothing more, and its hits and alerts are kept."""
        self._change(is_active=False)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Your alerts, newest first"),
    retrieve=extend_schema(summary="One of your alerts"),
)
class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Records that matched a risk indicator you are alerted by: yours only, and only while
    you may see the record."""

    serializer_class = AlertOutput
    filterset_class = AlertFilterSet
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.alert_list(user=self.request.user)

    @extend_schema(
        summary="Mark alerts as read",
        request=AlertsReadInput,
        responses={200: AlertsReadOutput, 400: INVALID},
    )
    @action(detail=False, methods=["post"])
    def read(self, request):
        serializer = AlertsReadInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = services.alerts_mark_read(
            user=request.user, alert_ids=serializer.validated_data.get("alerts")
        )
        return Response({"marked": marked})
