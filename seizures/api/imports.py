"""The spreadsheet import over the API: preview an upload, confirm it, follow the run."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from .. import imports


class ImportUploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="The template filled in, as XLSX or CSV (≤ 5 MB).")


class ImportConfirmInput(serializers.Serializer):
    token = serializers.CharField(help_text="The `token` of a preview without errors.")


class RowErrorOutput(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row number as the spreadsheet shows it.")
    column = serializers.CharField(help_text="The column's name; empty for the whole row.")
    message = serializers.CharField()


class PlannedItemOutput(serializers.Serializer):
    commodity = serializers.CharField()
    commodity_label = serializers.CharField()
    quantity = serializers.CharField()
    unit = serializers.CharField()
    unit_label = serializers.CharField()


class PlannedSeizureOutput(serializers.Serializer):
    case_key = serializers.CharField()
    rows = serializers.ListField(child=serializers.IntegerField())
    occurred_at = serializers.DateTimeField(allow_null=True)
    office = serializers.CharField()
    items = PlannedItemOutput(many=True)


class ImportPreviewOutput(serializers.Serializer):
    file = serializers.CharField()
    rows = serializers.IntegerField()
    ready = serializers.BooleanField(help_text="True when every row is good.")
    token = serializers.CharField(
        allow_null=True, help_text="Confirm with it; null while the file has errors."
    )
    errors = RowErrorOutput(many=True)
    seizures = PlannedSeizureOutput(many=True)


class ImportRunOutput(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField(help_text="queued, running, retrying, succeeded or failed.")
    status_label = serializers.CharField()
    finished = serializers.BooleanField()
    done = serializers.IntegerField(help_text="Seizures saved so far (made visible together).")
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    file = serializers.CharField()
    message = serializers.CharField()
    errors = RowErrorOutput(many=True, help_text="Why nothing was imported, by row and column.")
    seizures = serializers.ListField(child=serializers.IntegerField())
    references = serializers.ListField(child=serializers.CharField())


INVALID = OpenApiResponse(
    description="The file cannot be read as the template (`error.fields.file`), or the token "
    "is unknown, expired or another user's (`error.fields.token`)."
)
FORBIDDEN = OpenApiResponse(description="Your role does not record seizures.")


@extend_schema_view(
    retrieve=extend_schema(
        summary="Follow an import",
        responses={200: ImportRunOutput, 404: OpenApiResponse(description="Not one of yours.")},
    )
)
class SeizureImportViewSet(viewsets.GenericViewSet):
    """Seizures from a spreadsheet, in three steps: `preview` checks the file and lists every
    row's errors by column (nothing is saved); `create` imports a previewed file in the
    background, all seizures or none; `retrieve` follows the run. The template is described
    in docs/import.md and downloadable from the import page."""

    lookup_value_regex = r"[0-9a-f-]{36}"
    parser_classes = [JSONParser]

    def get_queryset(self):
        return imports.import_runs(user=self.request.user)

    @extend_schema(
        summary="Check a spreadsheet",
        request={"multipart/form-data": ImportUploadInput},
        responses={200: ImportPreviewOutput, 400: INVALID, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser])
    def preview(self, request):
        data = ImportUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        preview = imports.import_preview(by=request.user, upload=data.validated_data["file"])
        checked = preview.checked
        body = {
            "file": preview.name,
            "rows": checked.row_count,
            "ready": checked.ok,
            "token": preview.token or None,
            "errors": imports.errors_as_dicts(checked.errors),
            "seizures": [planned.summary() for planned in checked.seizures] if checked.ok else [],
        }
        return Response(ImportPreviewOutput(body).data)

    @extend_schema(
        summary="Import a previewed spreadsheet",
        request=ImportConfirmInput,
        responses={202: ImportRunOutput, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        data = ImportConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        run = imports.import_confirm(by=request.user, token=data.validated_data["token"])
        return Response(
            ImportRunOutput(imports.run_state(run)).data, status=status.HTTP_202_ACCEPTED
        )

    def retrieve(self, request, pk=None):
        run = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(ImportRunOutput(imports.run_state(run)).data)
