"""Shared records in the API: the hub's regional records for its regional analysts, and a
member's received regional records for its users. Reads only, through the selectors."""

from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from .. import selectors, services
from ..filters import ReceivedRecordFilterSet, RegionalRecordFilterSet
from ..models import ReceivedRecord, RegionalRecord

SHARED_FIELDS = [
    "id",
    "reference",
    "version",
    "occurred_at",
    "commodity_codes",
    "route_countries",
    "transport_mode",
    "detection_method",
    "handling_code",
    "source_reliability",
    "information_accuracy",
    "withdrawn_at",
]


class RegionalRecordOutput(serializers.ModelSerializer):
    member = serializers.CharField(source="member.code")

    class Meta:
        model = RegionalRecord
        fields = ["member", *SHARED_FIELDS]


class RegionalRecordDetailOutput(RegionalRecordOutput):
    class Meta(RegionalRecordOutput.Meta):
        fields = [*RegionalRecordOutput.Meta.fields, "payload"]


class ReceivedRecordOutput(serializers.ModelSerializer):
    class Meta:
        model = ReceivedRecord
        fields = ["member", *SHARED_FIELDS, "handling_text"]


class ReceivedRecordDetailOutput(ReceivedRecordOutput):
    # The payload may name persons: read one record at a time, and noted (not listed in
    # bulk, which would be an export of nominal data).
    class Meta(ReceivedRecordOutput.Meta):
        fields = [*ReceivedRecordOutput.Meta.fields, "payload"]


class SharedRecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A list of shared records, and one record read with its payload, which is noted."""

    lookup_value_regex = r"\d+"
    # Each subclass names its list's serializer and the detail's, which adds the payload.
    detail_serializer_class: type[serializers.Serializer]

    def get_serializer_class(self):
        return self.detail_serializer_class if self.action == "retrieve" else self.serializer_class

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        services.shared_record_viewed(by=request.user, record=record)
        return Response(self.get_serializer(record).data)


class RegionalRecordViewSet(SharedRecordViewSet):
    """What the members shared with the hub (the hub's regional analysts only; an empty
    list or a 404 for everyone else)."""

    filterset_class = RegionalRecordFilterSet
    serializer_class = RegionalRecordOutput
    detail_serializer_class = RegionalRecordDetailOutput

    def get_queryset(self):
        return selectors.regional_record_list(user=self.request.user)

    def get_object(self):
        return selectors.regional_record_get(user=self.request.user, pk=self.kwargs["pk"])


class ReceivedRecordViewSet(SharedRecordViewSet):
    """Records other members shared, as this administration received them from the hub,
    with their handling code (read-only)."""

    filterset_class = ReceivedRecordFilterSet
    serializer_class = ReceivedRecordOutput
    detail_serializer_class = ReceivedRecordDetailOutput

    def get_queryset(self):
        return selectors.received_record_list(user=self.request.user)

    def get_object(self):
        return selectors.received_record_get(user=self.request.user, pk=self.kwargs["pk"])
