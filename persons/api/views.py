from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .. import selectors, services
from ..filters import BusinessFilterSet, CaseLinkFilterSet, ConveyanceFilterSet, PersonFilterSet
from .serializers import (
    MATCH_INPUTS,
    BusinessInput,
    BusinessOutput,
    CandidateOutput,
    CaseLinkInput,
    CaseLinkOutput,
    ConveyanceInput,
    ConveyanceOutput,
    PersonInput,
    PersonOutput,
)

INVALID = OpenApiResponse(description="Some input is not valid; `error.fields` names each field.")
NOT_FOUND = OpenApiResponse(description="No such record among those you may see.")


def _validated(serializer_class, data, request, *, strict=False) -> dict:
    # One serializer: each copies its class's fields (the match's countries: a millisecond).
    serializer = serializer_class(data=data, context={"request": request})
    if strict:
        unknown = sorted(set(data) - set(serializer.fields) - {"format"})
        if unknown:
            raise ValidationError(
                {
                    name: [
                        _("Unknown query parameter. Allowed: %(allowed)s.")
                        % {"allowed": ", ".join(serializer.fields)}
                    ]
                    for name in unknown
                }
            )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class _NominalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Records of the user's administration; any other's is a 404, whether or not it exists.
    ``kind`` names the record for the selectors, the services and the match."""

    kind = ""
    input_class = None
    # Nominal data is read on a need to know: reading a person or a business is audited.
    audit_reads = False
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return getattr(selectors, f"{self.kind}_list")(user=self.request.user)

    def get_object(self):
        record = getattr(selectors, f"{self.kind}_get")(
            user=self.request.user, pk=self.kwargs["pk"]
        )
        self.check_object_permissions(self.request, record)
        return record

    def retrieve(self, request, pk=None):
        record = self.get_object()
        if self.audit_reads:
            services.nominal_view_record(by=request.user, record=record)
        return Response(self.serializer_class(record).data)

    def get_serializer_class(self):
        if self.action == "match":
            return CandidateOutput
        return self.serializer_class

    def create(self, request):
        values = _validated(self.input_class, request.data, request)
        record = getattr(services, f"{self.kind}_create")(
            by=request.user, **self._arguments(values)
        )
        return Response(self.serializer_class(record).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None):
        """The whole record as it should now be; fields left out take their empty value."""
        record = self.get_object()
        values = _validated(self.input_class, request.data, request)
        record = getattr(services, f"{self.kind}_update")(
            by=request.user, **{self.kind: record}, **self._arguments(values)
        )
        return Response(self.serializer_class(record).data)

    def _arguments(self, values: dict) -> dict:
        return {"values": values}

    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def match(self, request):
        """Existing records that could be the one described, best first, each with its score
        and the reasons for it."""
        query = _validated(MATCH_INPUTS[self.kind], request.query_params, request, strict=True)
        candidates = selectors.record_match(user=request.user, kind=self.kind, query=query)
        return Response(CandidateOutput(candidates, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Suspected persons of your administration"),
    retrieve=extend_schema(
        summary="One person; every reading is written in the audit trail",
        responses={200: PersonOutput, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Record a suspected person",
        request=PersonInput,
        responses={201: PersonOutput, 400: INVALID},
    ),
    update=extend_schema(
        summary="Replace a person's record, documents included",
        request=PersonInput,
        responses={200: PersonOutput, 400: INVALID, 404: NOT_FOUND},
    ),
    match=extend_schema(
        summary="Persons who could be the one described",
        description="By name, document, phone, date or year of birth and nationality.",
        parameters=[MATCH_INPUTS["person"]],
        responses={200: CandidateOutput(many=True), 400: INVALID},
    ),
)
class PersonViewSet(_NominalViewSet):
    kind = "person"
    serializer_class = PersonOutput
    input_class = PersonInput
    filterset_class = PersonFilterSet
    audit_reads = True

    def _arguments(self, values: dict) -> dict:
        documents = [dict(document) for document in values.pop("documents")]
        return {"values": values, "documents": documents}


@extend_schema_view(
    list=extend_schema(summary="Businesses of your administration"),
    retrieve=extend_schema(
        summary="One business; every reading is written in the audit trail",
        responses={200: BusinessOutput, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Record a business",
        request=BusinessInput,
        responses={201: BusinessOutput, 400: INVALID},
    ),
    update=extend_schema(
        summary="Replace a business's record",
        request=BusinessInput,
        responses={200: BusinessOutput, 400: INVALID, 404: NOT_FOUND},
    ),
    match=extend_schema(
        summary="Businesses that could be the one described (name, registration or tax number)",
        parameters=[MATCH_INPUTS["business"]],
        responses={200: CandidateOutput(many=True), 400: INVALID},
    ),
)
class BusinessViewSet(_NominalViewSet):
    kind = "business"
    serializer_class = BusinessOutput
    input_class = BusinessInput
    filterset_class = BusinessFilterSet
    audit_reads = True


@extend_schema_view(
    list=extend_schema(summary="Conveyances of your administration"),
    retrieve=extend_schema(
        summary="One conveyance", responses={200: ConveyanceOutput, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="Record a vessel, aircraft, vehicle or container",
        request=ConveyanceInput,
        responses={201: ConveyanceOutput, 400: INVALID},
    ),
    update=extend_schema(
        summary="Replace a conveyance's record",
        request=ConveyanceInput,
        responses={200: ConveyanceOutput, 400: INVALID, 404: NOT_FOUND},
    ),
    match=extend_schema(
        summary="Conveyances whose identifier is, or starts with, `q`",
        parameters=[MATCH_INPUTS["conveyance"]],
        responses={200: CandidateOutput(many=True), 400: INVALID},
    ),
)
class ConveyanceViewSet(_NominalViewSet):
    kind = "conveyance"
    serializer_class = ConveyanceOutput
    input_class = ConveyanceInput
    filterset_class = ConveyanceFilterSet


@extend_schema_view(
    list=extend_schema(summary="Links of persons, businesses and conveyances to cases"),
    create=extend_schema(
        summary="Put a person, business or conveyance in a case",
        request=CaseLinkInput,
        responses={201: CaseLinkOutput, 400: INVALID},
    ),
    destroy=extend_schema(summary="Take a record out of a case"),
)
class CaseLinkViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CaseLinkOutput
    filterset_class = CaseLinkFilterSet
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.link_list(user=self.request.user)

    def create(self, request):
        link = services.link_add(
            by=request.user, **_validated(CaseLinkInput, request.data, request)
        )
        return Response(CaseLinkOutput(link).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.link_remove(by=self.request.user, link=instance)
