"""Nominal records: suspected persons, businesses and recurring conveyances, the links that
tie them to cases, and the deduplication judgements made on persons and businesses.

Every record belongs to one administration. Identifiers (document numbers, phones,
registration numbers) are kept twice: as written, and as a key without spaces or
punctuation in upper case (``keys.identifier_key``), which exact matching and correlation
use. ``name_key`` holds every name of the record lowercased and unaccented, for trigram
matching; the services compute it with ``NAME_KEY_SQL``.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Func, Q, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from ncen.models import Administration
from seizures.models import Offence, Seizure

from .names import WORD_SEPARATOR
from .querysets import (
    BusinessQuerySet,
    CaseLinkQuerySet,
    ConveyanceQuerySet,
    DuplicatePairQuerySet,
    PersonNameQuerySet,
    PersonQuerySet,
)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class LinkRole(models.TextChoices):
    PASSENGER = "passenger", _("Passenger")
    COURIER = "courier", _("Courier")
    DRIVER = "driver", _("Driver")
    CREW = "crew", _("Crew")
    CONSIGNEE = "consignee", _("Consignee")
    CONSIGNOR = "consignor", _("Consignor")
    OWNER = "owner", _("Owner")
    ORGANISER = "organiser", _("Organiser")
    OTHER = "other", _("Other")


def _lines(verbose_name, max_length=300):
    """A list of short texts (aliases, phones, addresses), entered one a line."""
    return ArrayField(
        models.CharField(max_length=max_length), verbose_name=verbose_name, default=list, blank=True
    )


class NominalRecord(models.Model):
    """What persons, businesses and conveyances share: owner, notes and who kept them."""

    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="+", editable=False
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Person(NominalRecord):
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    family_name = models.CharField(_("family name"), max_length=200, blank=True)
    full_name = models.CharField(
        _("full name as written"),
        max_length=300,
        help_text=_("As it appears on the document or in the report."),
    )
    aliases = _lines(_("aliases and other spellings"), max_length=300)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        help_text=_("When only the year is known; filled from the date of birth otherwise."),
    )
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    nationalities = ArrayField(
        models.CharField(max_length=2), verbose_name=_("nationalities"), default=list, blank=True
    )
    addresses = _lines(_("addresses"), max_length=500)
    phones = _lines(_("phone numbers"), max_length=40)
    email = models.EmailField(_("e-mail"), blank=True)
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    # Stored under MEDIA_ROOT, served only by a view that checks the person's visibility.
    photo = models.FileField(upload_to="persons/%Y/%m/", blank=True, editable=False)
    photo_content_type = models.CharField(max_length=100, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("merged into"),
    )
    phone_keys = ArrayField(models.CharField(max_length=40), default=list, editable=False)
    name_key = models.TextField(default="", editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["administration", "family_name", "given_names", "id"]),
            GinIndex(fields=["phone_keys"], name="person_phone_keys_gin"),
            GinIndex(fields=["name_key"], name="person_name_trgm", opclasses=["gin_trgm_ops"]),
            # The second step of matching: the persons bearing the names found in PersonName.
            models.Index(fields=["administration", "name_key"], name="person_name_key_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1880),
                name="person_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("persons:person_detail", args=[self.pk])

    @property
    def nationality_names(self) -> list[str]:
        return [countries.name(code) or code for code in self.nationalities]

    @property
    def birth(self) -> str:
        """The date of birth, or the year alone when that is all that is known."""
        if self.birth_date:
            return self.birth_date.isoformat()
        return str(self.birth_year or "")


class PersonName(models.Model):
    """Each distinct ``Person.name_key`` of an administration, once. Matching looks for
    similar names here first: a million persons bear about 400,000 names, and this narrow
    table stays in memory where rechecking the persons' own rows read the disk. The
    services add a person's name when they write it; the nightly task removes names that
    no person bears any more (until then such a name leads to no one)."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="+")
    name_key = models.TextField()
    # The name's words, for the names one letter away from a typed one in a short word,
    # where trigrams fail ("chen na" typed "cnhen na"): see persons.names.
    words = models.GeneratedField(
        expression=Func("name_key", Value(WORD_SEPARATOR), function="regexp_split_to_array"),
        output_field=ArrayField(models.TextField()),
        db_persist=True,
    )

    objects = PersonNameQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "name_key"], name="person_name_unique"
            )
        ]
        indexes = [
            GinIndex(fields=["name_key"], name="person_name_name_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["words"], name="person_name_words"),
        ]

    def __str__(self) -> str:
        return self.name_key


class IdentityDocument(models.Model):
    class Kind(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        NATIONAL_ID = "national_id", _("National identity card")
        DRIVING_LICENCE = "driving_licence", _("Driving licence")
        SEAFARER = "seafarer", _("Seafarer's identity document")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document type"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40)
    issuing_country = CountryField(_("issuing country"), blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    number_key = models.CharField(max_length=40, editable=False, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="document_expiry_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Business(NominalRecord):
    class Kind(models.TextChoices):
        IMPORTER = "importer", _("Importer")
        EXPORTER = "exporter", _("Exporter")
        FREIGHT_FORWARDER = "freight_forwarder", _("Freight forwarder")
        CUSTOMS_BROKER = "customs_broker", _("Customs broker")
        SHIPPING_LINE = "shipping_line", _("Shipping line")
        AIRLINE = "airline", _("Airline")
        EXPRESS_OPERATOR = "express_operator", _("Express operator")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    trading_names = _lines(_("trading names"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    registration_country = CountryField(_("country of registration"), blank=True)
    tax_id = models.CharField(_("tax or importer identifier"), max_length=60, blank=True)
    addresses = _lines(_("addresses"), max_length=500)
    phones = _lines(_("phone numbers"), max_length=40)
    email = models.EmailField(_("e-mail"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("merged into"),
    )
    registration_key = models.CharField(max_length=60, editable=False, db_index=True)
    tax_key = models.CharField(max_length=60, editable=False, db_index=True)
    phone_keys = ArrayField(models.CharField(max_length=40), default=list, editable=False)
    name_key = models.TextField(default="", editable=False)

    objects = BusinessQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        indexes = [
            models.Index(fields=["administration", "name", "id"]),
            GinIndex(fields=["phone_keys"], name="business_phone_keys_gin"),
            GinIndex(fields=["name_key"], name="business_name_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("persons:business_detail", args=[self.pk])


class Conveyance(NominalRecord):
    class Kind(models.TextChoices):
        VESSEL = "vessel", _("Vessel")
        AIRCRAFT = "aircraft", _("Aircraft")
        VEHICLE = "vehicle", _("Vehicle")
        CONTAINER = "container", _("Container")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    identifier = models.CharField(
        _("identifier"),
        max_length=40,
        help_text=_(
            "IMO number of a vessel, registration of an aircraft or vehicle, number of a container."
        ),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    flag_country = CountryField(_("flag or registration country"), blank=True)
    identifier_key = models.CharField(max_length=40, editable=False, db_index=True)

    objects = ConveyanceQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "identifier", "id"]
        verbose_name = _("conveyance")
        verbose_name_plural = _("conveyances")

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})" if self.name else self.identifier

    def get_absolute_url(self) -> str:
        return reverse("persons:conveyance_detail", args=[self.pk])


class CaseLink(models.Model):
    """A person, business or conveyance in a case (a seizure, and optionally one of its
    offences), with the part it played."""

    seizure = models.ForeignKey(Seizure, on_delete=models.CASCADE, related_name="case_links")
    offence = models.ForeignKey(
        Offence,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_links",
        verbose_name=_("offence"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    conveyance = models.ForeignKey(
        Conveyance, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    role = models.CharField(_("role"), max_length=12, choices=LinkRole.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseLinkQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("link to a case")
        verbose_name_plural = _("links to cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, business__isnull=True, conveyance__isnull=True)
                | Q(person__isnull=True, business__isnull=False, conveyance__isnull=True)
                | Q(person__isnull=True, business__isnull=True, conveyance__isnull=False),
                name="case_link_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} ({self.get_role_display()}) in {self.seizure_id}"

    @property
    def target(self):
        return self.person or self.business or self.conveyance


class DuplicatePairBase(models.Model):
    """Two records of one administration that may be the same; ``first`` (declared by each
    kind) has the lower id, so that a pair is stored once whichever way round it was found."""

    class Judgement(models.TextChoices):
        PROPOSED = "proposed", _("Not judged yet")
        SAME = "same", _("Same")
        DIFFERENT = "different", _("Different")
        UNSURE = "unsure", _("Unsure")

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="+")
    # The reasons are worked out again when the pair is shown (in the reader's language),
    # from the records as they are then and this similarity of their names.
    name_similarity = models.FloatField(default=0)
    judgement = models.CharField(
        _("judgement"), max_length=10, choices=Judgement.choices, default=Judgement.PROPOSED
    )
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    judged_at = models.DateTimeField(null=True)
    found_at = models.DateTimeField(auto_now_add=True)

    objects = DuplicatePairQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-name_similarity", "id"]

    def __str__(self) -> str:
        return f"{self.first_id} / {self.second_id}: {self.judgement}"


def _pair_constraints(prefix: str) -> list:
    return [
        models.UniqueConstraint(fields=["first", "second"], name=f"{prefix}_pair_unique"),
        models.CheckConstraint(
            condition=Q(first__lt=models.F("second")), name=f"{prefix}_pair_ordered"
        ),
    ]


class DuplicatePair(DuplicatePairBase):
    """Two persons that may be one."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta(DuplicatePairBase.Meta):
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = _pair_constraints("duplicate")


class BusinessDuplicatePair(DuplicatePairBase):
    """Two businesses that may be one."""

    first = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")

    class Meta(DuplicatePairBase.Meta):
        verbose_name = _("possible duplicate business")
        verbose_name_plural = _("possible duplicate businesses")
        constraints = _pair_constraints("business_duplicate")


class MergeBase(models.Model):
    """What a merge moved from one record to another (``kept`` and ``merged``, declared by
    each kind), so that it can be undone exactly."""

    link_ids = ArrayField(models.BigIntegerField(), default=list)
    kept_before = models.JSONField(help_text="The kept record's fields before the merge.")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True)

    class Meta:
        abstract = True
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_id} into {self.kept_id}"


class PersonMerge(MergeBase):
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(DuplicatePair, on_delete=models.SET_NULL, null=True, related_name="+")
    document_ids = ArrayField(models.BigIntegerField(), default=list)


class BusinessMerge(MergeBase):
    kept = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(
        BusinessDuplicatePair, on_delete=models.SET_NULL, null=True, related_name="+"
    )
