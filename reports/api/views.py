"""Reports over the API: ask for one, follow it being made, download it."""

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from seizures.models import Seizure

from .. import selectors, services
from ..downloads import report_response
from ..models import Report


class ReportInput(serializers.Serializer):
    """A seizure report names its seizure; a bulletin takes the filters of
    `/api/v1/seizures/` besides `ordering`, `occurred_from` and `occurred_to` (its period)
    required, as further fields."""

    kind = serializers.ChoiceField(choices=Report.Kind.choices)
    seizure = serializers.IntegerField(
        required=False, help_text="The seizure reported on (kind `seizure`)."
    )

    def validate(self, data):
        if data["kind"] == Report.Kind.BULLETIN:
            # The filters are checked by the service (reports.bulletin.clean_filters): an
            # unknown one, a seizure included, is refused there.
            given = self.initial_data
            lists = given.lists() if hasattr(given, "lists") else given.items()
            data["filters"] = {name: value for name, value in lists if name != "kind"}
            data.pop("seizure", None)
        elif data["kind"] == Report.Kind.SEIZURE:
            user = self.context["request"].user
            found = Seizure.objects.visible_to(user).filter(pk=data.get("seizure")).first()
            if found is None:
                raise serializers.ValidationError(
                    {"seizure": [_("No such seizure among those you may see.")]}
                )
            data["seizure"] = found
        return data


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
)
class FilterValue(serializers.Field):
    """A bulletin's filter as kept: one value, or a list of them for a filter given several
    times (``route_country``, reports.bulletin.clean_filters)."""

    def to_representation(self, value):
        return [str(one) for one in value] if isinstance(value, list) else str(value)


class ReportOutput(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    seizure = serializers.IntegerField(allow_null=True)
    filters = serializers.DictField(
        child=FilterValue(),
        help_text="A bulletin's period and filters; a filter given several times "
        "(`route_country`) as a list.",
    )
    status = serializers.CharField(help_text="queued, running, retrying, succeeded or failed.")
    status_label = serializers.CharField()
    finished = serializers.BooleanField()
    ready = serializers.BooleanField(help_text="True once the PDF can be downloaded.")
    done = serializers.IntegerField(help_text="Steps done of `total`.")
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    pages = serializers.IntegerField(allow_null=True)
    message = serializers.CharField(help_text="Why the report could not be made.")
    status_url = serializers.URLField()
    download_url = serializers.URLField(allow_null=True)


NOT_FOUND = OpenApiResponse(description="No such report among yours.")


def _body(request, report: Report) -> dict:
    state = selectors.report_state(report)
    state["status_url"] = reverse("api:report-detail", args=[report.pk], request=request)
    state["download_url"] = (
        reverse("api:report-download", args=[report.pk], request=request)
        if state["ready"]
        else None
    )
    return ReportOutput(state).data


@extend_schema_view(
    retrieve=extend_schema(
        summary="Follow a report", responses={200: ReportOutput, 404: NOT_FOUND}
    ),
)
class ReportViewSet(viewsets.GenericViewSet):
    """PDF reports, made by a worker: `create` asks for one and answers 202 with the URL to
    follow it at; `retrieve` is its progress; `download` its PDF once `ready`. A report is
    its requester's alone. Persons and businesses appear only in the seizure reports of users
    who may export nominal data (supervisors); a bulletin (`kind` `bulletin` with the
    seizures' filters, `occurred_from` and `occurred_to` required) is statistics and names
    no one."""

    lookup_value_regex = r"[0-9a-f-]{36}"

    def get_queryset(self):
        return Report.objects.visible_to(self.request.user).select_related("run", "seizure")

    @extend_schema(
        summary="Ask for a report",
        request=ReportInput,
        responses={
            202: ReportOutput,
            400: OpenApiResponse(
                description="Unknown kind, no such seizure among yours, or a bulletin's "
                "missing period, unknown filter or invalid filter value."
            ),
        },
    )
    def create(self, request):
        data = ReportInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        report = services.report_request(
            by=request.user, language=translation.get_language(), **data.validated_data
        )
        report = selectors.report_get(user=request.user, pk=report.pk)
        return Response(_body(request, report), status=status.HTTP_202_ACCEPTED)

    def retrieve(self, request, pk=None):
        return Response(_body(request, selectors.report_get(user=request.user, pk=pk)))

    @extend_schema(
        summary="Download a report's PDF",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            403: OpenApiResponse(description="It holds nominal data you may no longer export."),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = selectors.report_get(user=request.user, pk=pk)
        if not report.file:
            raise Http404
        services.report_download_record(by=request.user, report=report)
        return report_response(report)
