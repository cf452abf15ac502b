"""Django admin, for platform superusers. Changes made here are audited like any other."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from . import audit
from .audit import Action
from .models import Administration, AuditEntry, Office, TaskRun, User


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            changed = [name for name in form.changed_data if "password" not in name]
            before = {name: form.initial.get(name) for name in changed} if change else None
            super().save_model(request, obj, form, change)
            audit.record(
                action=Action.ADMIN_CHANGE if change else Action.ADMIN_ADD,
                actor=request.user,
                administration=obj if isinstance(obj, Administration) else obj.administration,
                target=obj,
                before=before,
                after=model_to_dict(obj, fields=changed),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(
                action=Action.ADMIN_DELETE, actor=request.user, target=obj, before={"str": str(obj)}
            )
            super().delete_model(request, obj)


@admin.register(Administration)
class AdministrationAdmin(AuditedAdmin):
    list_display = ["name", "code", "country", "time_zone", "default_language", "is_hub"]


@admin.register(Office)
class OfficeAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "administration", "is_active"]
    list_select_related = ["administration"]
    list_filter = ["administration", "kind", "is_active"]


@admin.register(User)
class NcenUserAdmin(AuditedAdmin, UserAdmin):
    list_display = ["username", "administration", "role", "office", "is_active", "last_login"]
    list_select_related = ["administration", "office"]
    list_filter = ["administration", "role", "is_active", "is_superuser"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Administration"), {"fields": ["administration", "office", "role"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "administration", "role", "password1", "password2"]}),
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "created_at", "actor_username", "administration", "action"]
    list_select_related = ["administration"]
    list_filter = ["action", "administration"]


@admin.register(TaskRun)
class TaskRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "status", "attempts", "created_at", "finished_at"]
    list_filter = ["status", "name"]
