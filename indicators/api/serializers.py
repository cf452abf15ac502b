from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ncen.models import User

from .. import selectors
from ..models import Alert, Indicator


class IndicatorInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    rationale = serializers.CharField()
    criteria = serializers.JSONField(
        help_text="Query parameters of /api/v1/seizures/ (e.g. "
        '{"commodity": 71, "transport_mode": 20}): the seizures a search with them would '
        "list are the ones that match; `route_country`, which repeats, also takes a list "
        '(`{"route_country": ["NZ", "PE"]}`: every country on the route). `ordering` and '
        "`imported` are not criteria."
    )
    recipients = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=User.objects.none(),
        help_text="Ids of active users of your administration, alerted by each hit.",
    )
    is_active = serializers.BooleanField(
        required=False, help_text="False deactivates it: it checks nothing and alerts nobody."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # absent when the schema is generated
        if request is not None:
            self.fields["recipients"].child_relation.queryset = selectors.recipient_choices(
                user=request.user
            )


class _UserRef(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class IndicatorOutput(serializers.ModelSerializer):
    owner = _UserRef()
    recipients = _UserRef(many=True)
    checked = serializers.IntegerField(help_text="Records checked since it became active.")
    hits = serializers.IntegerField(source="hit_count", help_text="Records that matched.")
    hit_rate = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "name",
            "rationale",
            "criteria",
            "owner",
            "recipients",
            "is_active",
            "activated_at",
            "created_at",
            "updated_at",
            "checked",
            "hits",
            "hit_rate",
        ]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_hit_rate(self, indicator) -> float | None:
        """Hits divided by records checked; null before the first check."""
        return selectors.hit_rate(indicator)


class _SeizureRef(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()


class _IndicatorRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AlertOutput(serializers.ModelSerializer):
    seizure = _SeizureRef(source="hit.seizure")
    indicator = _IndicatorRef(source="hit.indicator")
    matched_at = serializers.DateTimeField(source="hit.created_at")
    read_at = serializers.DateTimeField(source="notification.read_at", allow_null=True)

    class Meta:
        model = Alert
        fields = ["id", "seizure", "indicator", "matched_at", "read_at"]


class AlertsReadInput(serializers.Serializer):
    alerts = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Ids of the alerts to mark as read; all of yours when left out.",
    )


class AlertsReadOutput(serializers.Serializer):
    marked = serializers.IntegerField(help_text="Alerts that were unread and now are read.")
