"""What may leave the country: the sharing decision's values and each administration's
sharing policy. The payload itself is computed by exchange.payload."""

from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ncen.models import Administration

from .querysets import SharingPolicyQuerySet


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
    BUSINESS_NAME = "business_name", _("Business names")
    BUSINESS_COUNTRY = "business_country", _("Businesses' country of registration")
    BUSINESS_TYPE = "business_type", _("Business type")
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
