"""The searchable columns of a shared record, derived from its payload when it is stored.

The hub's regional records and a member's received records are filtered on the same
things (date, commodity, route country, transport, detection, concealment, conveyance
identifiers, the persons' and businesses' identifiers, free text); reading them out of the
JSON payload would scan every row, so ``searchable_columns`` copies them into real, indexed
columns, and is the only place that knows where in a payload (docs/exchange-payload.md)
each one lives.
"""

import re
from datetime import UTC, datetime

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.utils.translation import gettext_lazy as _

from persons.keys import DOCUMENT, PHONE, REGISTRATION, TAX, identifier_key, typed_key

# PostgreSQL's parser reads "FJ-2026-000123" as "fj", "-2026", "-000123" (signed numbers),
# which a search for the reference never matches: words joined by hyphens are stored, and
# searched (exchange.filters), as separate words.
INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")

CONVEYANCE_FIELDS = (
    "flight_number",
    "vessel_name",
    "vessel_imo",
    "container_number",
    "vehicle_registration",
)


class SearchableColumns(models.Model):
    """What ``searchable_columns`` fills in; every field is blank for a record whose
    content is not kept (a received record that was withdrawn)."""

    occurred_at = models.DateTimeField(_("date"), null=True, editable=False)
    commodity_codes = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, editable=False
    )
    route_countries = ArrayField(
        models.CharField(max_length=2), default=list, blank=True, editable=False
    )
    # The route's two ends apart, for the regional dashboard's routes and source countries.
    origin_country = models.CharField(max_length=2, blank=True, editable=False)
    destination_country = models.CharField(max_length=2, blank=True, editable=False)
    transport_mode = models.CharField(max_length=40, blank=True, editable=False)
    detection_method = models.CharField(max_length=40, blank=True, editable=False)
    concealment_method = models.CharField(max_length=40, blank=True, editable=False)
    # identifier_key() of each conveyance identifier, for correlation with conveyances.
    conveyance_keys = ArrayField(
        models.CharField(max_length=60), default=list, blank=True, editable=False
    )
    # typed_key() of each identifier of the persons and businesses the sender's policy
    # shared (documents, phones, registration and tax numbers), for correlation with the
    # persons app's records.
    nominal_keys = ArrayField(
        models.CharField(max_length=80), default=list, blank=True, editable=False
    )
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True


def searchable_indexes(prefix: str) -> list:
    """The indexes of the searchable columns, named after ``prefix`` (index names are
    global in PostgreSQL)."""
    return [
        models.Index(fields=["-occurred_at", "-id"], name=f"{prefix}_occurred"),
        GinIndex(fields=["commodity_codes"], name=f"{prefix}_commodity_gin"),
        GinIndex(fields=["route_countries"], name=f"{prefix}_route_gin"),
        GinIndex(fields=["conveyance_keys"], name=f"{prefix}_conveyance_gin"),
        GinIndex(fields=["nominal_keys"], name=f"{prefix}_nominal_gin"),
        models.Index(fields=["transport_mode"], name=f"{prefix}_transport"),
        models.Index(fields=["detection_method"], name=f"{prefix}_detection"),
        GinIndex(search_vector(), name=f"{prefix}_search_gin"),
    ]


def search_vector() -> SearchVector:
    """The expression the text index holds and the text filter searches: they must match."""
    return SearchVector("search_text", config="simple")


def _code(value) -> str:
    return value["code"] if isinstance(value, dict) else ""


def _occurred_at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _nominal_keys(payload: dict) -> list[str]:
    """The typed keys of the identifiers in the payload's nominal part (absent where the
    sender's policy did not share them)."""
    pairs = []
    for person in payload.get("persons", []):
        pairs += [(DOCUMENT, document["number"]) for document in person.get("documents", [])]
        pairs += [(PHONE, phone) for phone in person.get("phones", [])]
    for business in payload.get("businesses", []):
        pairs += [(REGISTRATION, business.get("registration_number", ""))]
        pairs += [(TAX, business.get("tax_id", ""))]
        pairs += [(PHONE, phone) for phone in business.get("phones", [])]
    return sorted({typed_key(kind, value) for kind, value in pairs} - {""})


def searchable_columns(payload: dict) -> dict:
    """The column values of a seizure message (``"message": "seizure"``), valid per the
    payload schema. Free text is searchable only where the sender's policy shared it."""
    seizure = payload["seizure"]
    items = seizure["items"]
    commodities = {_code(item["commodity"]) for item in items}
    commodities |= {_code(item["commodity_group"]) for item in items}
    route = seizure["route"]
    countries = {route["origin"], route["departure"], route["destination"], *route["transit"]}
    conveyance = seizure["conveyance"]
    identifiers = [conveyance[name] for name in CONVEYANCE_FIELDS if conveyance[name]]
    words = [
        payload["member"],
        payload["record"]["reference"],
        seizure["office"]["name"],
        *identifiers,
        seizure.get("narrative", ""),
    ]
    for item in items:
        words += [item["commodity"]["label"], item.get("description", ""), item["species"] or ""]
    for business in payload.get("businesses", []):
        words.append(business.get("name", ""))
    for person in payload.get("persons", []):
        words.append(person.get("name", ""))
    return {
        "occurred_at": _occurred_at(seizure["occurred_at"]),
        "commodity_codes": sorted(commodities - {""}),
        "route_countries": sorted(countries - {None}),
        "origin_country": route["origin"] or "",
        "destination_country": route["destination"] or "",
        "transport_mode": _code(seizure["transport_mode"]),
        "detection_method": _code(seizure["detection_method"]),
        "concealment_method": _code(seizure["concealment_method"]),
        "conveyance_keys": sorted({identifier_key(value) for value in identifiers} - {""}),
        "nominal_keys": _nominal_keys(payload),
        "search_text": INNER_HYPHEN.sub(" ", " ".join(word for word in words if word)),
    }


def blank_columns() -> dict:
    """The column values of a record whose content is no longer kept."""
    return {
        "occurred_at": None,
        "commodity_codes": [],
        "route_countries": [],
        "origin_country": "",
        "destination_country": "",
        "transport_mode": "",
        "detection_method": "",
        "concealment_method": "",
        "conveyance_keys": [],
        "nominal_keys": [],
        "search_text": "",
    }
