"""Separate input and output serializers: nothing a client sends reaches a model directly."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import AuditEntry, Office, Role, TaskRun, User


class OfficeOutput(serializers.ModelSerializer):
    class Meta:
        model = Office
        fields = ["id", "name", "code", "kind"]


class UserOutput(serializers.ModelSerializer):
    office = OfficeOutput(allow_null=True)
    administration = serializers.CharField(source="administration.name")
    last_used = serializers.DateTimeField(
        help_text="Last sign-in, or when the account was created if never used."
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "administration",
            "office",
            "is_active",
            "last_login",
            "last_used",
            "date_joined",
        ]


@extend_schema_field(OpenApiTypes.INT)
class OwnOfficeField(serializers.PrimaryKeyRelatedField):
    """An office of the requesting user's administration, by id."""

    def get_queryset(self):
        user = self.context["request"].user
        return Office.objects.filter(administration_id=user.administration_id)


class UserUpdateInput(serializers.Serializer):
    email = serializers.EmailField(allow_blank=True)
    first_name = serializers.CharField(max_length=150, allow_blank=True)
    last_name = serializers.CharField(max_length=150, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices)
    office = OwnOfficeField(allow_null=True, required=False, default=None)


class UserCreateInput(UserUpdateInput):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()


class UserDeactivateInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class MeOutput(UserOutput):
    class Meta(UserOutput.Meta):
        fields = [f for f in UserOutput.Meta.fields if f != "last_used"]


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once; send it as `Authorization: Token <key>`.")


class AuditEntryOutput(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_username")

    class Meta:
        model = AuditEntry
        fields = [
            "sequence",
            "created_at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "before",
            "after",
            "reason",
            "request_id",
            "ip_address",
            "entry_hash",
        ]


class TaskRunOutput(serializers.ModelSerializer):
    class Meta:
        model = TaskRun
        fields = [
            "id",
            "name",
            "status",
            "attempts",
            "message",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]
