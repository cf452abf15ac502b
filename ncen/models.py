import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from .querysets import (
    AdministrationQuerySet,
    AuditEntryQuerySet,
    NotificationQuerySet,
    TaskRunQuerySet,
    UserQuerySet,
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Administration(models.Model):
    """A member administration: one national or territorial customs service."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        help_text=_("Short code used in reference numbers, e.g. FJ."),
    )
    country = CountryField(_("country"))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    is_hub = models.BooleanField(
        _("regional hub"),
        default=False,
        help_text=_("The administration that runs the regional exchange."),
    )

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("member administration")
        verbose_name_plural = _("member administrations")

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    class Kind(models.TextChoices):
        SEAPORT = "seaport", _("Seaport")
        AIRPORT = "airport", _("Airport")
        MAIL_CENTRE = "mail_centre", _("Mail centre")
        EXPRESS_COURIER = "express_courier", _("Express courier hub")
        LAND_BORDER = "land_border", _("Land border")
        INLAND = "inland", _("Inland office")
        HEADQUARTERS = "headquarters", _("Headquarters")

    administration = models.ForeignKey(
        Administration,
        on_delete=models.PROTECT,
        related_name="offices",
        verbose_name=_("administration"),
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=16, help_text=_("e.g. the UN/LOCODE, FJSUV."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["administration__name", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "code"], name="office_code_unique_per_administration"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICER = "officer", _("Intelligence officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")
    REGIONAL_ANALYST = "regional_analyst", _("Regional analyst")


# Roles whose holders must sign in with a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


class NcenUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. Belongs to exactly one member administration."""

    administration = models.ForeignKey(
        Administration,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("administration"),
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("office"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    inactivity_warned_at = models.DateTimeField(
        _("warned of deactivation at"), null=True, blank=True, editable=False
    )

    objects = NcenUserManager()

    REQUIRED_FIELDS = ["email", "administration"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ignoring_case"),
        ]

    def clean(self) -> None:
        super().clean()
        if (
            self.office_id
            and self.administration_id
            and self.office.administration_id != self.administration_id
        ):
            raise ValidationError(
                {"office": _("The office must belong to the user's administration.")}
            )
        if (
            self.role == Role.REGIONAL_ANALYST
            and self.administration_id
            and not self.administration.is_hub
        ):
            raise ValidationError(
                {"role": _("Only the regional hub's users can be regional analysts.")}
            )

    @property
    def needs_second_factor(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES or self.is_staff or self.is_superuser

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR


class Session(AbstractBaseSession):
    """A browser session, as Django keeps it, with the user it is signed in as: the session
    store reads the user and their administration in the session's own look-up
    (ncen.sessions). The session's data stays what authentication trusts; the column is
    written from it each time the session is saved, and is empty for anonymous sessions."""

    # Without a constraint in the database: a session whose user was deleted while it was
    # being signed in must still save (Django's store retries a session it failed to create
    # forever), and the column is never trusted anyway. Deleting a user deletes its sessions.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("user"),
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore


class AuditEntry(models.Model):
    """One change or security event. Append-only and hash-chained; see ncen.audit."""

    sequence = models.BigIntegerField(_("sequence"), unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept beside the foreign key so the chain's content never depends on another table.
    actor_username = models.CharField(_("actor's username"), max_length=150, blank=True)
    administration = models.ForeignKey(
        Administration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administration"),
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["administration", "-sequence"], name="audit_admin_seq_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class SignInFailure(models.Model):
    """A failed sign-in, counted per account and per address for lockout."""

    username = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(Lower("username"), "created_at", name="signin_failure_user_idx"),
            models.Index(fields=["ip_address", "created_at"], name="signin_failure_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address}"


class TaskRun(models.Model):
    """What became of one background task: the row a person reads in the UI."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        RETRYING = "retrying", _("Waiting to retry")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("task"), max_length=200)
    arguments = models.JSONField(_("arguments"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("task run", "requested by"),
    )
    administration = models.ForeignKey(
        Administration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administration"),
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = TaskRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class Notification(models.Model):
    """Something a user should know about: shown in the app, and e-mailed by a task."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for your review")
        RETURNED = "returned", _("Returned to you")
        APPROVED = "approved", _("Approved")
        INDICATOR_HIT = "indicator_hit", _("Matches a risk indicator")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # What it is about, kept as text so that the core does not depend on the apps that
    # notify: a reference to show and the page to open.
    subject = models.CharField(_("about"), max_length=64)
    link = models.CharField(_("link"), max_length=200)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"
