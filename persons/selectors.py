"""Every read of nominal records goes through ``visible_to``; so do matching and correlation.

Matching ranks candidates with a score a person can check: each part of the score comes
with its reason ("same passport number", "name 92% similar", "same year of birth").
"""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import FloatField, Func, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from exchange.selectors import RegionalAppearance, received_sharing_keys
from seizures.models import Seizure

from .keys import DOCUMENT, PHONE, REGISTRATION, TAX, identifier_key, phone_keys, typed_key
from .models import (
    Business,
    CaseLink,
    Conveyance,
    DuplicatePair,
    IdentityDocument,
    Person,
    PersonName,
)
from .names import WORD_SEPARATOR, Likeness, likeness, one_letter_away, similarity_sql
from .services import DEDUPLICATIONS

# How many candidates a match proposes at most, and how similar a name must be to be a
# candidate (pg_trgm's word similarity, which the trigram index answers, 0 to 1). Below 0.6
# a common given name alone ("josefa") lets tens of thousands of rows through at a million
# persons; a name with one mistake stays above it (see bench/README.md).
MATCH_LIMIT = 10
NAME_THRESHOLD = 0.6
# The threshold of the first, cheaper look (see _closest_names): at 0.8 the trigram index
# lets a few dozen names through where 0.6 lets hundreds or thousands, whose similarity
# PostgreSQL computes one by one.
NAME_THRESHOLD_FIRST = 0.8
# How many distinct names the first step of a name match keeps (see _closest_names), and
# how many each of its two indexes proposes before they are ranked letter by letter.
NAME_CANDIDATES = 30
NAME_POOL = 100
# The parts of the score. An identical document outweighs everything else together.
SCORE_DOCUMENT = 100
SCORE_PHONE = 60
SCORE_NAME = 50  # times the name's similarity
SCORE_BIRTH_DATE = 20
SCORE_BIRTH_YEAR = 10
SCORE_BIRTH_DIFFERS = -20
SCORE_NATIONALITY = 5


def _name_key(text: str):
    """The query text as ``name_key`` holds names: lowercased, then unaccented."""
    return Func(Lower(Value(text)), function="ncen_unaccent")


# A name given as a parameter as name_key holds names, and its similarity to names ``v``.
_KEY_SQL = "ncen_unaccent(lower(%s))"
_SIMILARITY_SQL = similarity_sql(_KEY_SQL, "v.name_key")


# --- Lists and records --------------------------------------------------------------------


def person_list(*, user) -> QuerySet[Person]:
    return Person.objects.visible_to(user).current().prefetch_related("documents")


def person_get(*, user, pk: int) -> Person:
    """The person if ``user`` may see them; 404 otherwise, so that other administrations'
    ids are not confirmed. A merged person is still found: their page says where to go."""
    return get_object_or_404(
        Person.objects.visible_to(user)
        .select_related("merged_into", "created_by", "updated_by")
        .prefetch_related("documents"),
        pk=pk,
    )


def business_list(*, user) -> QuerySet[Business]:
    return Business.objects.visible_to(user).current()


def business_get(*, user, pk: int) -> Business:
    """The business if ``user`` may see it, merged or not (its page says where to go)."""
    return get_object_or_404(
        Business.objects.visible_to(user).select_related("merged_into", "created_by", "updated_by"),
        pk=pk,
    )


def conveyance_list(*, user) -> QuerySet[Conveyance]:
    return Conveyance.objects.visible_to(user)


def conveyance_get(*, user, pk: int) -> Conveyance:
    return get_object_or_404(
        Conveyance.objects.visible_to(user).select_related("created_by", "updated_by"), pk=pk
    )


def link_list(*, user) -> QuerySet[CaseLink]:
    return CaseLink.objects.visible_to(user).with_targets()


def seizure_links(*, user, seizure: Seizure) -> list[CaseLink]:
    """The persons, businesses and conveyances of a case, with the persons' documents."""
    return list(
        CaseLink.objects.visible_to(user)
        .filter(seizure=seizure)
        .with_targets()
        .prefetch_related("person__documents")
        .order_by("person", "business", "conveyance", "id")
    )


def duplicate_pair_queue(*, user, kind: str):
    """Pairs of persons or businesses waiting for a judgement (or judged unsure), most
    likely first."""
    deduplication = DEDUPLICATIONS[kind]
    records = deduplication.model.objects.prefetch_related(*deduplication.explained_with)
    judgement = deduplication.pair_model.Judgement
    return (
        deduplication.pair_model.objects.visible_to(user)
        .filter(
            judgement__in=[judgement.PROPOSED, judgement.UNSURE],
            first__merged_into__isnull=True,
            second__merged_into__isnull=True,
        )
        .prefetch_related(Prefetch("first", records), Prefetch("second", records))
    )


def duplicate_pair_get(*, user, kind: str, pk: int):
    return get_object_or_404(DEDUPLICATIONS[kind].pair_model.objects.visible_to(user), pk=pk)


def record_merge_get(*, user, kind: str, pk: int):
    deduplication = DEDUPLICATIONS[kind]
    return get_object_or_404(
        deduplication.merge_model.objects.filter(
            kept__in=deduplication.model.objects.visible_to(user)
        ),
        pk=pk,
    )


def record_merges(*, user, record):
    """The merges into ``record`` (a person or a business) that may still be undone."""
    deduplication = DEDUPLICATIONS[record._meta.model_name]
    return deduplication.merge_model.objects.filter(
        kept=record,
        kept__in=deduplication.model.objects.visible_to(user),
        undone_at__isnull=True,
    ).select_related("merged", "merged_by")


# --- Matching -----------------------------------------------------------------------------


@dataclass
class Probe:
    """What an officer knows of the person they are about to add to a case."""

    name: str = ""
    documents: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    birth_date: date | None = None
    birth_year: int | None = None
    nationality: str = ""

    @property
    def document_keys(self) -> set[str]:
        return {key for key in map(identifier_key, self.documents) if key}

    @property
    def phone_keys(self) -> set[str]:
        return set(phone_keys(self.phones))

    @property
    def year(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year


@dataclass
class Candidate:
    record: Person | Business | Conveyance
    score: int
    reasons: list[str]
    # Orders candidates of equal score: the closer name first.
    similarity: float = 0.0

    @property
    def explanation(self) -> str:
        return ", ".join(self.reasons)


def _agreement(probe: Probe, *, birth_date, birth_year, nationalities) -> tuple[int, list[str]]:
    """What the date or year of birth and the nationality add to a person's score, and why."""
    score, reasons = 0, []
    if probe.birth_date and birth_date == probe.birth_date:
        score += SCORE_BIRTH_DATE
        reasons.append(_("same date of birth"))
    elif probe.year and birth_year == probe.year:
        score += SCORE_BIRTH_YEAR
        reasons.append(_("same year of birth"))
    elif probe.year and birth_year:
        score += SCORE_BIRTH_DIFFERS
        reasons.append(_("born %(year)d") % {"year": birth_year})
    if probe.nationality and probe.nationality in nationalities:
        score += SCORE_NATIONALITY
        reasons.append(_("same nationality"))
    return score, reasons


def _score_person(person: Person, probe: Probe, name: Likeness | None) -> Candidate:
    score, reasons = 0, []
    for document in person.documents.all():
        if document.number_key in probe.document_keys:
            score += SCORE_DOCUMENT
            reasons.append(
                _("same %(document)s number") % {"document": document.get_kind_display().lower()}
            )
            break
    if probe.phone_keys & set(person.phone_keys):
        score += SCORE_PHONE
        reasons.append(_("same phone number"))
    similarity = name.similarity if name else 0.0
    if probe.name and similarity:
        score += round(SCORE_NAME * similarity)
        reasons.append(_("name %(percent)d%% similar") % {"percent": round(similarity * 100)})
        if name.letters_different == 1:
            reasons.append(_("one letter different"))
    agreement, why = _agreement(
        probe,
        birth_date=person.birth_date,
        birth_year=person.birth_year,
        nationalities=person.nationalities,
    )
    return Candidate(
        record=person, score=score + agreement, reasons=reasons + why, similarity=similarity
    )


@contextmanager
def _rolled_back():
    """A cursor in a transaction of its own, or a savepoint inside the caller's, rolled back at
    the end: for reads that change settings with ``set_config(..., true)``, which would
    otherwise last to the end of the caller's transaction, savepoint or not."""
    with transaction.atomic(), connection.cursor() as cursor:
        yield cursor
        transaction.set_rollback(True)


def _closest_names(user, name: str) -> tuple[list[str], dict[str, Likeness]]:
    """The words of ``name`` as name keys hold them, and the NAME_CANDIDATES distinct names
    of PersonName closest to it, letter by letter (persons.names.likeness).

    The pool comes from two indexes in one query: the NAME_POOL names most similar by
    trigrams, and, for a name of several words, the names holding every typed word but one
    and, for that one, a word one letter away from it (the words' GIN index), which trigrams
    miss when the typo is in a short word. Trigrams are first asked with a high threshold
    (NAME_THRESHOLD_FIRST): most of the query's time went into computing the similarity of
    the rows a low one lets through. Only when that pool holds no name one letter away (a
    typo across two words, two typos, a word left out) are they asked again with
    NAME_THRESHOLD."""
    with _rolled_back() as cursor:
        # The planner prices a GIN scan by the entries asked for, and the words one letter
        # away are hundreds: left to itself it reads the whole table (300 ms instead of 5).
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true), "
            "set_config('enable_seqscan', 'off', true), "
            "regexp_split_to_array(ncen_unaccent(lower(%s)), %s)",
            [str(NAME_THRESHOLD_FIRST), name, WORD_SEPARATOR],
        )
        typed = [word for word in cursor.fetchone()[2] if word]
        if not typed:
            return typed, {}
        try:
            # The names the user may see, as a subquery PostgreSQL flattens into each branch.
            visible, visible_params = (
                PersonName.objects.visible_to(user)
                .order_by()
                .values("name_key", "words")
                .query.sql_with_params()
            )
        except EmptyResultSet:
            return typed, {}

        def branch(condition: str, params: list) -> tuple[str, list]:
            return (
                f"(SELECT v.name_key FROM ({visible}) AS v WHERE {condition} "  # noqa: S608
                f"ORDER BY {_SIMILARITY_SQL} DESC, v.name_key LIMIT %s)",
                [*visible_params, *params, name, name, NAME_POOL],
            )

        def by_trigrams() -> tuple[str, list]:
            return branch(f"v.name_key %%> {_KEY_SQL}", [name])

        # Written as SQL rather than through the ORM: compiling the union of one branch a
        # word cost more of the request's time than running it.
        branches = [by_trigrams()]
        if len(typed) > 1:
            # One branch a word: as one OR, the planner gave up the words' index for a walk
            # of every name of the administration (120 ms instead of a few).
            branches += [
                branch(
                    "v.words @> %s::text[] AND v.words && %s::text[]",
                    [typed[:i] + typed[i + 1 :], sorted(one_letter_away(word))],
                )
                for i, word in enumerate(typed)
            ]
        cursor.execute(
            " UNION ".join(sql for sql, _params in branches),
            [param for _sql, params in branches for param in params],
        )
        pool = [key for (key,) in cursor.fetchall()]
        found = {key: likeness(typed, key) for key in pool}
        if not any(each.letters_different in (0, 1) for each in found.values()):
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(NAME_THRESHOLD)],
            )
            cursor.execute(*by_trigrams())
            # A wider pool holding the first: only the names not yet weighed are.
            found |= {key: likeness(typed, key) for (key,) in cursor.fetchall() if key not in found}
    closest = sorted(found, key=lambda key: (-found[key].similarity, key))[:NAME_CANDIDATES]
    return typed, {key: found[key] for key in closest}


def _persons_by_name(
    visible: QuerySet[Person], user, probe: Probe, limit: int
) -> tuple[list[str], dict[int, Likeness]]:
    """The typed words, and the ``limit`` persons whose names are closest to the probe's,
    birth and nationality breaking ties: {id: likeness}.

    Two steps: the closest distinct names first (PersonName, small enough to stay in memory,
    see _closest_names), then the persons bearing them (an index on the name key), ranked as
    the score will rank them."""
    typed, names = _closest_names(user, probe.name.strip())
    # Unordered: ranked below, the id breaking ties (the persons' default order is a sort).
    bearers = (
        visible.filter(name_key__in=names)
        .order_by()
        .values_list("pk", "name_key", "birth_date", "birth_year", "nationalities")
    )

    def rank(row):
        pk, key, birth_date, birth_year, nationalities = row
        agreement, _why = _agreement(
            probe, birth_date=birth_date, birth_year=birth_year, nationalities=nationalities
        )
        similarity = names[key].similarity
        return (-(round(SCORE_NAME * similarity) + agreement), -similarity, pk)

    found = {row[0]: names[row[1]] for row in sorted(bearers, key=rank)[:limit]} if names else {}
    return typed, found


def person_match(*, user, probe: Probe, limit: int = MATCH_LIMIT, exclude=()) -> list[Candidate]:
    """Persons ``user`` may see who could be the one described, best first.

    Exact identifiers first (document numbers, phones: indexed keys), then names by how
    many letters differ, word by word, from the unaccented name key (distinct names first,
    see _persons_by_name), then date of birth and nationality move candidates up or down."""
    visible = Person.objects.visible_to(user).current().exclude(pk__in=exclude)
    ids: set[int] = set()
    if probe.document_keys:
        ids |= set(
            IdentityDocument.objects.filter(
                number_key__in=probe.document_keys, person__in=visible
            ).values_list("person_id", flat=True)
        )
    if probe.phone_keys:
        ids |= set(
            visible.filter(phone_keys__overlap=sorted(probe.phone_keys)).values_list(
                "pk", flat=True
            )[:limit]
        )
    typed, names = [], {}
    if probe.name.strip():
        typed, names = _persons_by_name(visible, user, probe, limit * 3)
    ids |= set(names)
    persons = visible.filter(pk__in=ids).order_by().prefetch_related("documents")
    # Those found by a document or a phone alone are compared with the typed name too.
    candidates = [
        _score_person(p, probe, names.get(p.pk) or likeness(typed, p.name_key)) for p in persons
    ]
    candidates.sort(key=lambda c: (-c.score, -c.similarity, c.record.pk))
    return candidates[:limit]


def probe_of(person: Person) -> Probe:
    """A person described as an officer would describe them, to find their duplicates."""
    return Probe(
        name=person.full_name,
        documents=[d.number for d in person.documents.all()],
        phones=person.phones,
        birth_date=person.birth_date,
        birth_year=person.birth_year,
        nationality=person.nationalities[0] if person.nationalities else "",
    )


def pair_explained(*, pair) -> Candidate:
    """Why the pair was proposed, worked out from the records as they are now."""
    if isinstance(pair, DuplicatePair):
        name = Likeness(similarity=pair.name_similarity, letters_different=None)
        return _score_person(pair.second, probe_of(pair.first), name)
    keys = {pair.first.registration_key, pair.first.tax_key} - {""}
    return _score_business(pair.second, keys, pair.name_similarity)


def _score_business(business: Business, keys: set[str], similarity: float) -> Candidate:
    score, reasons = 0, []
    if keys & {business.registration_key, business.tax_key}:
        score += SCORE_DOCUMENT
        reasons.append(_("same registration or tax number"))
    if similarity:
        score += round(SCORE_NAME * similarity)
        reasons.append(_("name %(percent)d%% similar") % {"percent": round(similarity * 100)})
    return Candidate(record=business, score=score, reasons=reasons, similarity=similarity)


def business_match(*, user, name: str, identifier: str = "", limit: int = MATCH_LIMIT):
    """Businesses by registration or tax number (exact) and by name (trigram). A number
    borne by a business merged into another proposes the one it was merged into."""
    visible = Business.objects.visible_to(user)
    key = identifier_key(identifier)
    exact = set()
    if key:
        exact = {
            kept or pk
            for pk, kept in visible.filter(Q(registration_key=key) | Q(tax_key=key)).values_list(
                "pk", "merged_into_id"
            )
        }
    records = {}
    if name.strip():
        with _rolled_back() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(NAME_THRESHOLD)],
            )
            records = {
                business.pk: business
                for business in visible.current()
                .filter(Q(name_key__trigram_word_similar=_name_key(name)) | Q(pk__in=exact))
                .annotate(
                    # The formula's SQL is our own; the typed name is a parameter.
                    similarity=RawSQL(  # noqa: S611
                        similarity_sql(_KEY_SQL, f'"{Business._meta.db_table}"."name_key"'),
                        [name.strip()] * 2,
                        output_field=FloatField(),
                    )
                )
                .order_by("-similarity", "pk")[: limit * 3]
            }
    if missing := exact - set(records):
        # Found by their number alone: no name similarity to show.
        records |= {
            business.pk: business
            for business in visible.filter(pk__in=missing).annotate(
                similarity=Value(0.0, output_field=FloatField())
            )
        }
    candidates = [
        _score_business(business, {key} if pk in exact else set(), business.similarity)
        for pk, business in records.items()
    ]
    candidates.sort(key=lambda c: (-c.score, -c.similarity, c.record.pk))
    return candidates[:limit]


def conveyance_match(*, user, identifier: str, limit: int = MATCH_LIMIT):
    """Conveyances whose identifier is, or starts with, what was typed."""
    key = identifier_key(identifier)
    if not key:
        return []
    conveyances = Conveyance.objects.visible_to(user).filter(identifier_key__startswith=key)
    candidates = [
        Candidate(
            record=conveyance,
            score=SCORE_DOCUMENT if conveyance.identifier_key == key else SCORE_NAME,
            reasons=[_("same identifier") if conveyance.identifier_key == key else _("identifier")],
        )
        for conveyance in conveyances.order_by("identifier_key")[:limit]
    ]
    candidates.sort(key=lambda c: (-c.score, -c.similarity, c.record.pk))
    return candidates


def record_match(*, user, kind: str, query: dict) -> list[Candidate]:
    """The match for a person, business or conveyance, from a validated query (the API's
    match endpoints and the page that adds a record to a case send the same)."""
    if kind == "person":
        return person_match(
            user=user,
            probe=Probe(
                name=query.get("q", ""),
                documents=[query["document"]] if query.get("document") else [],
                phones=[query["phone"]] if query.get("phone") else [],
                birth_date=query.get("birth_date"),
                birth_year=query.get("birth_year"),
                nationality=query.get("nationality", ""),
            ),
        )
    if kind == "business":
        return business_match(
            user=user, name=query.get("q", ""), identifier=query.get("registration", "")
        )
    return conveyance_match(user=user, identifier=query.get("q", ""))


# --- Correlation --------------------------------------------------------------------------


@dataclass
class CaseAppearance:
    seizure: Seizure
    reasons: list[str]


def _appearances(found: dict[int, list[str]], user) -> list[CaseAppearance]:
    seizures = Seizure.objects.visible_to(user).filter(pk__in=found).select_related("office")
    return [CaseAppearance(seizure=s, reasons=sorted(set(found[s.pk]))) for s in seizures]


def _links_by_seizure(links, describe) -> dict[int, list[str]]:
    found = defaultdict(list)
    for link in links:
        found[link.seizure_id].append(describe(link))
    return found


def _persons_sharing_identifiers(user, persons) -> dict[int, str]:
    """Other persons sharing a document number or a phone with ``persons``: id → why."""
    persons = list(persons)
    own = {p.pk for p in persons}
    visible = Person.objects.visible_to(user)
    sharing = {}
    numbers = {d.number_key: d.number for p in persons for d in p.documents.all()}
    if numbers:
        for person_id, key in (
            IdentityDocument.objects.filter(number_key__in=numbers, person__in=visible)
            .exclude(person_id__in=own)
            .values_list("person_id", "number_key")
        ):
            sharing[person_id] = _("document %(number)s") % {"number": numbers[key]}
    phones = sorted({key for p in persons for key in p.phone_keys})
    if phones:
        for person_id, keys in (
            visible.filter(phone_keys__overlap=phones)
            .exclude(pk__in=own)
            .values_list("pk", "phone_keys")
        ):
            shared = sorted(set(keys) & set(phones))
            sharing.setdefault(person_id, _("phone %(number)s") % {"number": shared[0]})
    return sharing


def person_cases(*, user, person: Person) -> list[CaseAppearance]:
    """Every case the person is in, and every case in which one of their documents or
    phones appears on someone else."""
    found = _links_by_seizure(
        CaseLink.objects.visible_to(user).filter(person=person),
        lambda link: link.get_role_display(),
    )
    sharing = _persons_sharing_identifiers(user, [person])
    for link in CaseLink.objects.visible_to(user).filter(person_id__in=sharing):
        found[link.seizure_id].append(
            _("shares %(identifier)s") % {"identifier": sharing[link.person_id]}
        )
    return _appearances(found, user)


def business_cases(*, user, business: Business) -> list[CaseAppearance]:
    found = _links_by_seizure(
        CaseLink.objects.visible_to(user).filter(business=business),
        lambda link: link.get_role_display(),
    )
    others = Business.objects.visible_to(user).exclude(pk=business.pk)
    same = Q(pk__in=[])
    if business.registration_key:
        same |= Q(registration_key=business.registration_key)
    if business.tax_key:
        same |= Q(tax_key=business.tax_key)
    if business.phone_keys:
        same |= Q(phone_keys__overlap=business.phone_keys)
    for link in CaseLink.objects.visible_to(user).filter(business__in=others.filter(same)):
        found[link.seizure_id].append(_("shares a registration, tax number or phone"))
    return _appearances(found, user)


def _conveyance_query(identifier: str) -> SearchQuery:
    """Cases naming the identifier as written ("MSCU 123456-7") or run together
    ("MSCU1234567"): the seizures' search vector holds their conveyance fields."""
    return SearchQuery(identifier, config="simple", search_type="phrase") | SearchQuery(
        identifier_key(identifier).lower(), config="simple"
    )


def conveyance_cases(*, user, conveyance: Conveyance) -> list[CaseAppearance]:
    """Cases the conveyance is linked to, and cases whose own conveyance fields name it."""
    found = _links_by_seizure(
        CaseLink.objects.visible_to(user).filter(conveyance=conveyance),
        lambda link: link.get_role_display(),
    )
    for pk in (
        Seizure.objects.visible_to(user)
        .filter(search_vector=_conveyance_query(conveyance.identifier))
        .values_list("pk", flat=True)[:200]
    ):
        found[pk].append(_("named in the case"))
    return _appearances(found, user)


def _own_conveyance_fields(seizure: Seizure) -> list[tuple[str, str]]:
    """The case's own conveyance fields that correlate, each with its label: flight numbers
    recur daily and say nothing."""
    return [
        (_("container %(number)s"), seizure.container_number),
        (_("vessel IMO %(number)s"), seizure.vessel_imo),
        (_("vehicle %(number)s"), seizure.vehicle_registration),
    ]


def related_cases(*, user, seizure: Seizure, links: list[CaseLink]) -> list[CaseAppearance]:
    """Other cases sharing a person, business, conveyance, document, phone or container
    with ``seizure``, each with what they share."""
    persons = [link.person for link in links if link.person_id]
    business_ids = {link.business_id for link in links if link.business_id}
    conveyance_ids = {link.conveyance_id for link in links if link.conveyance_id}
    sharing = _persons_sharing_identifiers(user, persons)
    names = {p.pk: str(p) for p in persons}
    others = (
        CaseLink.objects.visible_to(user)
        .filter(
            Q(person_id__in=set(names) | set(sharing))
            | Q(business_id__in=business_ids)
            | Q(conveyance_id__in=conveyance_ids)
        )
        .exclude(seizure=seizure)
        .select_related("business", "conveyance")
    )
    found = defaultdict(list)
    for link in others:
        if link.person_id in names:
            found[link.seizure_id].append(names[link.person_id])
        elif link.person_id:
            found[link.seizure_id].append(sharing[link.person_id])
        else:
            found[link.seizure_id].append(str(link.target))
    for label, value in _own_conveyance_fields(seizure):
        if value:
            for pk in (
                Seizure.objects.visible_to(user)
                .filter(search_vector=_conveyance_query(value))
                .exclude(pk=seizure.pk)
                .values_list("pk", flat=True)[:100]
            ):
                found[pk].append(label % {"number": value})
    return _appearances(found, user)


# --- Correlation with the regional records received from the hub ---------------------------


def _described(triples) -> dict[str, str]:
    """typed key → what to call it, from (kind, value as written, label with a
    ``%(number)s``) triples; the first triple of a key names it."""
    keys = {}
    for kind, value, label in triples:
        key = typed_key(kind, value)
        if key and key not in keys:
            keys[key] = label % {"number": value}
    return keys


def _person_keys(persons) -> dict[str, str]:
    """The typed keys of the persons' documents and phones (documents prefetched)."""
    return _described(
        [(DOCUMENT, d.number, _("document %(number)s")) for p in persons for d in p.documents.all()]
        + [(PHONE, phone, _("phone %(number)s")) for p in persons for phone in p.phones]
    )


def _business_keys(businesses) -> dict[str, str]:
    """The typed keys of the businesses' registration and tax numbers and phones."""
    triples = []
    for b in businesses:
        triples += [
            (REGISTRATION, b.registration_number, _("registration %(number)s")),
            (TAX, b.tax_id, _("tax number %(number)s")),
        ]
        triples += [(PHONE, phone, _("phone %(number)s")) for phone in b.phones]
    return _described(triples)


def person_regional_records(*, user, person: Person) -> list[RegionalAppearance]:
    """Received regional records naming one of the person's documents or phones."""
    return received_sharing_keys(user=user, nominal=_person_keys([person]), conveyance={})


def business_regional_records(*, user, business: Business) -> list[RegionalAppearance]:
    """Received regional records naming the business's registration or tax number or phone."""
    return received_sharing_keys(user=user, nominal=_business_keys([business]), conveyance={})


def conveyance_regional_records(*, user, conveyance: Conveyance) -> list[RegionalAppearance]:
    """Received regional records whose conveyance fields name the conveyance."""
    key = identifier_key(conveyance.identifier)
    return received_sharing_keys(
        user=user, nominal={}, conveyance={key: str(conveyance)} if key else {}
    )


def related_regional_records(
    *, user, seizure: Seizure, links: list[CaseLink]
) -> list[RegionalAppearance]:
    """Received regional records sharing a document, phone, registration or tax number
    with the case's persons and businesses, or a conveyance or container with the case's
    conveyances and its own conveyance fields."""
    conveyance = {}
    for label, value in _own_conveyance_fields(seizure):
        if key := identifier_key(value):
            conveyance.setdefault(key, label % {"number": value})
    for link in links:
        if link.conveyance_id and (key := identifier_key(link.conveyance.identifier)):
            conveyance.setdefault(key, str(link.conveyance))
    nominal = _person_keys([link.person for link in links if link.person_id])
    nominal |= _business_keys([link.business for link in links if link.business_id])
    return received_sharing_keys(user=user, nominal=nominal, conveyance=conveyance)


# --- Link chart ---------------------------------------------------------------------------

CHART_LIMIT = 300  # links drawn at most: beyond that a chart is no longer readable


def _node(record) -> dict:
    kind = "seizure" if isinstance(record, Seizure) else record._meta.model_name
    url = (
        reverse("seizures:detail", args=[record.pk])
        if kind == "seizure"
        else record.get_absolute_url()
    )
    return {"id": f"{kind}-{record.pk}", "label": str(record), "kind": kind, "url": url}


def link_graph(*, user, centre) -> dict:
    """The chart around a person, business, conveyance or case, two hops out: around a
    record, its cases and everyone and everything else in them; around a case, its records
    and their other cases. ``{"centre": id, "nodes": [...], "edges": [...]}``."""
    links = CaseLink.objects.visible_to(user).with_targets()
    if isinstance(centre, Seizure):
        first = list(links.filter(seizure=centre)[:CHART_LIMIT])
        others = Q(pk__in=[])
        for field in ("person", "business", "conveyance"):
            ids = {getattr(link, f"{field}_id") for link in first} - {None}
            if ids:
                others |= Q(**{f"{field}_id__in": ids})
        second = list(links.filter(others).exclude(seizure=centre)[:CHART_LIMIT])
    else:
        field = centre._meta.model_name
        cases = links.filter(**{field: centre}).values("seizure_id")
        first, second = list(links.filter(seizure_id__in=cases)[:CHART_LIMIT]), []
    nodes = {_node(centre)["id"]: _node(centre)}
    edges = []
    for link in [*first, *second]:
        case, target = _node(link.seizure), _node(link.target)
        nodes.setdefault(case["id"], case)
        nodes.setdefault(target["id"], target)
        edges.append(
            {
                "id": f"link-{link.pk}",
                "source": target["id"],
                "target": case["id"],
                "label": link.get_role_display(),
                # For the list under the chart, which says the same in words.
                "source_label": target["label"],
                "target_label": case["label"],
            }
        )
    return {"centre": _node(centre)["id"], "nodes": list(nodes.values()), "edges": edges}
