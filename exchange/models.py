"""What may leave the country: the sharing decision's values and each administration's
sharing policy. The payload itself is computed by exchange.payload."""

from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ncen.models import Administration

from .columns import SearchableColumns, searchable_indexes
from .querysets import (
    OutboxEntryQuerySet,
    ReceivedRecordQuerySet,
    RegionalRecordQuerySet,
    SharingPolicyQuerySet,
)


class Distribution(models.TextChoices):
    NATIONAL = "national", _("National only")
    REGIONAL = "regional", _("Regional exchange")
    REGIONAL_AND_GLOBAL = "regional_global", _("Regional exchange and global")


class Destination(models.TextChoices):
    """Where an outgoing payload goes."""

    REGIONAL = "regional", _("Regional exchange")
    GLOBAL = "global", _("Global database")


# Each distribution's destinations, in the order they are shown.
DESTINATIONS = {
    Distribution.NATIONAL: (),
    Distribution.REGIONAL: (Destination.REGIONAL,),
    Distribution.REGIONAL_AND_GLOBAL: (Destination.REGIONAL, Destination.GLOBAL),
}


class HandlingCode(models.TextChoices):
    INTELLIGENCE_ONLY = "intelligence_only", _("For intelligence use only")
    NOT_FOR_COURT = "not_for_court", _("Not to be used in court without permission")
    NO_ONWARD_SHARING = "no_onward_sharing", _("No onward sharing without permission")
    OTHER = "other", _("Other restriction")


class SourceReliability(models.TextChoices):
    A = "A", _("A: reliable")
    B = "B", _("B: usually reliable")
    C = "C", _("C: not usually reliable")
    X = "X", _("X: cannot be judged")


class InformationAccuracy(models.IntegerChoices):
    KNOWN_TRUE = 1, _("1: known to be true")
    KNOWN_PERSONALLY = 2, _("2: known personally to the source")
    CORROBORATED = 3, _("3: not known personally, but corroborated")
    CANNOT_BE_JUDGED = 4, _("4: cannot be judged")


@dataclass(frozen=True)
class SharingDecision:
    """What a supervisor decides at approval (see exchange.services.validate_decision)."""

    distribution: str
    handling_code: str
    handling_text: str
    source_reliability: str
    information_accuracy: int

    @property
    def destinations(self) -> tuple[str, ...]:
        return tuple(DESTINATIONS[self.distribution])

    def as_dict(self) -> dict:
        return asdict(self)


class NominalField(models.TextChoices):
    """What an administration's policy may let go to the regional exchange beyond the
    non-nominal record. Global payloads never carry any of them."""

    PERSON_NAME = "person_name", _("Persons' names")
    PERSON_NATIONALITY = "person_nationality", _("Persons' nationalities")
    PERSON_GENDER = "person_gender", _("Persons' gender")
    PERSON_BIRTH_YEAR = "person_birth_year", _("Persons' year of birth")
    PERSON_DOCUMENTS = "person_documents", _("Persons' identity documents (type, number, country)")
    PERSON_PHONES = "person_phones", _("Persons' phone numbers")
    BUSINESS_NAME = "business_name", _("Business names")
    BUSINESS_COUNTRY = "business_country", _("Businesses' country of registration")
    BUSINESS_TYPE = "business_type", _("Business type")
    BUSINESS_NUMBERS = "business_numbers", _("Businesses' registration and tax numbers")
    BUSINESS_PHONES = "business_phones", _("Businesses' phone numbers")
    FREE_TEXT = "free_text", _("Narrative and item descriptions (free text may name people)")


class SharingPolicy(models.Model):
    """One administration's rules for what leaves the country, and the values a supervisor's
    sharing decision starts from. An administration without a row has the defaults below."""

    administration = models.OneToOneField(
        Administration, on_delete=models.CASCADE, related_name="sharing_policy", editable=False
    )
    regional_fields = ArrayField(
        models.CharField(max_length=32, choices=NominalField.choices),
        verbose_name=_("nominal fields shared with the regional exchange"),
        default=list,
        blank=True,
    )
    distribution = models.CharField(
        _("default distribution"),
        max_length=16,
        choices=Distribution.choices,
        default=Distribution.REGIONAL,
    )
    handling_code = models.CharField(
        _("default handling code"),
        max_length=24,
        choices=HandlingCode.choices,
        default=HandlingCode.INTELLIGENCE_ONLY,
    )
    handling_text = models.CharField(_("default other restriction"), max_length=300, blank=True)
    source_reliability = models.CharField(
        _("default source reliability"),
        max_length=1,
        choices=SourceReliability.choices,
        default=SourceReliability.B,
    )
    information_accuracy = models.PositiveSmallIntegerField(
        _("default information accuracy"),
        choices=InformationAccuracy.choices,
        default=InformationAccuracy.CORROBORATED,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = SharingPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("sharing policy")
        verbose_name_plural = _("sharing policies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(handling_code=HandlingCode.OTHER) | ~Q(handling_text=""),
                name="sharing_policy_other_handling_has_text",
            ),
        ]

    def __str__(self) -> str:
        return str(self.administration)

    def default_decision(self) -> SharingDecision:
        return SharingDecision(
            distribution=self.distribution,
            handling_code=self.handling_code,
            handling_text=self.handling_text,
            source_reliability=self.source_reliability,
            information_accuracy=self.information_accuracy,
        )


# --- National side: the outbox ----------------------------------------------------------------


class Message(models.TextChoices):
    SEIZURE = "seizure", _("Approved version")
    WITHDRAWAL = "withdrawal", _("Withdrawal")


class OutboxEntry(models.Model):
    """One message waiting for, or given to, a destination: written in the transaction of the
    approval or withdrawal it carries, so nothing approved is ever left unsent. The bytes are
    kept as they were computed then; the hash travels with them."""

    class State(models.TextChoices):
        PENDING = "pending", _("Queued")
        SENDING = "sending", _("Sent, waiting for the answer")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        REJECTED = "rejected", _("Rejected")

    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="+", editable=False
    )
    seizure = models.ForeignKey(
        "seizures.Seizure", on_delete=models.PROTECT, related_name="outbox_entries"
    )
    approval = models.ForeignKey("seizures.Approval", on_delete=models.PROTECT, related_name="+")
    message = models.CharField(_("message"), max_length=16, choices=Message.choices)
    record_uuid = models.UUIDField(_("record"))
    version = models.PositiveIntegerField(_("approved version"))
    destination = models.CharField(_("destination"), max_length=16, choices=Destination.choices)
    payload = models.BinaryField(_("payload"))
    payload_sha256 = models.CharField(_("payload hash"), max_length=64)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # Who holds a sending entry, and since when: a worker killed mid-send leaves it to the
    # sweep, which gives it back after the lease (exchange.delivery.sending_lease).
    claimed_by = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The hub's answer: accepted or duplicate when acknowledged, the reason when rejected.
    outcome = models.CharField(_("hub's answer"), max_length=16, blank=True)
    reason = models.TextField(_("hub's reason"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    objects = OutboxEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox entry")
        verbose_name_plural = _("outbox entries")
        constraints = [
            models.UniqueConstraint(
                fields=["seizure", "destination", "message", "version"],
                name="outbox_one_entry_per_message",
            ),
        ]
        indexes = [
            # The claim: pending entries of a destination that are due, oldest first.
            models.Index(
                fields=["destination", "next_attempt_at"],
                condition=Q(state="pending"),
                name="outbox_due",
            ),
            models.Index(
                fields=["destination", "claimed_at"],
                condition=Q(state="sending"),
                name="outbox_sending",
            ),
            models.Index(fields=["seizure", "destination", "id"], name="outbox_record_order"),
        ]

    def __str__(self) -> str:
        return self.idempotency_key

    @property
    def idempotency_key(self) -> str:
        """What the hub recognises a message by, however often it is sent."""
        return idempotency_key(
            member=self.administration.code,
            uuid=str(self.record_uuid),
            version=self.version,
            message=self.message,
        )


def idempotency_key(*, member: str, uuid: str, version: int, message: str) -> str:
    key = f"{member}/{uuid}/{version}"
    return key if message == Message.SEIZURE else f"{key}/{message}"


class DeliveryAttempt(models.Model):
    """One try at delivering an entry, and what came of it: the attempt history that the
    record's page and the exchange page show."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DUPLICATE = "duplicate", _("Already received")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed, will retry")

    entry = models.ForeignKey(OutboxEntry, on_delete=models.CASCADE, related_name="attempts_made")
    batch = models.UUIDField(_("batch"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["entry", "id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        indexes = [models.Index(fields=["-finished_at"], name="attempt_latest")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.outcome}"


# --- Hub side: the registry and what members shared --------------------------------------------


class Member(models.Model):
    """A member administration registered at this hub, and the public key its batches are
    signed with. Managed by the hub's administrators."""

    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z0-9]{2,3}$", _("Two or three capital letters or digits."))
        ],
        help_text=_("The code the member's records carry, e.g. FJ."),
    )
    name = models.CharField(_("name"), max_length=200)
    public_key = models.CharField(
        _("public key"),
        max_length=100,
        help_text=_("What `manage.py exchange_keys` printed on the member's instance."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("exchange member")
        verbose_name_plural = _("exchange members")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InboundBatch(models.Model):
    """A batch the hub accepted for reading (its signature checked): a batch id is read only
    once, which refuses replays, and the counts feed the per-member statistics."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="batches")
    batch = models.UUIDField(unique=True)
    sent_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    accepted = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return str(self.batch)


class RegionalRecord(SearchableColumns):
    """A member's shared seizure as the hub holds it: its highest version, or withdrawn.
    The searchable columns are those of the highest version (exchange.columns)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="records")
    record_uuid = models.UUIDField(_("record"))
    reference = models.CharField(_("reference"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    payload = models.JSONField(_("payload"))  # the message of that version
    handling_code = models.CharField(
        _("handling code"), max_length=24, choices=HandlingCode.choices
    )
    source_reliability = models.CharField(
        _("source reliability"), max_length=1, choices=SourceReliability.choices
    )
    information_accuracy = models.PositiveSmallIntegerField(
        _("information accuracy"), choices=InformationAccuracy.choices
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    received_at = models.DateTimeField(_("first received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = RegionalRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("regional record")
        verbose_name_plural = _("regional records")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "record_uuid"], name="regional_record_unique"
            ),
        ]
        indexes = [
            *searchable_indexes("regional"),
            models.Index(fields=["handling_code"], name="regional_handling"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} v{self.version}"


class RegionalVersion(models.Model):
    """Each message the hub accepted for a record, once: (member, uuid, version, message) is
    the idempotency key, and the hash tells a resend from a conflicting message."""

    record = models.ForeignKey(RegionalRecord, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    message = models.CharField(_("message"), max_length=16, choices=Message.choices)
    payload = models.JSONField(_("payload"))
    payload_sha256 = models.CharField(max_length=64)
    batch = models.ForeignKey(InboundBatch, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)
    # The message's place in the feed members pull, given after it committed
    # (exchange.feed.assign_feed_positions).
    feed_position = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["record", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "version", "message"], name="regional_version_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(feed_position__isnull=True),
                name="regional_version_unplaced",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} v{self.version} {self.message}"


# --- Member side: what the other members shared, pulled from the hub's feed ----------------------


class ReceivedRecord(SearchableColumns):
    """Another member's shared seizure as this administration received it from the hub's
    feed, at its highest version: read-only, written only by exchange.pull. A withdrawal
    keeps the reference and drops the content."""

    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="+", editable=False
    )
    member = models.CharField(_("member"), max_length=3, editable=False)
    record_uuid = models.UUIDField(_("record"), editable=False)
    reference = models.CharField(_("reference"), max_length=40, editable=False)
    version = models.PositiveIntegerField(_("version"), editable=False)
    payload = models.JSONField(_("payload"), editable=False)  # {} once withdrawn
    handling_code = models.CharField(
        _("handling code"), max_length=24, choices=HandlingCode.choices, editable=False
    )
    handling_text = models.CharField(_("other restriction"), max_length=300, editable=False)
    source_reliability = models.CharField(
        _("source reliability"),
        max_length=1,
        choices=SourceReliability.choices,
        editable=False,
    )
    information_accuracy = models.PositiveSmallIntegerField(
        _("information accuracy"), choices=InformationAccuracy.choices, editable=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    received_at = models.DateTimeField(_("first received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ReceivedRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("regional record")
        verbose_name_plural = _("regional records")
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "member", "record_uuid"], name="received_record_unique"
            ),
        ]
        indexes = [
            *searchable_indexes("received"),
            models.Index(fields=["handling_code"], name="received_handling"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} v{self.version}"


class FeedPull(models.Model):
    """Where this administration is in the hub's feed, and how its last pulls went. The
    cursor changes only in the transaction that stores the records it was read with."""

    administration = models.OneToOneField(
        Administration, on_delete=models.PROTECT, related_name="+", editable=False
    )
    cursor = models.CharField(_("cursor"), max_length=100, blank=True)
    received = models.PositiveBigIntegerField(_("messages applied"), default=0)
    last_attempt_at = models.DateTimeField(_("last pull"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last successful pull"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("feed pull")
        verbose_name_plural = _("feed pulls")

    def __str__(self) -> str:
        return str(self.administration_id)
