"""Every write to persons, businesses, conveyances, their links to cases and the judgements
on possible duplicates. Each checks rights inside its transaction, validates the whole
record, keeps the matching keys current and writes its audit entry."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ncen import audit
from ncen.audit import Action
from seizures import attachments
from seizures import services as seizure_services
from seizures.models import Offence, Seizure

from . import rights
from .keys import identifier_key, phone_keys
from .models import (
    Business,
    BusinessDuplicatePair,
    BusinessMerge,
    CaseLink,
    Conveyance,
    DuplicatePair,
    IdentityDocument,
    Person,
    PersonMerge,
)
from .names import similarity_sql

PERSON_FIELDS = (
    "given_names",
    "family_name",
    "full_name",
    "aliases",
    "birth_date",
    "birth_year",
    "gender",
    "nationalities",
    "addresses",
    "phones",
    "email",
    "occupation",
    "notes",
)
DOCUMENT_FIELDS = ("kind", "number", "issuing_country", "issued_on", "expires_on")
BUSINESS_FIELDS = (
    "name",
    "trading_names",
    "kind",
    "registration_number",
    "registration_country",
    "tax_id",
    "addresses",
    "phones",
    "email",
    "notes",
)
CONVEYANCE_FIELDS = ("kind", "identifier", "name", "flag_country", "notes")
# The list fields a merge adds the merged person's values to (and an undo puts back).
MERGED_LIST_FIELDS = ("aliases", "nationalities", "addresses", "phones")

# Every name of a record, lowercased and unaccented, in one column that the trigram index
# covers. ``ncen_unaccent`` is the immutable wrapper the migration installs. The alias is
# the table's: ``p`` for persons, ``b`` for businesses. generate_data uses the same SQL.
PERSON_NAME_KEY_SQL = (
    "ncen_unaccent(lower(concat_ws(' ', p.full_name, NULLIF(array_to_string(p.aliases, ' '), ''))))"
)
BUSINESS_NAME_KEY_SQL = (
    "ncen_unaccent(lower(concat_ws(' ', b.name, "
    "NULLIF(array_to_string(b.trading_names, ' '), ''))))"
)

# The names of these persons (ids) among the distinct names matching searches first.
PERSON_NAMES_ADD_SQL = """
    INSERT INTO persons_personname (administration_id, name_key)
    SELECT DISTINCT administration_id, name_key FROM persons_person WHERE id = ANY(%s)
    ON CONFLICT DO NOTHING
"""


@transaction.atomic
def person_names_prune() -> int:
    """Forget the names no person bears any more (renamed, merged); return how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            """DELETE FROM persons_personname AS n WHERE NOT EXISTS (
                   SELECT 1 FROM persons_person AS p
                   WHERE p.administration_id = n.administration_id AND p.name_key = n.name_key
                     AND p.merged_into_id IS NULL)"""
        )
        return cursor.rowcount


def _only(values: dict, fields) -> dict:
    return {name: values[name] for name in fields if name in values}


def _clean_lines(values: dict, fields) -> None:
    """Lists of short texts keep their order, lose blanks and repeats."""
    for name in fields:
        if name in values:
            seen = []
            for value in values[name] or []:
                value = value.strip()
                if value and value not in seen:
                    seen.append(value)
            values[name] = seen


# --- Persons ------------------------------------------------------------------------------


def _validate_person(values: dict, documents: list[dict] | None) -> None:
    errors = {}
    today = timezone.localdate()
    birth_date, birth_year = values.get("birth_date"), values.get("birth_year")
    if birth_date and birth_date > today:
        errors["birth_date"] = [_("The date of birth cannot be in the future.")]
    if birth_year and birth_year > today.year:
        errors["birth_year"] = [_("The year of birth cannot be in the future.")]
    if birth_date and birth_year and birth_date.year != birth_year:
        errors["birth_year"] = [_("The year of birth differs from the date of birth.")]
    if not (values.get("full_name") or "").strip():
        errors["full_name"] = [_("Give the name as written.")]
    for index, document in enumerate(documents or []):
        issued, expires = document.get("issued_on"), document.get("expires_on")
        if issued and issued > today:
            errors[f"documents-{index}-issued_on"] = [_("This date is in the future.")]
        if issued and expires and expires < issued:
            errors[f"documents-{index}-expires_on"] = [
                _("The document cannot expire before it was issued.")
            ]
        if not identifier_key(document.get("number", "")):
            errors[f"documents-{index}-number"] = [_("Give the document's number.")]
    if errors:
        raise ValidationError(errors)


def _person_values(values: dict) -> dict:
    values = _only(values, PERSON_FIELDS)
    if not (values.get("full_name") or "").strip():
        values["full_name"] = " ".join(
            part for part in (values.get("given_names"), values.get("family_name")) if part
        )
    _clean_lines(values, MERGED_LIST_FIELDS)
    if values.get("birth_date"):
        values["birth_year"] = values.get("birth_year") or values["birth_date"].year
    return values


def _save_documents(person: Person, documents: list[dict] | None) -> None:
    if documents is None:
        return
    person.documents.all().delete()
    rows = [
        IdentityDocument(
            person=person,
            number_key=identifier_key(document["number"]),
            **_only(document, DOCUMENT_FIELDS),
        )
        for document in documents
    ]
    for row in rows:
        row.full_clean(exclude=["person"])
    IdentityDocument.objects.bulk_create(rows)


def _refresh_person_keys(person: Person) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE persons_person AS p SET name_key = {PERSON_NAME_KEY_SQL}, "  # noqa: S608 - constant SQL
            "phone_keys = %s WHERE p.id = %s",
            [phone_keys(person.phones), person.pk],
        )
        cursor.execute(PERSON_NAMES_ADD_SQL, [[person.pk]])


def _set_photo(person: Person, photo) -> None:
    limit = settings.NCEN_ATTACHMENT_MAX_BYTES
    if photo.size > limit:
        raise ValidationError(
            {"photo": [_("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}]}
        )
    data = photo.read()
    sniffed = attachments.sniff(data)
    if sniffed is None or not sniffed.is_image:
        raise ValidationError({"photo": [_("This file is not a photo (JPEG, PNG, WebP or GIF).")]})
    # A random name: the uploaded one is never used as a path.
    person.photo.save(uuid.uuid4().hex, ContentFile(data), save=False)
    person.photo_content_type = sniffed.content_type


def _person_snapshot(person: Person) -> dict:
    data = audit.snapshot(person, PERSON_FIELDS)
    data["documents"] = [audit.snapshot(d, DOCUMENT_FIELDS) for d in person.documents.all()]
    data["photo"] = bool(person.photo)
    return data


@transaction.atomic
def person_create(*, by, values: dict, documents: list[dict] | None = None, photo=None) -> Person:
    """Record a suspected person; ``values`` holds fields of PERSON_FIELDS."""
    rights.require_recorder(by)
    values = _person_values(values)
    _validate_person(values, documents)
    person = Person(administration=by.administration, created_by=by, updated_by=by, **values)
    if photo is not None:
        _set_photo(person, photo)
    person.full_clean()
    person.save(force_insert=True)
    _save_documents(person, documents or [])
    _refresh_person_keys(person)
    audit.record(
        action=Action.PERSON_CREATED, actor=by, target=person, after=_person_snapshot(person)
    )
    return person


@transaction.atomic
def person_update(
    *, by, person: Person, values: dict, documents: list[dict] | None = None, photo=None
) -> Person:
    """Save a person's record as edited; ``documents``, when given, replace the person's."""
    rights.require_recorder(by)
    try:
        locked = Person.objects.visible_to(by).current().select_for_update().get(pk=person.pk)
    except Person.DoesNotExist:
        raise PermissionDenied(_("You cannot edit this person.")) from None
    values = _person_values(values)
    _validate_person(values, documents)
    before = _person_snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    if photo is not None:
        _set_photo(locked, photo)
    locked.updated_by = by
    locked.full_clean()
    locked.save()
    _save_documents(locked, documents)
    _refresh_person_keys(locked)
    audit.record(
        action=Action.PERSON_UPDATED,
        actor=by,
        target=locked,
        before=before,
        after=_person_snapshot(locked),
    )
    return locked


# --- Businesses and conveyances -----------------------------------------------------------


def _business_values(values: dict) -> dict:
    values = _only(values, BUSINESS_FIELDS)
    _clean_lines(values, ("trading_names", "addresses", "phones"))
    if not (values.get("name") or "").strip():
        raise ValidationError({"name": [_("Give the business's name.")]})
    return values


def _refresh_business_keys(business: Business) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE persons_business AS b SET name_key = {BUSINESS_NAME_KEY_SQL}, "  # noqa: S608 - constant SQL
            "phone_keys = %s, registration_key = %s, tax_key = %s WHERE b.id = %s",
            [
                phone_keys(business.phones),
                identifier_key(business.registration_number),
                identifier_key(business.tax_id),
                business.pk,
            ],
        )


@transaction.atomic
def business_create(*, by, values: dict) -> Business:
    rights.require_recorder(by)
    business = Business(
        administration=by.administration, created_by=by, updated_by=by, **_business_values(values)
    )
    business.full_clean()
    business.save(force_insert=True)
    _refresh_business_keys(business)
    audit.record(
        action=Action.BUSINESS_CREATED,
        actor=by,
        target=business,
        after=audit.snapshot(business, BUSINESS_FIELDS),
    )
    return business


@transaction.atomic
def business_update(*, by, business: Business, values: dict) -> Business:
    rights.require_recorder(by)
    try:
        locked = Business.objects.visible_to(by).current().select_for_update().get(pk=business.pk)
    except Business.DoesNotExist:
        raise PermissionDenied(_("You cannot edit this business.")) from None
    before = audit.snapshot(locked, BUSINESS_FIELDS)
    for name, value in _business_values(values).items():
        setattr(locked, name, value)
    locked.updated_by = by
    locked.full_clean()
    locked.save()
    _refresh_business_keys(locked)
    audit.record(
        action=Action.BUSINESS_UPDATED,
        actor=by,
        target=locked,
        before=before,
        after=audit.snapshot(locked, BUSINESS_FIELDS),
    )
    return locked


def _conveyance_values(values: dict) -> dict:
    values = _only(values, CONVEYANCE_FIELDS)
    key = identifier_key(values.get("identifier", ""))
    if not key:
        raise ValidationError({"identifier": [_("Give the conveyance's identifier.")]})
    if values.get("kind") == Conveyance.Kind.VESSEL and not (len(key) == 7 and key.isdigit()):
        raise ValidationError({"identifier": [_("An IMO number has seven digits.")]})
    values["identifier_key"] = key
    return values


@transaction.atomic
def conveyance_create(*, by, values: dict) -> Conveyance:
    rights.require_recorder(by)
    values = _conveyance_values(values)
    if (
        Conveyance.objects.visible_to(by)
        .filter(kind=values.get("kind"), identifier_key=values["identifier_key"])
        .exists()
    ):
        raise ValidationError({"identifier": [_("This conveyance is already recorded.")]})
    conveyance = Conveyance(
        administration=by.administration, created_by=by, updated_by=by, **values
    )
    conveyance.full_clean()
    conveyance.save(force_insert=True)
    audit.record(
        action=Action.CONVEYANCE_CREATED,
        actor=by,
        target=conveyance,
        after=audit.snapshot(conveyance, CONVEYANCE_FIELDS),
    )
    return conveyance


@transaction.atomic
def conveyance_update(*, by, conveyance: Conveyance, values: dict) -> Conveyance:
    rights.require_recorder(by)
    try:
        locked = Conveyance.objects.visible_to(by).select_for_update().get(pk=conveyance.pk)
    except Conveyance.DoesNotExist:
        raise PermissionDenied(_("You cannot edit this conveyance.")) from None
    before = audit.snapshot(locked, CONVEYANCE_FIELDS)
    for name, value in _conveyance_values(values).items():
        setattr(locked, name, value)
    locked.updated_by = by
    locked.full_clean()
    locked.save()
    audit.record(
        action=Action.CONVEYANCE_UPDATED,
        actor=by,
        target=locked,
        before=before,
        after=audit.snapshot(locked, CONVEYANCE_FIELDS),
    )
    return locked


# --- Reading nominal data ---------------------------------------------------------------


@transaction.atomic
def nominal_view_record(*, by, record: Person | Business) -> None:
    """Note that ``by`` read a person's or business's record: nominal data is read on a
    need to know, and the trail shows who did."""
    action = Action.PERSON_VIEWED if isinstance(record, Person) else Action.BUSINESS_VIEWED
    audit.record(action=action, actor=by, target=record)


@transaction.atomic
def nominal_export_record(*, by, model, count: int, filters: dict) -> None:
    """Refuse an export of nominal data to anyone but a supervisor; note the one made."""
    if not rights.can_export(by):
        raise PermissionDenied(_("Only supervisors export nominal data."))
    audit.record(
        action=Action.NOMINAL_EXPORTED,
        actor=by,
        object_type=model._meta.label_lower,
        after={"rows": count, "filters": filters},
    )


# --- Links to cases -----------------------------------------------------------------------


LINK_TARGETS = {"person": Person, "business": Business, "conveyance": Conveyance}


@transaction.atomic
def link_add(
    *,
    by,
    seizure: Seizure,
    role: str,
    person: Person | None = None,
    business: Business | None = None,
    conveyance: Conveyance | None = None,
    offence: Offence | None = None,
) -> CaseLink:
    """Put one person, business or conveyance in a case with the part it played. A link is
    part of the record (its persons and businesses go into the payload), so adding one is
    an edit of the seizure: see seizures.services.seizure_links_change."""
    rights.require_recorder(by)
    targets = {"person": person, "business": business, "conveyance": conveyance}
    given = {name: target for name, target in targets.items() if target is not None}
    if len(given) != 1:
        raise ValidationError(_("Link one person, business or conveyance at a time."))
    [(kind, target)] = given.items()
    # Locked before the seizure, as a merge locks its persons before their cases.
    try:
        target = LINK_TARGETS[kind].objects.visible_to(by).select_for_update().get(pk=target.pk)
    except ObjectDoesNotExist:
        raise PermissionDenied(_("You cannot link this record.")) from None
    if getattr(target, "merged_into_id", None):
        raise ValidationError(_("This record was merged into another; link that one."))
    if offence is not None and offence.seizure_id != seizure.pk:
        raise ValidationError({"offence": [_("Choose an offence of this seizure.")]})
    locked, status_before = seizure_services.seizure_links_change(by=by, seizure=seizure)
    # Checked under the seizure's lock, so that two officers cannot both add it.
    duplicate = CaseLink.objects.filter(seizure=locked, role=role, **{kind: target})
    if duplicate.exists():
        raise ValidationError(_("This record is already in the case with that role."))
    link = CaseLink(seizure=locked, offence=offence, role=role, created_by=by, **{kind: target})
    link.full_clean()
    link.save()
    audit.record(
        action=Action.CASE_LINK_ADDED,
        actor=by,
        target=locked,
        before={"status": status_before},
        after={**_link_data(link), "status": locked.status, "version": locked.version},
    )
    return link


def _link_data(link: CaseLink) -> dict:
    target = link.target
    return {
        "link": link.pk,
        "target_type": target._meta.label_lower,
        "target": target.pk,
        "role": link.role,
        "offence": link.offence_id,
    }


@transaction.atomic
def link_remove(*, by, link: CaseLink) -> None:
    """Take a record out of a case: an edit of the seizure, as adding it is."""
    rights.require_recorder(by)
    try:
        locked = CaseLink.objects.visible_to(by).select_for_update().get(pk=link.pk)
    except CaseLink.DoesNotExist:
        raise PermissionDenied(_("You cannot change this case.")) from None
    seizure, status_before = seizure_services.seizure_links_change(
        by=by, seizure=Seizure(pk=locked.seizure_id)
    )
    before = {**_link_data(locked), "status": status_before}
    locked.delete()
    audit.record(
        action=Action.CASE_LINK_REMOVED,
        actor=by,
        target=seizure,
        before=before,
        after={"status": seizure.status, "version": seizure.version},
    )


# --- Duplicates: judgement, merge, undo ---------------------------------------------------

# Two names at least this similar (pg_trgm similarity) make a possible pair.
DUPLICATE_NAME_THRESHOLD = 0.6
DUPLICATE_BATCH = 1000

# The name similarity the match shows, between the two.
_PAIR_SIMILARITY = similarity_sql("a.name_key", "b.name_key")
_CURRENT_PAIR = """a.administration_id = %(administration)s
      AND a.merged_into_id IS NULL AND b.merged_into_id IS NULL"""

# Pairs of records not merged that share an identifier, or whose names are similar and whose
# other facts do not disagree. UNION ALL, not UNION, so that LIMIT stops the scan once a
# batch is found; a pair found both ways is stored once (ON CONFLICT DO NOTHING).
_PERSON_PAIRS_SQL = f"""
    SELECT a.id, b.id, {_PAIR_SIMILARITY}
    FROM persons_person AS a
    JOIN persons_person AS b
      ON b.administration_id = a.administration_id AND b.id > a.id
     AND a.name_key %% b.name_key
     AND (a.birth_year IS NULL OR b.birth_year IS NULL OR a.birth_year = b.birth_year)
    WHERE {_CURRENT_PAIR}
    UNION ALL
    SELECT a.id, b.id, {_PAIR_SIMILARITY}
    FROM persons_identitydocument AS da
    JOIN persons_identitydocument AS db
      ON db.number_key = da.number_key AND db.person_id > da.person_id
    JOIN persons_person AS a ON a.id = da.person_id
    JOIN persons_person AS b ON b.id = db.person_id AND b.administration_id = a.administration_id
    WHERE {_CURRENT_PAIR}
"""  # noqa: S608 - constant SQL
# Businesses: the same registration or tax number, or similar names whose registration and
# tax numbers do not disagree (two "Pacific Freight Ltd" registered under two numbers are two
# companies).
_BUSINESS_PAIRS_SQL = f"""
    SELECT a.id, b.id, {_PAIR_SIMILARITY}
    FROM persons_business AS a
    JOIN persons_business AS b
      ON b.administration_id = a.administration_id AND b.id > a.id
     AND a.name_key %% b.name_key
     AND (a.registration_key = '' OR b.registration_key = ''
          OR a.registration_key = b.registration_key)
     AND (a.tax_key = '' OR b.tax_key = '' OR a.tax_key = b.tax_key)
    WHERE {_CURRENT_PAIR}
    UNION ALL
    SELECT a.id, b.id, {_PAIR_SIMILARITY}
    FROM persons_business AS a
    JOIN persons_business AS b
      ON b.administration_id = a.administration_id AND b.id > a.id
     AND ((a.registration_key <> '' AND b.registration_key = a.registration_key)
          OR (a.tax_key <> '' AND b.tax_key = a.tax_key))
    WHERE {_CURRENT_PAIR}
"""  # noqa: S608 - constant SQL


@dataclass(frozen=True)
class Deduplication:
    """How records of one kind are paired, merged and unmerged: persons and businesses go
    through the same services, which read what differs here."""

    model: type
    pair_model: type
    merge_model: type
    # The CaseLink field pointing to this kind; ``moved`` lists the other rows a merge moves
    # over, as (the merge's list of their ids, model, field pointing to the record).
    link_field: str
    moved: tuple
    name_field: str
    alias_field: str
    # Lists the merged record's values are added to (and an undo puts back), and fields
    # the kept record takes from the merged one when it has none.
    list_fields: tuple
    filled_fields: tuple
    candidates_sql: str
    refresh_keys: Callable
    # What a pair's records are read with to explain the pair (a person's documents).
    explained_with: tuple
    merged_action: str
    undone_action: str
    merged_reason: str
    undone_reason: str

    def kept_before(self, kept) -> dict:
        return audit.snapshot(kept, (*self.list_fields, *self.filled_fields))


PERSONS = Deduplication(
    model=Person,
    pair_model=DuplicatePair,
    merge_model=PersonMerge,
    link_field="person",
    moved=(("document_ids", IdentityDocument, "person"),),
    name_field="full_name",
    alias_field="aliases",
    list_fields=MERGED_LIST_FIELDS,
    filled_fields=("birth_date", "birth_year", "gender", "email", "occupation"),
    candidates_sql=_PERSON_PAIRS_SQL,
    refresh_keys=_refresh_person_keys,
    explained_with=("documents",),
    merged_action=Action.PERSONS_MERGED,
    undone_action=Action.PERSONS_MERGE_UNDONE,
    merged_reason=gettext_noop("Persons merged: %(merged)s into %(kept)s."),
    undone_reason=gettext_noop("Merge of persons undone: %(merged)s taken out of %(kept)s."),
)
BUSINESSES = Deduplication(
    model=Business,
    pair_model=BusinessDuplicatePair,
    merge_model=BusinessMerge,
    link_field="business",
    moved=(),
    name_field="name",
    alias_field="trading_names",
    list_fields=("trading_names", "addresses", "phones"),
    # A registration or tax number the kept business already has stays on the merged record,
    # where matching and correlation still find it (they follow ``merged_into``).
    filled_fields=(
        "kind",
        "registration_number",
        "registration_country",
        "tax_id",
        "email",
    ),
    candidates_sql=_BUSINESS_PAIRS_SQL,
    refresh_keys=_refresh_business_keys,
    explained_with=(),
    merged_action=Action.BUSINESSES_MERGED,
    undone_action=Action.BUSINESSES_MERGE_UNDONE,
    merged_reason=gettext_noop("Businesses merged: %(merged)s into %(kept)s."),
    undone_reason=gettext_noop("Merge of businesses undone: %(merged)s taken out of %(kept)s."),
)
DEDUPLICATIONS = {"person": PERSONS, "business": BUSINESSES}


def _deduplication(record) -> Deduplication:
    """The deduplication of a record, a pair or a merge, by its model."""
    for deduplication in DEDUPLICATIONS.values():
        if isinstance(
            record, deduplication.model | deduplication.pair_model | deduplication.merge_model
        ):
            return deduplication
    raise ValidationError(_("Only persons and businesses are merged."))


@transaction.atomic
def duplicate_pairs_find(*, kind: str, administration_id: int) -> int:
    """Store the administration's new possible duplicate pairs of ``kind`` ("person" or
    "business"); return how many. A pair already stored, judged or not, stays as it is: one
    judged different is never proposed again."""
    deduplication = DEDUPLICATIONS[kind]
    pairs = deduplication.pair_model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
            [str(DUPLICATE_NAME_THRESHOLD)],
        )
        cursor.execute(
            f"""SELECT c.* FROM ({deduplication.candidates_sql})
                   AS c (first_id, second_id, similarity)
            WHERE NOT EXISTS (SELECT 1 FROM {pairs} AS d
                              WHERE d.first_id = c.first_id AND d.second_id = c.second_id)
            LIMIT %(limit)s""",  # noqa: S608 - constant SQL
            {"administration": administration_id, "limit": DUPLICATE_BATCH},
        )
        rows = cursor.fetchall()
    created = deduplication.pair_model.objects.bulk_create(
        [
            deduplication.pair_model(
                administration_id=administration_id,
                first_id=first,
                second_id=second,
                name_similarity=similarity or 0,
            )
            for first, second, similarity in rows
        ],
        ignore_conflicts=True,
    )
    return len(created)


@transaction.atomic
def pair_judge(*, by, pair, judgement: str, kept=None):
    """Store a supervisor's judgement on a pair of persons or businesses; "same" merges the
    pair into ``kept`` (the first of the pair unless said otherwise)."""
    rights.require_judge(by)
    pair_model = _deduplication(pair).pair_model
    try:
        locked = pair_model.objects.visible_to(by).select_for_update().get(pk=pair.pk)
    except pair_model.DoesNotExist:
        raise PermissionDenied(_("You cannot judge this pair.")) from None
    if judgement not in pair_model.Judgement.values or judgement == "proposed":
        raise ValidationError({"judgement": [_("Choose same, different or unsure.")]})
    if locked.judgement == pair_model.Judgement.SAME:
        raise ValidationError(_("This pair is already merged; undo the merge to judge again."))
    before = {"judgement": locked.judgement}
    locked.judgement, locked.judged_by, locked.judged_at = judgement, by, timezone.now()
    locked.save(update_fields=["judgement", "judged_by", "judged_at"])
    audit.record(
        action=Action.DUPLICATE_JUDGED,
        actor=by,
        target=locked,
        before=before,
        after={"judgement": judgement, "first": locked.first_id, "second": locked.second_id},
    )
    if judgement == pair_model.Judgement.SAME:
        kept = kept or locked.first
        merged = locked.second if kept.pk == locked.first_id else locked.first
        record_merge(by=by, kept=kept, merged=merged, pair=locked)
    return locked


def _merge_fields(deduplication: Deduplication, kept, merged) -> None:
    for name in deduplication.list_fields:
        values = list(getattr(kept, name))
        for value in getattr(merged, name):
            if value not in values:
                values.append(value)
        setattr(kept, name, values)
    name, aliases = deduplication.name_field, deduplication.alias_field
    merged_name = getattr(merged, name)
    if merged_name not in getattr(kept, aliases) and merged_name != getattr(kept, name):
        setattr(kept, aliases, [*getattr(kept, aliases), merged_name])
    for field_name in deduplication.filled_fields:
        if not getattr(kept, field_name) and getattr(merged, field_name):
            setattr(kept, field_name, getattr(merged, field_name))


def _seizures_links_moved(*, by, deduplication, link_ids, reason, kept, merged) -> None:
    name = deduplication.name_field
    seizure_services.seizures_links_moved(
        by=by,
        seizure_ids=list(
            CaseLink.objects.filter(pk__in=link_ids).values_list("seizure_id", flat=True)
        ),
        reason=_(reason) % {"merged": getattr(merged, name), "kept": getattr(kept, name)},
    )


@transaction.atomic
def record_merge(*, by, kept, merged, pair=None):
    """Make ``merged`` part of ``kept`` (two persons or two businesses): its links (and a
    person's documents) move over, its names become aliases or trading names, its lists are
    added to the kept record's. ``merged`` stays, marked as merged, so that the merge can be
    undone."""
    rights.require_judge(by)
    if type(kept) is not type(merged):
        raise ValidationError(_("Only two records of the same kind can be merged."))
    if kept.pk == merged.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    if kept.administration_id != merged.administration_id:
        raise ValidationError(_("Records of two administrations cannot be merged."))
    deduplication = _deduplication(kept)
    locked = {
        record.pk: record
        for record in deduplication.model.objects.visible_to(by)
        .current()
        .select_for_update()
        .filter(pk__in=[kept.pk, merged.pk])
    }
    if len(locked) != 2:
        raise PermissionDenied(_("You cannot merge these records."))
    kept, merged = locked[kept.pk], locked[merged.pk]
    link_field = deduplication.link_field
    merge = deduplication.merge_model(
        kept=kept,
        merged=merged,
        pair=pair,
        link_ids=list(CaseLink.objects.filter(**{link_field: merged}).values_list("pk", flat=True)),
        kept_before=deduplication.kept_before(kept),
        merged_by=by,
    )
    for ids, model, field_name in deduplication.moved:
        setattr(
            merge,
            ids,
            list(model.objects.filter(**{field_name: merged}).values_list("pk", flat=True)),
        )
    merge.save()
    CaseLink.objects.filter(pk__in=merge.link_ids).update(**{link_field: kept})
    _seizures_links_moved(
        by=by,
        deduplication=deduplication,
        link_ids=merge.link_ids,
        reason=deduplication.merged_reason,
        kept=kept,
        merged=merged,
    )
    for ids, model, field_name in deduplication.moved:
        model.objects.filter(pk__in=getattr(merge, ids)).update(**{field_name: kept})
    _merge_fields(deduplication, kept, merged)
    kept.updated_by = by
    kept.save()
    merged.merged_into = kept
    merged.updated_by = by
    merged.save(update_fields=["merged_into", "updated_by", "updated_at"])
    deduplication.refresh_keys(kept)
    audit.record(
        action=deduplication.merged_action,
        actor=by,
        target=kept,
        before=merge.kept_before,
        after={
            "merged": merged.pk,
            "links": merge.link_ids,
            **{ids: getattr(merge, ids) for ids, _model, _field in deduplication.moved},
            **audit.snapshot(kept, deduplication.list_fields),
        },
    )
    return merge


@transaction.atomic
def record_merge_undo(*, by, merge):
    """Give the merged record back its links (and documents) and the kept record its fields
    as they were; the pair goes back to "unsure" for a second look."""
    rights.require_judge(by)
    deduplication = _deduplication(merge)
    try:
        merge = (
            deduplication.merge_model.objects.select_for_update()
            .filter(kept__in=deduplication.model.objects.visible_to(by))
            .get(pk=merge.pk)
        )
    except deduplication.merge_model.DoesNotExist:
        raise PermissionDenied(_("You cannot undo this merge.")) from None
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."))
    records = deduplication.model.objects.select_for_update().in_bulk(
        [merge.kept_id, merge.merged_id]
    )
    kept, merged = records[merge.kept_id], records[merge.merged_id]
    link_field = deduplication.link_field
    moved_back = CaseLink.objects.filter(pk__in=merge.link_ids, **{link_field: kept})
    link_ids = list(moved_back.values_list("pk", flat=True))
    moved_back.update(**{link_field: merged})
    _seizures_links_moved(
        by=by,
        deduplication=deduplication,
        link_ids=link_ids,
        reason=deduplication.undone_reason,
        kept=kept,
        merged=merged,
    )
    for ids, model, field_name in deduplication.moved:
        model.objects.filter(pk__in=getattr(merge, ids), **{field_name: kept}).update(
            **{field_name: merged}
        )
    before = audit.snapshot(kept, deduplication.list_fields)
    for name, value in merge.kept_before.items():
        setattr(kept, name, value)
    kept.updated_by = by
    kept.full_clean()
    kept.save()
    merged.merged_into = None
    merged.updated_by = by
    merged.save(update_fields=["merged_into", "updated_by", "updated_at"])
    deduplication.refresh_keys(kept)
    # The merged record's name may have been forgotten as no current record's.
    deduplication.refresh_keys(merged)
    merge.undone_by, merge.undone_at = by, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    if merge.pair_id:
        deduplication.pair_model.objects.filter(pk=merge.pair_id).update(
            judgement=deduplication.pair_model.Judgement.UNSURE,
            judged_by=by,
            judged_at=merge.undone_at,
        )
    audit.record(
        action=deduplication.undone_action,
        actor=by,
        target=kept,
        before=before,
        after={"merged": merged.pk, **merge.kept_before},
    )
    return merge
