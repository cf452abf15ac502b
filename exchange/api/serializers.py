from dataclasses import fields

from rest_framework import serializers

from ..models import (
    Distribution,
    HandlingCode,
    InformationAccuracy,
    NominalField,
    SharingDecision,
    SharingPolicy,
    SourceReliability,
)


class SharingDecisionInput(serializers.Serializer):
    distribution = serializers.ChoiceField(choices=Distribution.choices)
    handling_code = serializers.ChoiceField(choices=HandlingCode.choices)
    handling_text = serializers.CharField(
        max_length=300,
        allow_blank=True,
        default="",
        help_text="The restriction; required when handling_code is `other`.",
    )
    source_reliability = serializers.ChoiceField(choices=SourceReliability.choices)
    information_accuracy = serializers.ChoiceField(choices=InformationAccuracy.choices)

    @staticmethod
    def decision(data: dict) -> SharingDecision:
        return SharingDecision(
            **{field.name: data[field.name] for field in fields(SharingDecision)}
        )


class SharingPolicyInput(SharingDecisionInput):
    regional_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=NominalField.choices),
        allow_empty=True,
        help_text="Nominal fields the regional exchange may receive; global sharing never "
        "carries any.",
    )


class SharingPolicyOutput(serializers.ModelSerializer):
    administration = serializers.CharField(source="administration.code")
    updated_by = serializers.CharField(source="updated_by.username", allow_null=True)

    class Meta:
        model = SharingPolicy
        fields = [
            "administration",
            "regional_fields",
            "distribution",
            "handling_code",
            "handling_text",
            "source_reliability",
            "information_accuracy",
            "updated_by",
            "updated_at",
        ]
