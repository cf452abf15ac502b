from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from exchange.api.serializers import SharingDecisionInput
from exchange.selectors import sharing_policy
from ncen.api.pagination import NewestFirstCursorPagination, Pagination

from .. import rights, selectors, services
from ..downloads import attachment_response
from ..filters import SeizureFilterSet
from ..models import Attachment
from .filters import CodeFilterSet, OffenceFilterSet
from .serializers import (
    ApproveInput,
    AttachmentInput,
    AttachmentOutput,
    CodeOutput,
    OffenceOutput,
    PreviewInput,
    ReturnInput,
    SeizureCreateInput,
    SeizureListOutput,
    SeizureOutput,
    SeizureUpdateInput,
    WithdrawInput,
)

NADI_COCAINE = OpenApiExample(
    "Cocaine at Nadi airport",
    summary="Cocaine in a passenger's suitcase at Nadi International Airport",
    description=(
        "Code ids (location_type, procedure, detection_method, transport_mode, "
        "concealment_method, commodity, unit, offence_type, status) differ between "
        "installations: look them up at /api/v1/codes/. `office` is one of your "
        "administration's offices."
    ),
    request_only=True,
    value={
        "occurred_at": "2026-03-14T06:40:00+12:00",
        "office": 3,
        "location_type": 1,
        "procedure": 8,
        "detection_method": 14,
        "transport_mode": 20,
        "concealment_method": 29,
        "flight_number": "FJ910",
        "origin_country": "CO",
        "departure_country": "CL",
        "transit_countries": ["AU"],
        "destination_country": "FJ",
        "narrative": (
            "Passenger arriving from Santiago via Sydney selected by the risk profile. "
            "X-ray showed an anomaly in the suitcase lining; three blocks of white powder "
            "found, tested positive for cocaine."
        ),
        "items": [
            {
                "commodity": 71,
                "description": "Three vacuum-sealed blocks of white powder",
                "quantity": "3.200",
                "unit": 1,
                "estimated_value": "480000.00",
                "currency": "FJD",
            }
        ],
        "offences": [
            {
                "legal_provision": "Customs Act 1986; Illicit Drugs Control Act 2004",
                "offence_type": 52,
                "status": 58,
                "committed_on": "2026-03-14",
            }
        ],
    },
)
INVALID = OpenApiResponse(
    description="Some input is not valid; `error.fields` names each field (nested ones as "
    "`items-0-unit`, `offences-1-status`) with its messages."
)
FORBIDDEN = OpenApiResponse(description="Your role may not do this, or not to this record.")
NOT_FOUND = OpenApiResponse(description="No such seizure among those you may see.")
CONFLICT = OpenApiResponse(
    description="Someone saved the record since `version` was read; nothing was changed."
)
NOT_NOW = OpenApiResponse(
    description="The record's status does not allow this step (e.g. approving a draft); "
    "`error.code` is `transition_refused` and nothing was changed."
)
SEIZURE_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The seizure's id (not its reference)."
)


def _flat_errors(errors, prefix: str = "") -> dict:
    """Name nested input errors the way the services do (``items-0-unit``), so that a
    client meets one naming whichever layer refused the input."""
    flat = {}
    for name, value in errors.items():
        key = f"{prefix}{name}"
        if prefix and name == api_settings.NON_FIELD_ERRORS_KEY:
            key = prefix.removesuffix("-")
        if isinstance(value, dict):
            flat.update(_flat_errors(value, f"{key}-"))
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            for index, child in enumerate(value):
                flat.update(_flat_errors(child, f"{key}-{index}-"))
        else:
            flat[key] = value
    return flat


class ListRowsPagination(Pagination):
    django_paginator_class = selectors.ListRowsPaginator


@extend_schema_view(
    list=extend_schema(summary="Seizures of your administration, newest first"),
    retrieve=extend_schema(
        summary="One seizure with its items, offences and attachments",
        parameters=[SEIZURE_ID],
        responses={200: SeizureOutput, 404: NOT_FOUND},
    ),
)
class SeizureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Seizures (cases) of the user's administration. Any other administration's record is a
    404, whether or not it exists."""

    filterset_class = SeizureFilterSet
    # seizure_get takes an int; anything else is not a seizure's address.
    lookup_value_regex = r"\d+"
    # A seizure nests its items and offences, which only JSON carries.
    parser_classes = [JSONParser]

    pagination_class = ListRowsPagination

    def get_queryset(self):
        # Only the lists read it (get_object has its own selector). The feed reads plain rows;
        # the numbered list filters and counts the seizures and reads its page as plain rows
        # (ListRowsPagination).
        if self.action == "feed":
            return selectors.seizure_list_rows(user=self.request.user)
        return selectors.seizure_list_plain(user=self.request.user)

    def get_object(self):
        seizure = selectors.seizure_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, seizure)
        return seizure

    def list(self, request):
        """SeizureListOutput's rows, built from plain rows rather than through the
        serializer (SeizureListOutput.from_rows)."""
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        items = selectors.seizure_list_items(rows=rows)
        return self.get_paginated_response(SeizureListOutput.from_rows(rows, items))

    def get_serializer_class(self):
        return SeizureListOutput if self.action in ("list", "feed", "queue") else SeizureOutput

    @extend_schema(
        summary="Every matching seizure, newest first, a page at a time",
        responses={200: SeizureListOutput(many=True), 400: INVALID},
    )
    @action(detail=False, pagination_class=NewestFirstCursorPagination)
    def feed(self, request):
        """The list's filters without page numbers or a count, for a program that reads
        every match: follow `next` until it is null. Every page costs what the first does,
        where numbered pages stop at the list's count cap."""
        if "ordering" in request.query_params:
            raise ValidationError(
                {"ordering": [_("The feed is always newest first; leave out ordering.")]}
            )
        return self.list(request)

    def _input(self, serializer_class, **context) -> dict:
        serializer = serializer_class(
            data=self.request.data, context={"request": self.request, **context}
        )
        if not serializer.is_valid():
            raise ValidationError(_flat_errors(serializer.errors))
        return dict(serializer.validated_data)

    def _output(self, seizure, code=status.HTTP_200_OK) -> Response:
        seizure = selectors.seizure_get(user=self.request.user, pk=seizure.pk)
        return Response(SeizureOutput(seizure, context={"request": self.request}).data, code)

    @extend_schema(
        summary="Record a seizure as a draft",
        request=SeizureCreateInput,
        responses={201: SeizureOutput, 400: INVALID, 403: FORBIDDEN},
        examples=[NADI_COCAINE],
    )
    def create(self, request):
        """Officers and supervisors record seizures; the reference (e.g. FJ-2026-000001),
        status, owner and version are set by the system."""
        data = self._input(SeizureCreateInput)
        items, offences = data.pop("items"), data.pop("offences", None)
        seizure = services.seizure_create(
            by=request.user, values=data, items=items, offences=offences
        )
        return self._output(seizure, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Replace a draft or an approved record with the edited version",
        request=SeizureUpdateInput,
        parameters=[SEIZURE_ID],
        responses={200: SeizureOutput, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def update(self, request, pk=None):
        """Officers edit their own drafts and approved records, supervisors any of the
        administration's. An edited approved record goes back for review as a new version;
        its last approval stays what the exchange knows until then. Send the `version` you
        read: if someone saved in between, the answer is 409 and nothing is overwritten."""
        seizure = self.get_object()
        data = self._input(SeizureUpdateInput, kept_code_ids=seizure.code_ids_in_use())
        version, items = data.pop("version"), data.pop("items")
        offences = data.pop("offences", None)
        seizure = services.seizure_update(
            by=request.user,
            seizure=seizure,
            expected_version=version,
            values=data,
            items=items,
            offences=offences,
        )
        return self._output(seizure)

    @extend_schema(
        summary="Attach a photo or document to a draft",
        request={"multipart/form-data": AttachmentInput},
        parameters=[SEIZURE_ID],
        responses={201: AttachmentOutput, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        """Photos must be JPEG, PNG, WebP or GIF; documents PDF, Word, Excel, PowerPoint or
        plain text. The content decides, not the file name."""
        seizure = self.get_object()
        data = AttachmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            by=request.user,
            seizure=seizure,
            upload=data.validated_data["file"],
            kind=data.validated_data["kind"],
            caption=data.validated_data["caption"],
        )
        return Response(AttachmentOutput(attachment).data, status=status.HTTP_201_CREATED)

    # --- The approval workflow -------------------------------------------------------------

    @extend_schema(
        summary="Records waiting for review, the longest waiting first (supervisors)",
        responses=SeizureListOutput(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=Pagination)
    def queue(self, request):
        """Submitted records of your administration; empty for anyone but supervisors."""
        page = self.paginate_queryset(selectors.review_queue(user=request.user))
        return self.get_paginated_response(SeizureListOutput(page, many=True).data)

    @extend_schema(
        summary="Submit a draft for review",
        request=None,
        parameters=[SEIZURE_ID],
        responses={200: SeizureOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: NOT_NOW},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The officer who recorded it, or a supervisor, sends a draft for review."""
        return self._output(services.seizure_submit(by=request.user, seizure=self.get_object()))

    @extend_schema(
        summary="Return a submitted record to draft, with a comment (supervisors)",
        request=ReturnInput,
        parameters=[SEIZURE_ID],
        responses={200: SeizureOutput, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: NOT_NOW},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        seizure = self.get_object()
        data = self._input(ReturnInput)
        return self._output(
            services.seizure_return(by=request.user, seizure=seizure, comment=data["comment"])
        )

    @extend_schema(
        summary="Approve a submitted record with a sharing decision (supervisors)",
        request=ApproveInput,
        parameters=[SEIZURE_ID],
        responses={
            200: SeizureOutput,
            400: INVALID,
            403: OpenApiResponse(
                description="Not a supervisor of the record's administration, or four eyes: "
                "you entered the record or changed it last."
            ),
            404: NOT_FOUND,
            409: OpenApiResponse(
                description="The record is not submitted (`transition_refused`), or it changed "
                "since `version` was read (`conflict`); nothing was changed."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Freezes this version and what each destination of the decision will receive
        (see `preview`)."""
        seizure = self.get_object()
        data = self._input(ApproveInput)
        services.seizure_approve(
            by=request.user,
            seizure=seizure,
            expected_version=data["version"],
            decision=SharingDecisionInput.decision(data),
        )
        return self._output(seizure)

    @extend_schema(
        summary="Withdraw an approved record, with the reason (supervisors)",
        request=WithdrawInput,
        parameters=[SEIZURE_ID],
        responses={200: SeizureOutput, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: NOT_NOW},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        seizure = self.get_object()
        data = self._input(WithdrawInput)
        return self._output(
            services.seizure_withdraw(by=request.user, seizure=seizure, reason=data["reason"])
        )

    @extend_schema(
        summary="The payload approving would send to one destination (supervisors)",
        parameters=[
            SEIZURE_ID,
            PreviewInput,
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                description="Exactly the bytes the exchange will send (canonical JSON, see "
                "docs/exchange-payload.md), for the decision given; parts of the decision "
                "left out take the administration's defaults."
            ),
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None):
        seizure = self.get_object()
        if not rights.can_review(request.user, seizure):
            raise PermissionDenied(_("Only supervisors of its administration preview payloads."))
        unknown = sorted(set(request.query_params) - set(PreviewInput().fields))
        if unknown:
            raise ValidationError({name: [_("Unknown query parameter.")] for name in unknown})
        defaults = sharing_policy(administration=seizure.administration).default_decision()
        data = PreviewInput(data={**defaults.as_dict(), **request.query_params.dict()})
        if not data.is_valid():
            raise ValidationError(data.errors)
        decision = SharingDecisionInput.decision(data.validated_data)
        destination = data.validated_data["destination"]
        if destination not in decision.destinations:
            raise ValidationError(
                {"destination": [_("The distribution chosen does not share with it.")]}
            )
        body = selectors.sharing_preview(seizure=seizure, decision=decision)[destination]
        return HttpResponse(body, content_type="application/json")


class AttachmentFileView(APIView):
    """An attachment's file, or its thumbnail, for users who may see its seizure."""

    thumbnail = False

    @extend_schema(
        summary="Download an attachment",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
        return attachment_response(attachment, thumbnail=self.thumbnail)


class OffenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Offences recorded on the seizures of the user's administration."""

    serializer_class = OffenceOutput
    filterset_class = OffenceFilterSet

    def get_queryset(self):
        return selectors.offence_list(user=self.request.user)


class CodeViewSet(viewsets.ReadOnlyModelViewSet):
    """Code-list entries: the shipped ones and the administration's own. The list leaves
    retired entries out unless `include_retired=true`; one entry is found retired or not,
    since older records still use it."""

    serializer_class = CodeOutput
    filterset_class = CodeFilterSet

    def get_queryset(self):
        return selectors.code_list(user=self.request.user)

    def filter_queryset(self, queryset):
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)
