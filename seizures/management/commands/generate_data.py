"""Generate realistic seizures in bulk, for development and benchmarks. Never production.

    python manage.py generate_data --seizures 1000000 [--administration FJ] [--seed 42]
        [--batch 50000]

How it stays fast: every batch is written with COPY into two temporary tables, then moved
into place with one INSERT ... SELECT per table. That INSERT computes ``search_vector``
set-based with ``seizures.services.SEARCH_VECTOR_SQL``, the expression the services use, so
each row is written once; ``route_countries`` and ``commodity_ids`` are computed the way
that function computes them. References are reserved a year's block at a time by
``seizures.services.references_reserve``, as the services reserve them, so seizures
recorded later through the services neither collide nor leave gaps.
"""

import gc
import secrets
import time
import uuid
from bisect import bisect_right
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from random import Random
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from analysis.counts import compact
from ncen.models import Administration, Office, Role, User
from seizures.models import Code, CodeList, Seizure
from seizures.services import SEARCH_VECTOR_SQL, references_reserve

SEIZURE_COLUMNS = (
    "id",
    "uuid",
    "administration_id",
    "reference",
    "reference_year",
    "reference_number",
    "occurred_at",
    "office_id",
    "location_type_id",
    "procedure_id",
    "detection_method_id",
    "transport_mode_id",
    "concealment_method_id",
    "flight_number",
    "vessel_name",
    "vessel_imo",
    "container_number",
    "vehicle_registration",
    "origin_country",
    "departure_country",
    "transit_countries",
    "destination_country",
    "narrative",
    "status",
    "version",
    "created_by_id",
    "created_at",
    "updated_by_id",
    "updated_at",
    "route_countries",
    "commodity_ids",
)
ITEM_COLUMNS = (
    "seizure_id",
    "position",
    "commodity_id",
    "description",
    "quantity",
    "unit_id",
    "estimated_value",
    "currency",
    "species",
    "cites_appendix",
)
OFFENCE_COLUMNS = (
    "seizure_id",
    "legal_provision",
    "offence_type_id",
    "status_id",
    "penalty_amount",
    "penalty_currency",
    "committed_on",
    "decided_on",
)

YEARS = 5
OFFENCE_SHARE = 0.10
NULL = "\\N"
# COPY's text format: only these characters need escaping in free text.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

# --- The world ------------------------------------------------------------------------------

LOCAL_CURRENCY = {"FJ": "FJD", "WS": "WST", "TO": "TOP", "VU": "VUV", "SB": "SBD", "PG": "PGK"}
# Rough units of local currency per US dollar, to turn street prices into local values.
PER_USD = {
    "FJD": 2.25,
    "WST": 2.7,
    "TOP": 2.35,
    "VUV": 120.0,
    "SBD": 8.4,
    "PGK": 3.9,
    "AUD": 1.5,
    "NZD": 1.65,
    "USD": 1.0,
    "CNY": 7.2,
    "EUR": 0.92,
}
CITIES = {
    "AU": ["Sydney", "Brisbane", "Melbourne"],
    "NZ": ["Auckland", "Christchurch", "Wellington"],
    "US": ["Los Angeles", "Honolulu", "San Francisco"],
    "CA": ["Vancouver", "Toronto"],
    "MX": ["Manzanillo", "Mexico City", "Guadalajara"],
    "PE": ["Callao", "Lima"],
    "CO": ["Buenaventura", "Cartagena"],
    "EC": ["Guayaquil", "Manta"],
    "BO": ["Santa Cruz"],
    "PA": ["Balboa", "Panama City"],
    "CL": ["Valparaiso", "Santiago"],
    "CN": ["Shanghai", "Guangzhou", "Ningbo", "Shenzhen"],
    "HK": ["Hong Kong"],
    "TH": ["Bangkok", "Laem Chabang"],
    "MM": ["Yangon"],
    "SG": ["Singapore"],
    "MY": ["Port Klang", "Kuala Lumpur"],
    "ID": ["Jakarta", "Surabaya", "Denpasar"],
    "IN": ["Mumbai", "Chennai", "Delhi"],
    "KR": ["Busan", "Seoul"],
    "JP": ["Tokyo", "Osaka"],
    "PH": ["Manila"],
    "VN": ["Ho Chi Minh City", "Haiphong"],
    "AE": ["Dubai"],
    "NL": ["Amsterdam", "Rotterdam"],
    "BE": ["Antwerp"],
    "DE": ["Frankfurt", "Hamburg"],
    "GB": ["London"],
    "FR": ["Paris", "Marseille"],
    "PF": ["Papeete"],
    "NC": ["Noumea"],
    "CK": ["Rarotonga"],
    "FJ": ["Suva", "Nadi", "Lautoka"],
    "WS": ["Apia"],
    "TO": ["Nuku'alofa"],
    "VU": ["Port Vila", "Luganville"],
    "SB": ["Honiara"],
    "PG": ["Port Moresby", "Lae"],
    "AF": ["Kabul"],
    "CU": ["Havana"],
    "KI": ["Tarawa"],
    "TV": ["Funafuti"],
    "NR": ["Nauru"],
}
NATIONALITY = {
    "AU": "Australian",
    "NZ": "New Zealand",
    "US": "American",
    "CA": "Canadian",
    "MX": "Mexican",
    "PE": "Peruvian",
    "CO": "Colombian",
    "CN": "Chinese",
    "HK": "Hong Kong",
    "TH": "Thai",
    "MY": "Malaysian",
    "ID": "Indonesian",
    "IN": "Indian",
    "KR": "Korean",
    "JP": "Japanese",
    "PH": "Filipino",
    "GB": "British",
    "DE": "German",
    "FR": "French",
    "FJ": "Fijian",
    "WS": "Samoan",
    "TO": "Tongan",
    "VU": "ni-Vanuatu",
    "SB": "Solomon Islands",
    "PG": "Papua New Guinean",
    "KI": "I-Kiribati",
}
# Who flies into the region from where: (airline designator, lowest, highest number).
CARRIERS = {
    "AU": [("FJ", 910, 935), ("QF", 101, 399), ("VA", 181, 199), ("JQ", 101, 159)],
    "NZ": [("FJ", 410, 451), ("NZ", 50, 99)],
    "US": [("FJ", 810, 831), ("UA", 100, 199)],
    "CA": [("FJ", 870, 879)],
    "HK": [("FJ", 391, 392), ("CX", 100, 199)],
    "SG": [("FJ", 360, 369), ("SQ", 440, 449)],
    "JP": [("FJ", 800, 809)],
    "KR": [("KE", 130, 139)],
    "CN": [("CZ", 300, 399)],
    "NC": [("SB", 600, 699)],
    "PF": [("TN", 100, 199)],
    "FJ": [("FJ", 200, 299), ("FJ", 100, 199)],
    "WS": [("FJ", 250, 259), ("OL", 10, 29)],
    "TO": [("FJ", 211, 219), ("TL", 10, 29)],
    "VU": [("NF", 20, 29), ("FJ", 260, 269)],
    "SB": [("IE", 700, 709), ("FJ", 240, 249)],
    "KI": [("FJ", 290, 299)],
    "TV": [("FJ", 230, 235)],
    "PG": [("PX", 50, 99)],
}
HUB_CARRIERS = [("FJ", 100, 999), ("NZ", 50, 999), ("QF", 100, 999)]
CONTAINER_OWNERS = ["PCFU", "SOPU", "TSMU", "OCNU", "CRLU", "NVUU", "KPLU", "MRLU", "BLTU", "ISLU"]
SHIP_FIRST = [
    "Pacific",
    "Southern",
    "Coral",
    "Island",
    "Ocean",
    "Forum",
    "Tasman",
    "Lagoon",
    "Reef",
    "Equator",
    "Polynesia",
    "Melanesia",
    "Capricorn",
    "Trade Wind",
]
SHIP_SECOND = [
    "Trader",
    "Navigator",
    "Endeavour",
    "Express",
    "Pride",
    "Chief",
    "Star",
    "Ranger",
    "Harmony",
    "Voyager",
    "Spirit",
    "Carrier",
    "Horizon",
    "Breeze",
    "Pioneer",
    "Venture",
]
CRUISE_NAMES = [
    "Pacific Aurora",
    "Coral Majesty",
    "Southern Serenade",
    "Island Radiance",
    "Ocean Jewel",
    "Lagoon Princess",
    "Reef Explorer",
    "Tasman Dream",
]
YACHT_NAMES = [
    "Sea Spirit",
    "Wanderlust",
    "Blue Horizon",
    "Moana",
    "Island Time",
    "Serenity",
    "Free Spirit",
    "Southern Cross",
    "Kia Ora",
    "Windsong",
    "Odyssey",
    "Albatross",
    "Mahina",
    "Tui",
    "Salty Dog",
    "Sundowner",
    "Aurora",
    "Kestrel",
    "Nomad",
    "Ocean Gypsy",
    "Pelican",
    "Calypso",
    "Fair Winds",
    "Stardust",
    "Marlin",
    "Tiare",
    "Manu",
    "Whisper",
    "Seabird",
    "Escapade",
]
YACHT_SUFFIX = ["", "", "", "", " II", " III", " IV", " of Auckland", " of Papeete", " Too"]

# --- Code lists as the scenarios use them ----------------------------------------------------

# Channels: how the goods came, which decides the office kind, transport mode, conveyance,
# the detection and concealment methods that make sense, and the hour of the day.
CHANNEL_TRANSPORT = {
    "air_passenger": "air_passenger",
    "air_cargo": "air_cargo",
    "express": "express_courier",
    "postal": "postal",
    "sea_cargo": "sea_cargo",
    "yacht": "yacht_small_craft",
    "sea_passenger": "sea_passenger",
    "road": "road",
}
# Office kinds that handle a channel, best first (the first kind the administration has).
CHANNEL_OFFICES = {
    "air_passenger": [Office.Kind.AIRPORT],
    "air_cargo": [Office.Kind.AIRPORT],
    "express": [Office.Kind.EXPRESS_COURIER, Office.Kind.MAIL_CENTRE, Office.Kind.AIRPORT],
    "postal": [Office.Kind.MAIL_CENTRE, Office.Kind.AIRPORT],
    "sea_cargo": [Office.Kind.SEAPORT],
    "yacht": [Office.Kind.SEAPORT],
    "sea_passenger": [Office.Kind.SEAPORT],
    "road": [Office.Kind.LAND_BORDER, Office.Kind.INLAND],
}
OFFICE_LOCATION = {
    Office.Kind.SEAPORT: "seaport",
    Office.Kind.AIRPORT: "airport",
    Office.Kind.MAIL_CENTRE: "mail_centre",
    Office.Kind.EXPRESS_COURIER: "express_courier_hub",
    Office.Kind.LAND_BORDER: "land_border",
    Office.Kind.INLAND: "inland",
}
LARGE_CHANNELS = {"air_cargo", "sea_cargo", "road"}
# Yachts bring drugs and weapons by the hundred kilos, but bottles and cartons by the crate.
LARGE_ON_YACHTS = {"drug", "precursor", "weapon"}
DETECTION = {
    "air_passenger": {
        "risk_profiling": 30,
        "routine_control": 20,
        "detector_dog": 14,
        "xray_scanner": 20,
        "intelligence": 8,
        "random_check": 7,
        "other": 1,
    },
    "air_cargo": {
        "risk_profiling": 35,
        "xray_scanner": 30,
        "detector_dog": 10,
        "intelligence": 10,
        "routine_control": 12,
        "random_check": 3,
    },
    "express": {
        "xray_scanner": 40,
        "risk_profiling": 25,
        "detector_dog": 15,
        "intelligence": 5,
        "routine_control": 10,
        "random_check": 5,
    },
    "postal": {
        "xray_scanner": 45,
        "detector_dog": 20,
        "risk_profiling": 15,
        "intelligence": 5,
        "routine_control": 10,
        "random_check": 5,
    },
    "sea_cargo": {
        "risk_profiling": 35,
        "xray_scanner": 30,
        "intelligence": 15,
        "detector_dog": 5,
        "routine_control": 10,
        "random_check": 5,
    },
    "yacht": {
        "intelligence": 30,
        "routine_control": 30,
        "risk_profiling": 15,
        "detector_dog": 10,
        "random_check": 10,
        "other": 5,
    },
    "sea_passenger": {
        "routine_control": 30,
        "xray_scanner": 25,
        "detector_dog": 20,
        "risk_profiling": 15,
        "random_check": 10,
    },
    "road": {
        "routine_control": 30,
        "intelligence": 25,
        "detector_dog": 15,
        "xray_scanner": 15,
        "random_check": 15,
    },
}
CONCEALMENT = {
    "air_passenger": {"baggage": 50, "on_body": 12, "internal": 4, "undeclared": 30, "other": 4},
    "air_cargo": {"cargo": 85, "undeclared": 10, "other": 5},
    "express": {"mail_item": 55, "cargo": 35, "undeclared": 5, "other": 5},
    "postal": {"mail_item": 92, "other": 8},
    "sea_cargo": {"cargo": 75, "conveyance_cavity": 10, "undeclared": 12, "other": 3},
    "yacht": {"conveyance_cavity": 45, "undeclared": 35, "baggage": 10, "cargo": 5, "other": 5},
    "sea_passenger": {"baggage": 60, "on_body": 10, "undeclared": 25, "other": 5},
    "road": {"conveyance_cavity": 40, "cargo": 40, "undeclared": 15, "other": 5},
}
# How a family of goods shifts those weights.
DETECTION_BIAS = {
    "wildlife": {"detector_dog": 0.1, "routine_control": 1.5},
    "ipr": {"detector_dog": 0.05, "risk_profiling": 1.5},
    "revenue": {"detector_dog": 0.05, "risk_profiling": 2.0},
    "cash": {"detector_dog": 0.6, "risk_profiling": 1.5},
    "weapon": {"xray_scanner": 1.8},
    "heritage": {"detector_dog": 0.05},
}
CONCEALMENT_BIAS = {
    "drug": {"undeclared": 0.15},
    "precursor": {"internal": 0, "on_body": 0.2, "undeclared": 0.4},
    "cash": {"internal": 0, "on_body": 2.0, "undeclared": 2.5},
    "tobacco": {"internal": 0, "on_body": 0.2, "undeclared": 2.0},
    "alcohol": {"internal": 0, "on_body": 0.05, "undeclared": 3.0},
    "allowance": {"internal": 0, "on_body": 0.05, "undeclared": 3.0},
    "wildlife": {"internal": 0, "on_body": 0.3, "undeclared": 1.5},
    "ipr": {"internal": 0, "on_body": 0.1},
    "revenue": {"internal": 0, "on_body": 0, "undeclared": 2.0},
    "weapon": {"internal": 0, "on_body": 0.3},
    "heritage": {"internal": 0, "on_body": 0.1, "undeclared": 1.5},
    "other": {"internal": 0},
}
# Local hours at which each channel's cases happen (0..23).
AIR_HOURS = [1, 1, 1, 2, 4, 8, 9, 8, 6, 4, 3, 3, 3, 5, 6, 6, 5, 4, 4, 6, 7, 6, 4, 2]
OFFICE_HOURS = [0, 0, 0, 0, 0, 0, 1, 3, 8, 9, 9, 8, 5, 8, 9, 8, 6, 3, 1, 0, 0, 0, 0, 0]
DAYLIGHT_HOURS = [0, 0, 0, 0, 0, 1, 3, 5, 7, 8, 8, 7, 6, 7, 7, 7, 6, 5, 3, 1, 0, 0, 0, 0]
CHANNEL_HOURS = {
    "air_passenger": AIR_HOURS,
    "air_cargo": AIR_HOURS,
    "express": OFFICE_HOURS,
    "postal": OFFICE_HOURS,
    "sea_cargo": OFFICE_HOURS,
    "yacht": DAYLIGHT_HOURS,
    "sea_passenger": DAYLIGHT_HOURS,
    "road": DAYLIGHT_HOURS,
}
# Month multipliers, January first.
SEASONS = {
    "flat": [1.0] * 12,
    "tourism": [1.1, 0.8, 0.85, 1.0, 0.95, 1.1, 1.25, 1.15, 1.0, 0.95, 0.95, 1.3],
    # The yachting season: boats cross the Pacific between cyclone seasons.
    "sailing": [0.3, 0.2, 0.3, 0.7, 1.4, 1.8, 1.9, 1.8, 1.6, 1.2, 0.6, 0.3],
    "mail": [0.85, 0.8, 0.9, 0.95, 1.0, 0.95, 0.95, 1.0, 1.0, 1.05, 1.3, 1.6],
    "festive": [0.9, 0.8, 0.85, 0.9, 0.9, 0.95, 0.95, 0.95, 1.0, 1.1, 1.3, 1.6],
}
CHANNEL_SEASON = {
    "air_passenger": "tourism",
    "sea_passenger": "tourism",
    "yacht": "sailing",
    "postal": "mail",
    "express": "mail",
}

# What happened next, for cases with a traveller or crew ("person") and for consignments.
GENERIC_OUTCOMES = [
    "The goods were detained pending further inquiries.",
    "The matter was referred to the investigations unit.",
    "The goods were seized and a report prepared.",
]
REVENUE_PERSON = [
    "Duty and penalties were assessed and the goods detained.",
    "The goods were forfeited and a penalty notice issued.",
    "The goods were seized as forfeit.",
    "The traveller paid the duty and an administrative fine.",
]
REVENUE_CARGO = [
    "The importer was asked to explain the declared value.",
    "The consignment was held pending a valuation review.",
    "The goods were forfeited and a penalty notice issued.",
    "An amended entry and a penalty were raised.",
]
DRUG_LAB = [
    "Samples were sent to the government laboratory for analysis.",
    "Field tests were positive; the goods were detained.",
]
OUTCOMES = {
    ("drug", "person"): [
        "The suspect was arrested and handed over to the police drug unit.",
        "The suspect was interviewed and charged.",
        "The case was referred to the police for prosecution.",
        *DRUG_LAB,
    ],
    ("drug", "cargo"): [
        "A controlled delivery was considered but not pursued.",
        "A controlled delivery was organised with the police.",
        "The consignee was identified and referred to the police.",
        *DRUG_LAB,
    ],
    ("precursor", "person"): ["The case was referred to the police for prosecution.", *DRUG_LAB],
    ("precursor", "cargo"): [
        "The consignee had no import licence for precursors; the goods were seized.",
        "A controlled delivery was organised with the police.",
        *DRUG_LAB,
    ],
    ("revenue", "person"): REVENUE_PERSON,
    ("revenue", "cargo"): REVENUE_CARGO,
    ("ipr", "person"): [*REVENUE_PERSON[1:3], "The right holder confirmed the goods were fake."],
    ("ipr", "cargo"): [
        "The right holder was notified and confirmed the fakes.",
        "The goods were detained under the border protection measures.",
        REVENUE_CARGO[2],
    ],
    ("wildlife", "person"): [
        "The items were handed to the Department of Environment for identification.",
        "No CITES permit was produced; the items were seized.",
        "The traveller said the items were gifts and had no permit.",
    ],
    ("wildlife", "cargo"): [
        "The specimens were photographed and referred to the CITES management authority.",
        "No CITES permit was produced; the items were seized.",
        "The exporter could not produce a CITES permit.",
    ],
    ("cash", "person"): [
        "The cash was detained and the Financial Intelligence Unit informed.",
        "The traveller could not explain the source of the money.",
        "A border currency report was not lodged; the cash was seized.",
        "The money was counted in the presence of the traveller and detained.",
    ],
    ("cash", "cargo"): [
        "The cash was detained and the Financial Intelligence Unit informed.",
        "The sender could not be traced; the money was detained.",
    ],
    ("weapon", "person"): [
        "The weapons were handed to the police armoury.",
        "No import permit was held; the police were called.",
    ],
    ("weapon", "cargo"): [
        "The weapons were handed to the police armoury.",
        "The consignee held no firearms licence; the police were informed.",
    ],
}
for _family in ("tobacco", "alcohol", "allowance"):
    OUTCOMES[_family, "person"] = REVENUE_PERSON
    OUTCOMES[_family, "cargo"] = REVENUE_CARGO
for _family in ("heritage", "other"):
    OUTCOMES[_family, "person"] = OUTCOMES[_family, "cargo"] = GENERIC_OUTCOMES
PERSON_CHANNELS = {"air_passenger", "sea_passenger", "yacht"}
# Who or what the detection sentence speaks of.
SUBJECTS = {
    "air_passenger": "The traveller",
    "sea_passenger": "The traveller",
    "yacht": "The vessel",
    "postal": "The item",
    "express": "The consignment",
    "air_cargo": "The consignment",
    "sea_cargo": "The consignment",
    "road": "The vehicle",
}
CONCEALMENT_PHRASES = {
    "baggage": [
        "in a false bottom of a suitcase",
        "wrapped in clothing in a backpack",
        "inside food tins in checked luggage",
        "among souvenirs in a carry-on bag",
        "in the lining of a hard-shell suitcase",
        "inside shampoo bottles in a toiletry bag",
        "under a layer of dried fish in a chilly bin",
    ],
    "on_body": [
        "strapped to the legs under loose trousers",
        "taped around the waist",
        "in the underwear",
        "sewn into a jacket",
        "in the soles of sandals",
    ],
    "internal": [
        "in pellets swallowed before departure",
        "in capsules found after an X-ray at hospital",
    ],
    "cargo": [
        "inside a consignment of {goods}",
        "in pallets declared as {goods}",
        "behind a false wall of cartons of {goods}",
        "mixed into bags of {goods}",
    ],
    "conveyance_cavity": [
        "in a hidden compartment in the {part}",
        "behind a panel in the {part}",
        "in sealed drums stowed in the {part}",
    ],
    "mail_item": [
        "in a parcel declared as {declared}",
        "in a padded envelope declared as {declared}",
        "inside a greeting card",
        "in a box of {declared}",
    ],
    "undeclared": [
        "that had not been declared",
        "openly carried but not declared on the arrival card",
        "declared as personal effects",
    ],
    "other": ["in an unusual hiding place", "in a speaker box", "in a hollowed-out carving"],
}
CARGO_GOODS = [
    "frozen fish",
    "furniture",
    "car parts",
    "instant noodles",
    "floor tiles",
    "used clothing",
    "coconut cream",
    "machinery",
    "tinned tuna",
    "rice",
    "building materials",
    "fruit juice",
    "toys",
    "solar panels",
    "kitchenware",
]
VESSEL_PARTS = [
    "bilge",
    "hull",
    "fuel tank",
    "engine room",
    "ceiling panels",
    "keel",
    "anchor locker",
    "water tank",
    "sail locker",
]
DECLARED = [
    "clothing",
    "a gift",
    "books",
    "vitamins",
    "cosmetics",
    "toys",
    "phone accessories",
    "tea",
    "spare parts",
    "documents",
]
DOGS = ["Bruno", "Kona", "Tui", "Max", "Rua", "Bella", "Koko", "Sefa", "Nala", "Jet", "Vula"]
PROFILE_REASONS = [
    "a short-stay itinerary",
    "a ticket paid in cash",
    "recent travel to {country}",
    "a last-minute booking",
    "an unusual route",
    "a previous seizure linked to the traveller",
]
CARGO_PROFILE_REASONS = [
    "a first-time importer",
    "a consignee with no trading history",
    "goods inconsistent with the declared business",
    "freight paid in cash",
    "an unusual routing through {country}",
]
EXTRA_SENTENCES = [
    "Two mobile phones were also seized.",
    "The packaging bore a printed logo seen in earlier cases.",
    "Records show similar shipments in the past year.",
    "The goods were photographed and weighed in the presence of a witness.",
    "The suspect gave inconsistent answers about the purpose of the trip.",
    "Bank cards in several names were found in the same bag.",
    "The consignment was examined with the joint border team.",
    "A hotel booking was found for one night only.",
]


def _scenario(
    code, weight, family, channels, origins, small, large, price, descriptions, words, **extra
):
    return {
        "code": code,
        "weight": weight,
        "family": family,
        "channels": channels,
        "origins": origins,
        "small": small,
        "large": large,
        "price": price,
        "descriptions": descriptions,
        "words": words,
        "export": extra.get("export", 0.0),
        "destinations": extra.get("destinations", {"AU": 3, "NZ": 3, "US": 2}),
        "species": extra.get("species", []),
        "companions": extra.get("companions", []),
        "season": extra.get("season", "flat"),
        "trend": extra.get("trend", 0.0),
        "via": extra.get("via", 0.08),
    }


SOUTH_AMERICA = {"PE": 4, "CO": 3, "EC": 2, "BO": 1}
ASIA_SOURCE = {"CN": 3, "MM": 2, "TH": 2, "MY": 1, "HK": 1}
# (commodity code, weight, family, channels, origins, small units, large units,
#  US dollars per unit, item descriptions, words for the goods in narratives)
SCENARIOS = [
    _scenario(
        "methamphetamine",
        9,
        "drug",
        {"air_passenger": 5, "postal": 3, "express": 2, "air_cargo": 1, "sea_cargo": 2},
        {"US": 4, "MX": 3, **ASIA_SOURCE},
        [(8, "g", 1, 900), (2, "kg", 0.5, 5)],
        [(9, "kg", 2, 400), (1, "g", 200, 5000)],
        {"g": 150, "kg": 150000},
        [
            "{n} vacuum-sealed bags of crystalline substance",
            "white crystals in {n} heat-sealed packets",
            "crystalline powder hidden in {n} tea packets",
            "{n} packages of methamphetamine (ice)",
            "clear crystals in {n} zip-lock bags",
        ],
        ["methamphetamine", "ice", "crystal methamphetamine", "a crystalline substance"],
        companions=["undeclared_currency", "cannabis_herbal", "mdma", "methamphetamine"],
        trend=0.15,
        via=0.15,
    ),
    _scenario(
        "cocaine",
        5,
        "drug",
        {"yacht": 4, "sea_cargo": 3, "air_passenger": 3, "postal": 1},
        {**SOUTH_AMERICA, "MX": 1},
        [(8, "g", 5, 1500), (2, "kg", 0.5, 4)],
        [(9, "kg", 5, 800), (1, "g", 500, 5000)],
        {"g": 120, "kg": 120000},
        [
            "{n} bricks of white powder",
            "{n} rectangular blocks wrapped in plastic and tape",
            "white powder in {n} pellets",
            "{n} packages stamped with a logo",
            "compressed powder in {n} waterproof bundles",
        ],
        ["cocaine", "a white powder", "cocaine bricks"],
        companions=["undeclared_currency", "cocaine"],
        trend=0.12,
        via=0.35,
    ),
    _scenario(
        "cannabis_herbal",
        9,
        "drug",
        {"air_passenger": 3, "postal": 4, "express": 1, "yacht": 0.5, "sea_passenger": 0.5},
        {"US": 3, "CA": 2, "NZ": 2, "AU": 2, "TH": 1, "PG": 1, "SB": 0.5},
        [(7, "g", 1, 900), (3, "kg", 0.2, 5)],
        [(9, "kg", 5, 300), (1, "g", 500, 5000)],
        {"g": 4, "kg": 4000},
        [
            "dried leaves in {n} plastic bags",
            "{n} bundles of dried plant material",
            "green vegetable matter in {n} parcels",
            "cannabis buds in {n} vacuum-packed bags",
            "{n} rolls of dried cannabis",
        ],
        ["cannabis", "marijuana", "dried plant material", "green leaves"],
        companions=["cannabis_oil", "cannabis_resin", "methamphetamine"],
        trend=-0.05,
    ),
    _scenario(
        "cannabis_oil",
        1.5,
        "drug",
        {"postal": 5, "express": 2, "air_passenger": 2},
        {"US": 4, "CA": 3, "AU": 1},
        [(6, "g", 5, 500), (4, "l", 0.05, 1)],
        [(6, "l", 1, 20), (4, "kg", 1, 20)],
        {"g": 20, "l": 15000, "kg": 20000},
        [
            "{n} vape cartridges of cannabis oil",
            "{n} vials of dark oil",
            "cannabis oil in {n} syringes",
            "{n} bottles labelled as essential oil",
        ],
        ["cannabis oil", "THC oil", "vape cartridges"],
        companions=["cannabis_herbal"],
        trend=0.1,
    ),
    _scenario(
        "cannabis_resin",
        0.6,
        "drug",
        {"postal": 3, "air_passenger": 2},
        {"NZ": 1, "AU": 1, "NL": 1},
        [(9, "g", 2, 300), (1, "kg", 0.2, 2)],
        [(1, "kg", 1, 30)],
        {"g": 15, "kg": 12000},
        ["{n} slabs of brown resin", "hashish in {n} foil wraps"],
        ["cannabis resin", "hashish"],
    ),
    _scenario(
        "cannabis_plants",
        0.5,
        "drug",
        {"yacht": 2, "postal": 1},
        {"NZ": 1, "AU": 1, "US": 1},
        [(1, "pieces", 1, 30)],
        [(1, "pieces", 10, 200)],
        {"pieces": 250},
        ["{n} seedlings in pots", "{n} live cannabis plants"],
        ["cannabis plants", "seedlings"],
    ),
    _scenario(
        "heroin_opioids",
        0.7,
        "drug",
        {"air_passenger": 2, "postal": 2, "sea_cargo": 1},
        {"MM": 2, "TH": 2, "IN": 1, "AF": 1},
        [(9, "g", 1, 500), (1, "kg", 0.5, 3)],
        [(1, "kg", 1, 50)],
        {"g": 150, "kg": 150000},
        ["{n} packets of brown powder", "off-white powder in {n} capsules"],
        ["heroin", "a brown powder"],
        via=0.25,
    ),
    _scenario(
        "mdma",
        1.5,
        "drug",
        {"postal": 5, "express": 2, "air_passenger": 2},
        {"NL": 4, "BE": 2, "DE": 2, "GB": 1},
        [(6, "pieces", 10, 5000), (4, "g", 5, 1000)],
        [(6, "pieces", 5000, 200000), (4, "kg", 1, 50)],
        {"pieces": 25, "g": 60, "kg": 60000},
        [
            "{n} coloured tablets with a logo",
            "{n} ecstasy pills in a blister pack",
            "pink pills in {n} bags",
        ],
        ["MDMA", "ecstasy tablets", "pills"],
        companions=["cannabis_herbal", "nps"],
    ),
    _scenario(
        "nps",
        0.6,
        "drug",
        {"postal": 4, "express": 3},
        {"CN": 4, "IN": 1},
        [(6, "g", 1, 500), (4, "pieces", 10, 2000)],
        [(1, "kg", 1, 25)],
        {"g": 30, "pieces": 10, "kg": 30000},
        ["{n} sachets labelled as bath salts", "white powder in {n} foil pouches"],
        ["synthetic cannabinoids", "new psychoactive substances", "bath salts"],
    ),
    _scenario(
        "kava",
        2.5,
        "allowance",
        {"air_passenger": 5, "postal": 2, "sea_cargo": 1},
        {"VU": 2, "TO": 1, "WS": 1, "FJ": 2},
        [(9, "kg", 2, 40), (1, "l", 2, 20)],
        [(1, "kg", 100, 5000)],
        {"kg": 40, "l": 15},
        [
            "{n} bags of kava powder",
            "dried kava roots in {n} sacks",
            "pounded yaqona in {n} bundles",
        ],
        ["kava", "yaqona", "kava powder"],
        export=0.75,
        destinations={"NZ": 5, "AU": 4, "US": 2},
        season="festive",
    ),
    _scenario(
        "pharmaceuticals",
        2,
        "drug",
        {"postal": 5, "express": 3, "air_passenger": 2},
        {"IN": 5, "CN": 2, "TH": 1, "PH": 1},
        [(7, "pieces", 20, 5000), (3, "units", 1, 50)],
        [(8, "pieces", 5000, 500000), (2, "kg", 5, 200)],
        {"pieces": 1.5, "units": 40, "kg": 500},
        [
            "{n} strips of tramadol tablets",
            "{n} boxes of benzodiazepine tablets",
            "loose tablets in {n} bottles",
            "{n} packs of codeine tablets",
        ],
        ["tramadol", "prescription tablets", "benzodiazepines"],
        companions=["falsified_medicines", "pharmaceuticals"],
        trend=0.08,
    ),
    _scenario(
        "pseudoephedrine",
        1,
        "precursor",
        {"postal": 3, "express": 2, "air_cargo": 2, "sea_cargo": 1},
        {"CN": 4, "IN": 3, "HK": 1},
        [(6, "g", 50, 2000), (4, "kg", 0.5, 10)],
        [(9, "kg", 20, 1000)],
        {"g": 5, "kg": 4000},
        ["{n} boxes of cold and flu tablets", "{n} drums of white powder labelled as vitamin C"],
        ["pseudoephedrine", "cold tablets", "a precursor chemical"],
        companions=["ephedrine"],
        via=0.2,
    ),
    _scenario(
        "ephedrine",
        0.4,
        "precursor",
        {"air_cargo": 2, "postal": 2},
        {"CN": 3, "IN": 2},
        [(1, "g", 50, 2000)],
        [(1, "kg", 10, 500)],
        {"g": 5, "kg": 4000},
        ["{n} bags of white powder declared as food additive"],
        ["ephedrine", "a precursor chemical"],
    ),
    _scenario(
        "p2p",
        0.2,
        "precursor",
        {"sea_cargo": 3, "air_cargo": 1},
        {"CN": 5, "IN": 1},
        [(1, "l", 1, 20)],
        [(7, "l", 50, 5000), (3, "kg", 50, 5000)],
        {"l": 300, "kg": 300},
        ["{n} drums of clear liquid declared as solvent"],
        ["P2P", "a precursor liquid"],
        via=0.3,
    ),
    _scenario(
        "cigarettes",
        12,
        "tobacco",
        {"air_passenger": 5, "sea_cargo": 3, "sea_passenger": 1, "yacht": 0.5, "postal": 0.5},
        {"CN": 3, "ID": 2, "AE": 2, "KR": 1, "SG": 1, "MY": 1, "NZ": 1},
        [(6, "sticks", 200, 6000), (4, "packs", 10, 300)],
        [(7, "sticks", 50000, 10000000), (3, "packs", 2500, 100000)],
        {"sticks": 0.3, "packs": 6},
        [
            "{n} cartons of cigarettes without health warnings",
            "{n} cartons of duty-free cigarettes over the allowance",
            "{n} cartons of cigarettes of an unknown brand",
            "{n} cartons of counterfeit branded cigarettes",
            "loose packs of cigarettes in {n} boxes",
        ],
        ["cigarettes", "tobacco products", "contraband cigarettes"],
        companions=["spirits", "waterpipe_tobacco", "cigarettes"],
        season="festive",
    ),
    _scenario(
        "raw_tobacco",
        1.2,
        "tobacco",
        {"sea_cargo": 3, "air_passenger": 1},
        {"ID": 3, "IN": 1, "CN": 1},
        [(1, "kg", 1, 30)],
        [(1, "kg", 200, 20000)],
        {"kg": 20},
        ["{n} bales of cut tobacco leaf", "loose tobacco in {n} sacks"],
        ["raw tobacco", "tobacco leaf"],
    ),
    _scenario(
        "waterpipe_tobacco",
        0.8,
        "tobacco",
        {"air_passenger": 2, "sea_cargo": 1, "postal": 1},
        {"AE": 3, "CN": 1},
        [(1, "kg", 0.5, 20)],
        [(1, "kg", 100, 5000)],
        {"kg": 30},
        ["{n} tins of shisha tobacco", "{n} boxes of flavoured hookah tobacco"],
        ["shisha tobacco", "water-pipe tobacco"],
    ),
    _scenario(
        "e_cigarettes",
        2,
        "tobacco",
        {"postal": 4, "express": 2, "air_passenger": 3, "sea_cargo": 1},
        {"CN": 6, "US": 1, "NZ": 1},
        [(6, "pieces", 5, 300), (2, "units", 1, 50), (2, "l", 0.1, 5)],
        [(8, "pieces", 1000, 100000), (2, "l", 20, 1000)],
        {"pieces": 8, "units": 20, "l": 60},
        ["{n} disposable vapes", "{n} boxes of nicotine e-liquid", "{n} vaping devices with pods"],
        ["vapes", "e-cigarettes", "nicotine liquid"],
        trend=0.3,
    ),
    _scenario(
        "cigars",
        0.3,
        "tobacco",
        {"air_passenger": 2, "yacht": 1},
        {"CU": 1, "US": 1, "NZ": 1},
        [(1, "pieces", 10, 200)],
        [(1, "pieces", 200, 5000)],
        {"pieces": 10},
        ["{n} boxes of cigars over the allowance"],
        ["cigars"],
    ),
    _scenario(
        "spirits",
        5,
        "alcohol",
        {"air_passenger": 5, "yacht": 1.5, "sea_passenger": 1.5, "sea_cargo": 2},
        {"AU": 2, "NZ": 2, "US": 1, "GB": 1, "CN": 1, "FR": 1},
        [(1, "l", 2, 30)],
        [(1, "l", 200, 20000)],
        {"l": 25},
        [
            "{n} bottles of whisky over the allowance",
            "{n} one-litre bottles of vodka",
            "{n} cases of rum",
            "{n} bottles of gin in duty-free bags",
        ],
        ["spirits", "liquor", "whisky"],
        companions=["cigarettes", "beer", "wine"],
        season="festive",
    ),
    _scenario(
        "beer",
        1.5,
        "alcohol",
        {"sea_cargo": 3, "yacht": 1, "air_passenger": 1},
        {"AU": 2, "NZ": 2, "CN": 1},
        [(1, "l", 10, 100)],
        [(1, "l", 1000, 50000)],
        {"l": 4},
        ["{n} cartons of canned beer", "beer in {n} kegs"],
        ["beer", "cartons of beer"],
        season="festive",
    ),
    _scenario(
        "wine",
        1,
        "alcohol",
        {"air_passenger": 2, "sea_cargo": 2, "yacht": 1},
        {"AU": 3, "NZ": 2, "FR": 1, "CL": 1},
        [(1, "l", 3, 40)],
        [(1, "l", 500, 30000)],
        {"l": 12},
        ["{n} cases of wine", "{n} bottles of wine over the allowance"],
        ["wine", "bottles of wine"],
        season="festive",
    ),
    _scenario(
        "ethanol",
        0.5,
        "alcohol",
        {"sea_cargo": 3},
        {"CN": 2, "ID": 1},
        [(1, "l", 20, 200)],
        [(1, "l", 2000, 50000)],
        {"l": 8},
        ["{n} drums of undenatured ethanol", "ethanol in {n} jerrycans"],
        ["ethanol", "pure alcohol"],
    ),
    _scenario(
        "counterfeit_goods",
        5,
        "ipr",
        {"sea_cargo": 4, "postal": 2, "express": 2, "air_passenger": 2},
        {"CN": 6, "HK": 2, "TH": 1, "ID": 1},
        [(8, "pieces", 1, 100), (2, "units", 1, 20)],
        [(8, "pieces", 500, 100000), (2, "kg", 100, 10000)],
        {"pieces": 15, "units": 30, "kg": 50},
        [
            "{n} fake designer handbags",
            "{n} counterfeit sports shirts",
            "{n} imitation watches",
            "{n} counterfeit phone chargers",
            "{n} pairs of fake branded sneakers",
            "{n} counterfeit rugby jerseys",
        ],
        ["counterfeit goods", "fake branded goods", "imitation products"],
        companions=["counterfeit_goods", "unsafe_products"],
    ),
    _scenario(
        "falsified_medicines",
        1,
        "ipr",
        {"postal": 4, "express": 2, "sea_cargo": 1},
        {"IN": 4, "CN": 3},
        [(1, "pieces", 20, 5000)],
        [(8, "pieces", 10000, 1000000), (2, "kg", 50, 2000)],
        {"pieces": 0.8, "kg": 300},
        ["{n} boxes of fake antimalarial tablets", "{n} blister packs of falsified antibiotics"],
        ["falsified medicines", "fake medicines"],
    ),
    _scenario(
        "unsafe_products",
        1,
        "ipr",
        {"sea_cargo": 4, "postal": 1},
        {"CN": 6},
        [(1, "pieces", 5, 200)],
        [(1, "pieces", 500, 50000)],
        {"pieces": 5},
        [
            "{n} uncertified electrical heaters",
            "{n} toys with lead paint",
            "{n} skin-lightening creams",
        ],
        ["unsafe products", "uncertified goods"],
    ),
    _scenario(
        "cites_fauna",
        3,
        "wildlife",
        {"air_passenger": 5, "postal": 2, "sea_cargo": 1, "yacht": 1},
        {"CN": 2, "ID": 1, "PH": 1},
        [(6, "pieces", 1, 60), (4, "kg", 0.2, 20)],
        [(6, "kg", 20, 2000), (4, "pieces", 50, 5000)],
        {"pieces": 80, "kg": 300},
        ["{n} pieces of {word}", "{word} in {n} bundles", "{n} items carved from {word}"],
        ["wildlife products", "protected wildlife", "CITES specimens"],
        export=0.7,
        destinations={"CN": 4, "AU": 2, "NZ": 2, "US": 1, "HK": 2},
        species=[
            (4, "Tridacna gigas", "II", "giant clam shell"),
            (2, "Tridacna maxima", "II", "clam shell"),
            (2, "Chelonia mydas", "I", "green turtle shell"),
            (2, "Eretmochelys imbricata", "I", "hawksbill tortoiseshell"),
            (2, "Physeter macrocephalus", "I", "sperm whale teeth (tabua)"),
            (2, "Antipatharia spp.", "II", "black coral"),
            (3, "Scleractinia spp.", "II", "hard coral"),
            (1, "Cheilinus undulatus", "II", "humphead wrasse"),
        ],
        companions=["cites_fauna", "cites_flora"],
        via=0.0,
    ),
    _scenario(
        "cites_flora",
        0.6,
        "wildlife",
        {"air_passenger": 3, "postal": 2},
        {"TH": 1, "ID": 1},
        [(1, "pieces", 1, 50)],
        [(1, "pieces", 50, 2000)],
        {"pieces": 20},
        ["{n} {word}", "{word} wrapped in damp newspaper, {n} pieces"],
        ["orchids", "protected plants", "cycad seedlings"],
        export=0.5,
        destinations={"AU": 2, "NZ": 2, "JP": 1},
        species=[
            (3, "Dendrobium spp.", "II", "orchid plants"),
            (1, "Orchidaceae spp.", "II", "orchid cuttings"),
            (1, "Cycas seemannii", "II", "cycad seedlings"),
        ],
        via=0.0,
    ),
    _scenario(
        "illegal_fishing",
        1.2,
        "wildlife",
        {"sea_cargo": 3, "air_cargo": 2, "air_passenger": 2},
        {"FJ": 1},
        [(1, "kg", 1, 50)],
        [(1, "kg", 100, 8000)],
        {"kg": 90},
        ["{n} bags of dried {word}", "{word} in {n} boxes"],
        ["sea cucumber", "beche-de-mer", "shark fin"],
        export=0.9,
        destinations={"HK": 4, "CN": 4, "SG": 1},
        species=[
            (3, "Holothuria fuscogilva", "II", "sea cucumber"),
            (2, "Holothuria whitmaei", "II", "sea cucumber"),
            (2, "Carcharhinus longimanus", "II", "shark fin"),
            (3, "", "", "sea cucumber"),
        ],
        via=0.0,
    ),
    _scenario(
        "timber",
        0.4,
        "wildlife",
        {"sea_cargo": 3},
        {"SB": 2, "PG": 2},
        [(1, "pieces", 1, 20)],
        [(1, "kg", 5000, 200000)],
        {"pieces": 50, "kg": 2},
        ["{n} logs of sandalwood", "{n} bundles of sawn timber without permits"],
        ["sandalwood", "timber"],
        export=0.6,
        destinations={"CN": 3, "IN": 1},
    ),
    _scenario(
        "ozone_depleting",
        0.4,
        "wildlife",
        {"sea_cargo": 3, "air_cargo": 1},
        {"CN": 4, "IN": 1},
        [(1, "units", 1, 10)],
        [(7, "units", 20, 2000), (3, "kg", 100, 20000)],
        {"units": 120, "kg": 10},
        ["{n} cylinders of R-22 refrigerant", "{n} cans of HCFC gas declared as R-134a"],
        ["refrigerant gas", "ozone-depleting substances"],
    ),
    _scenario(
        "undeclared_currency",
        6,
        "cash",
        {"air_passenger": 8, "sea_passenger": 1, "postal": 1, "yacht": 1},
        {"AU": 3, "NZ": 3, "US": 2, "CN": 2, "HK": 1},
        [(1, "currency", 10000, 400000)],
        [(1, "currency", 100000, 3000000)],
        {"currency": 1},
        [
            "{cur} {n} notes in mixed denominations",
            "banknotes ({cur}) in {n} bundles",
            "{cur} cash in {n} envelopes",
            "{cur} notes rolled in {n} rubber bands",
        ],
        ["cash", "undeclared currency", "banknotes"],
        export=0.45,
        destinations={"AU": 3, "NZ": 3, "CN": 2, "US": 1, "HK": 1},
        companions=["undeclared_currency", "gold"],
        via=0.05,
    ),
    _scenario(
        "bearer_instruments",
        0.3,
        "cash",
        {"air_passenger": 4, "postal": 1},
        {"AU": 1, "NZ": 1, "US": 1},
        [(1, "currency", 10000, 200000)],
        [(1, "currency", 50000, 1000000)],
        {"currency": 1},
        ["{n} bank cheques", "{n} money orders payable to bearer"],
        ["bearer cheques", "bearer instruments"],
        export=0.4,
    ),
    _scenario(
        "gold",
        0.4,
        "cash",
        {"air_passenger": 4, "postal": 1},
        {"AE": 2, "HK": 1, "SG": 1, "PG": 1, "SB": 1},
        [(7, "g", 50, 3000), (3, "kg", 1, 5)],
        [(1, "kg", 5, 100)],
        {"g": 60, "kg": 60000},
        ["{n} gold bars", "gold jewellery, {n} pieces", "{n} bags of gold nuggets"],
        ["gold", "gold bars"],
    ),
    _scenario(
        "firearms",
        0.8,
        "weapon",
        {"yacht": 3, "postal": 1, "air_passenger": 1, "sea_cargo": 2},
        {"US": 4, "NZ": 2, "AU": 1, "PH": 1},
        [(1, "pieces", 1, 4)],
        [(1, "pieces", 1, 40)],
        {"pieces": 800},
        ["{n} undeclared pistols", "{n} rifles with scopes", "{n} pump-action shotguns"],
        ["firearms", "guns", "weapons"],
        companions=["ammunition", "firearm_parts"],
    ),
    _scenario(
        "firearm_parts",
        0.5,
        "weapon",
        {"postal": 4, "express": 2},
        {"US": 5, "CN": 2},
        [(1, "pieces", 1, 30)],
        [(1, "pieces", 10, 500)],
        {"pieces": 60},
        ["{n} gun parts declared as machine parts", "{n} pistol frames", "{n} rifle magazines"],
        ["firearm parts", "gun parts"],
    ),
    _scenario(
        "ammunition",
        0.6,
        "weapon",
        {"yacht": 2, "postal": 1, "air_passenger": 2},
        {"US": 3, "NZ": 2, "AU": 2},
        [(8, "pieces", 5, 500), (2, "kg", 0.2, 5)],
        [(9, "pieces", 500, 20000), (1, "kg", 5, 200)],
        {"pieces": 1, "kg": 40},
        ["{n} rounds of .22 ammunition", "{n} shotgun cartridges", "{n} rounds of 9 mm ammunition"],
        ["ammunition", "cartridges"],
    ),
    _scenario(
        "artefacts",
        0.4,
        "heritage",
        {"air_passenger": 3, "postal": 1},
        {"PG": 2, "SB": 1, "VU": 1},
        [(1, "pieces", 1, 12)],
        [(1, "pieces", 10, 200)],
        {"pieces": 400},
        ["{n} carved masks", "{n} old war clubs", "{n} ceremonial objects without export permit"],
        ["artefacts", "cultural objects", "carvings"],
        export=0.6,
    ),
    _scenario(
        "undervalued_goods",
        5,
        "revenue",
        {"sea_cargo": 7, "air_cargo": 2, "express": 1},
        {"CN": 5, "NZ": 2, "AU": 2, "IN": 1, "SG": 1, "TH": 1},
        [(5, "units", 1, 50), (5, "pieces", 5, 200)],
        [(4, "units", 50, 5000), (4, "pieces", 500, 50000), (2, "kg", 500, 50000)],
        {"units": 200, "pieces": 30, "kg": 6},
        [
            "{n} mobile phones declared at a fraction of their value",
            "{n} car tyres with an undervalued invoice",
            "{n} flat-screen televisions declared as used",
            "{n} solar batteries misdeclared under another tariff heading",
            "{n} cartons of clothing with a second invoice",
            "{n} used vehicles with altered invoices",
        ],
        ["undervalued goods", "misdeclared goods", "goods"],
        companions=["undervalued_goods", "counterfeit_goods"],
        season="festive",
    ),
    _scenario(
        "revenue_other",
        1,
        "revenue",
        {"sea_cargo": 4, "air_passenger": 2, "express": 1},
        {"CN": 3, "AU": 2, "NZ": 2},
        [(1, "pieces", 1, 50)],
        [(1, "units", 10, 2000)],
        {"pieces": 50, "units": 100},
        ["{n} items claimed under a duty concession not held", "{n} items with a false origin"],
        ["goods", "commercial goods"],
    ),
    _scenario(
        "other_goods",
        0.5,
        "other",
        {"postal": 2, "sea_cargo": 2, "air_passenger": 2},
        {"CN": 2, "AU": 1, "NZ": 1, "US": 1},
        [(1, "pieces", 1, 20)],
        [(1, "pieces", 20, 2000)],
        {"pieces": 20},
        ["{n} undeclared items", "{n} drones without a permit", "{n} pepper sprays"],
        ["goods", "restricted items"],
    ),
]

STAGING = {
    "PE": {"MX": 2, "US": 1, "EC": 1, "CL": 1},
    "CO": {"MX": 2, "PA": 2, "US": 1},
    "EC": {"PA": 1, "PF": 1},
    "BO": {"PE": 1, "CL": 1},
    "MM": {"TH": 2, "MY": 1, "SG": 1},
    "CN": {"HK": 2, "SG": 1, "KR": 1},
    "TH": {"SG": 1, "MY": 1, "HK": 1},
    "IN": {"SG": 1, "MY": 1},
    "MX": {"US": 3},
    "NL": {"DE": 1, "GB": 1},
    "AF": {"IN": 1, "AE": 1},
}
AIR_HUBS = {"AU": 4, "NZ": 4, "HK": 2, "SG": 2, "US": 2, "KR": 1, "JP": 1}
SEA_HUBS = {"SG": 3, "MY": 2, "NZ": 3, "AU": 3, "NC": 1, "HK": 1, "KR": 1}
ISLAND_HOPS = {"PF": 3, "CK": 2, "TO": 2, "WS": 2, "NC": 1, "VU": 1}
CHANNEL_HUBS = {
    "air_passenger": AIR_HUBS,
    "air_cargo": AIR_HUBS,
    "express": AIR_HUBS,
    "postal": AIR_HUBS,
    "sea_cargo": SEA_HUBS,
    "sea_passenger": ISLAND_HOPS,
    "yacht": ISLAND_HOPS,
    "road": {},
}
ONWARD = {"AU": 5, "NZ": 4, "US": 2}
# Where yachts clear out from before crossing to the islands.
YACHT_DEPARTURES = {
    "PF": 5,
    "NZ": 4,
    "AU": 3,
    "NC": 2,
    "TO": 2,
    "WS": 1,
    "VU": 1,
    "PA": 1,
    "EC": 1,
    "US": 1,
}

OFFENCE_TYPES = {
    "drug": {"prohibited": 60, "smuggling": 35, "false_declaration": 5},
    "precursor": {"prohibited": 60, "smuggling": 30, "false_declaration": 10},
    "tobacco": {"smuggling": 40, "false_declaration": 30, "undervaluation": 30},
    "alcohol": {"smuggling": 40, "false_declaration": 40, "undervaluation": 20},
    "ipr": {"ipr_infringement": 80, "false_declaration": 20},
    "wildlife": {"prohibited": 70, "smuggling": 30},
    "weapon": {"prohibited": 70, "smuggling": 30},
    "cash": {"false_declaration": 60, "money_laundering": 40},
    "heritage": {"prohibited": 60, "smuggling": 40},
    "revenue": {"undervaluation": 60, "false_declaration": 40},
    "other": {"other": 50, "false_declaration": 50},
    "allowance": {"false_declaration": 60, "smuggling": 40},
}
# Illustrative provisions; an administration's own are configured by its users.
LAWS = {
    "FJ": {
        "customs": "Customs Act 1986",
        "drug": "Illicit Drugs Control Act 2004",
        "wildlife": "Endangered and Protected Species Act 2002",
        "cash": "Financial Transactions Reporting Act 2004",
    },
    "WS": {"customs": "Customs Act 2014", "drug": "Narcotics Act 1967"},
    "TO": {
        "customs": "Customs and Excise Management Act 2007",
        "drug": "Illicit Drugs Control Act",
    },
    "VU": {"customs": "Customs Act No. 7 of 2013", "drug": "Dangerous Drugs Act"},
}
LAW_KIND = {"drug": "drug", "precursor": "drug", "wildlife": "wildlife", "cash": "cash"}


class Weighted:
    """Draws keys in proportion to their weights, from one uniform number."""

    __slots__ = ("cumulative", "keys", "total")

    def __init__(self, weights: dict):
        items = [(key, weight) for key, weight in weights.items() if weight > 0]
        if not items:
            raise ValueError("nothing to choose from")
        self.keys = [key for key, _weight in items]
        self.cumulative = list(_accumulate(weight for _key, weight in items))
        self.total = self.cumulative[-1]

    def pick(self, rng: Random):
        return self.keys[bisect_right(self.cumulative, rng.random() * self.total)]


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def imo_number(rng: Random) -> str:
    """A seven-digit IMO number whose last digit is its check digit."""
    digits = [rng.randint(1, 9), *(rng.randint(0, 9) for _ in range(5))]
    check = sum(d * w for d, w in zip(digits, (7, 6, 5, 4, 3, 2), strict=True)) % 10
    return "".join(map(str, digits)) + str(check)


ISO6346_VALUES = {}
_value = 10
for _letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    if _value % 11 == 0:
        _value += 1
    ISO6346_VALUES[_letter] = _value
    _value += 1
ISO6346_VALUES.update({str(digit): digit for digit in range(10)})


def container_number(owner: str, serial: int) -> str:
    """An ISO 6346 container number: owner code and category (4 letters), serial, check."""
    body = f"{owner}{serial:06d}"
    total = sum(ISO6346_VALUES[char] * 2**position for position, char in enumerate(body))
    return body + str(total % 11 % 10)


def _copy_text(value: str) -> str:
    return value.translate(COPY_ESCAPES)


def _array(values) -> str:
    return "{" + ",".join(str(value) for value in values) + "}"


def _package_count(rng: Random, unit: str, quantity: str, large: bool) -> int:
    """How many bottles, cartons or packages the description speaks of."""
    if unit in ("pieces", "units"):
        return int(quantity)
    if unit == "sticks":
        return max(1, int(quantity) // 200)
    if unit == "packs":
        return max(1, int(quantity) // 10)
    if unit == "l":
        return max(1, round(float(quantity) / 0.75))
    return rng.randint(2, 200) if large else rng.randint(1, 12)


def _round_quantity(unit: str, value: float) -> str:
    if unit in ("pieces", "sticks", "packs", "units"):
        return str(max(1, round(value)))
    if unit == "currency":
        return str(max(50, round(value / 50) * 50))
    if unit == "l":
        return f"{max(0.01, value):.2f}"
    return f"{max(0.001, value):.3f}"


# --- The generator ----------------------------------------------------------------------------


class Generator:
    """Draws seizures for one administration. Holds no database connection."""

    def __init__(self, *, administration, offices, officers, codes, allowed_units, rng, now):
        self.rng = rng
        self.administration = administration
        self.country = administration.country.code
        self.currency = LOCAL_CURRENCY.get(self.country, "USD")
        self.rate = PER_USD.get(self.currency, 1.0)
        self.tz = ZoneInfo(administration.time_zone)
        self.officers = officers
        self.codes = codes
        self.now = now
        self.today = now.astimezone(self.tz).date()
        self.laws = LAWS.get(self.country, {"customs": "Customs Act"})
        self._plan_channels(offices)
        self._plan_scenarios(allowed_units)
        self._plan_fleets()
        self._plan_calendar()
        self._day_offsets = {}

    # Set-up

    def _plan_channels(self, offices):
        by_kind = {}
        for office in offices:
            by_kind.setdefault(office.kind, []).append(office)
        self.channel_offices = {}
        for channel, kinds in CHANNEL_OFFICES.items():
            for kind in kinds:
                if by_kind.get(kind):
                    self.channel_offices[channel] = Weighted(
                        {office: 0.5 + self.rng.random() for office in by_kind[kind]}
                    )
                    break
        if not self.channel_offices:
            raise CommandError(
                f"{self.administration.code} has no airport, seaport or mail centre office."
            )
        self.detection = {}
        self.concealment = {}
        for channel in self.channel_offices:
            for family in OFFENCE_TYPES:
                det = DETECTION_BIAS.get(family, {})
                con = CONCEALMENT_BIAS.get(family, {})
                self.detection[channel, family] = Weighted(
                    {
                        self.codes["detection_method", k]: w * det.get(k, 1.0)
                        for k, w in DETECTION[channel].items()
                    }
                )
                self.concealment[channel, family] = Weighted(
                    {
                        k: w * con.get(k, 1.0 if k != "internal" else 0.0)
                        for k, w in CONCEALMENT[channel].items()
                    }
                )
        self.hours = {
            channel: Weighted(dict(enumerate(CHANNEL_HOURS[channel]))) for channel in CHANNEL_HOURS
        }

    def _plan_scenarios(self, allowed_units):
        self.scenarios = {}
        for spec in SCENARIOS:
            key = ("commodity", spec["code"])
            if key not in self.codes:
                continue  # retired or removed by the administrators
            commodity = self.codes[key]
            allowed = allowed_units[commodity]
            scenario = dict(spec)
            scenario["commodity"] = commodity
            scenario["parent"] = self.codes.parent[commodity]
            for scale in ("small", "large"):
                options = {
                    (unit, lo, hi): weight
                    for weight, unit, lo, hi in spec[scale]
                    if ("unit", unit) in self.codes
                    and (not allowed or self.codes["unit", unit] in allowed)
                }
                if not options and allowed:
                    unit = self.codes.unit_code[min(allowed)]
                    options = {(unit, 1, 100): 1}
                scenario[scale] = Weighted(options)
            channels = {c: w for c, w in spec["channels"].items() if c in self.channel_offices}
            if not channels:
                continue
            total = sum(channels.values())
            scenario["channel_weights"] = {c: w / total for c, w in channels.items()}
            scenario["origin"] = Weighted(
                {c: w for c, w in spec["origins"].items() if c != self.country} or {"AU": 1}
            )
            scenario["destination"] = Weighted(
                {c: w for c, w in spec["destinations"].items() if c != self.country}
            )
            scenario["species_pick"] = (
                Weighted({(s, a, word): w for w, s, a, word in spec["species"]})
                if spec["species"]
                else None
            )
            self.scenarios[spec["code"]] = scenario
        for scenario in self.scenarios.values():
            scenario["companion_list"] = [
                self.scenarios[code] for code in scenario["companions"] if code in self.scenarios
            ]
        self.hubs = {}
        for channel, hubs in CHANNEL_HUBS.items():
            hubs = {c: w for c, w in hubs.items() if c != self.country}
            self.hubs[channel] = Weighted(hubs) if hubs else None
        self.staging = {
            origin: Weighted({c: w for c, w in staging.items() if c != self.country} or {origin: 1})
            for origin, staging in STAGING.items()
        }
        self.yacht_departures = Weighted(
            {c: w for c, w in YACHT_DEPARTURES.items() if c != self.country}
        )
        self.onward = Weighted({c: w for c, w in ONWARD.items() if c != self.country})
        self.offence_types = {
            family: Weighted({self.codes["offence_type", k]: w for k, w in weights.items()})
            for family, weights in OFFENCE_TYPES.items()
        }

    def _plan_fleets(self):
        rng = self.rng
        self.cargo_fleet = [
            (f"{rng.choice(SHIP_FIRST)} {rng.choice(SHIP_SECOND)}", imo_number(rng))
            for _ in range(250)
        ]
        self.cruise_fleet = [(name, imo_number(rng)) for name in CRUISE_NAMES]
        self.yachts = [f"{rng.choice(YACHT_NAMES)}{rng.choice(YACHT_SUFFIX)}" for _ in range(900)]
        self.plate_letters = [
            a + b for a in "ABCDEFGHJKLMNPRSTUVWXYZ" for b in "ABCDEFGHJKLMNPRSTUVWXYZ"
        ]

    def _plan_calendar(self):
        """Weights of every day of the last five years and, per month, of each scenario and
        channel: seasons, growth, the border closures of 2020-2022 and quieter weekends."""
        first = self.today.replace(year=self.today.year - YEARS) + timedelta(days=1)
        self.days = [first + timedelta(days=n) for n in range((self.today - first).days)]
        self.month_pairs = {}
        month_totals = {}
        for day in self.days:
            month = (day.year, day.month)
            if month in month_totals:
                continue
            years_ago = (self.today - day).days / 365.25
            weights = {}
            for scenario in self.scenarios.values():
                scenario_season = SEASONS[scenario["season"]][day.month - 1]
                growth = (1 + scenario["trend"]) ** -years_ago
                for channel, share in scenario["channel_weights"].items():
                    season = SEASONS[CHANNEL_SEASON.get(channel, "flat")][day.month - 1]
                    weight = scenario["weight"] * share * scenario_season * season * growth
                    weight *= _reopening(channel, day)
                    weights[scenario["code"], channel] = weight
            self.month_pairs[month] = Weighted(weights)
            month_totals[month] = sum(weights.values()) * 1.06**-years_ago
        weekday = [1.0, 1.05, 1.05, 1.0, 1.05, 0.8, 0.6]
        self.day_weights = [
            month_totals[day.year, day.month] * weekday[day.weekday()] for day in self.days
        ]

    # Drawing

    def draw_days(self, count: int) -> list[date]:
        return sorted(self.rng.choices(self.days, weights=self.day_weights, k=count))

    def _utc(self, day: date, seconds: int) -> datetime:
        offset = self._day_offsets.get(day)
        if offset is None:
            offset = self._day_offsets[day] = self.tz.utcoffset(
                datetime(day.year, day.month, day.day, 12)
            )
        return (
            datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds) - offset
        )

    def seizure(self, day: date) -> dict:
        """One seizure with its items and, sometimes, an offence (without id or reference)."""
        rng = self.rng
        code, channel = self.month_pairs[day.year, day.month].pick(rng)
        scenario = self.scenarios[code]
        family = scenario["family"]
        office = self.channel_offices[channel].pick(rng)
        seconds = self.hours[channel].pick(rng) * 3600 + rng.randrange(3600)
        occurred = self._utc(day, seconds)
        delay = timedelta(minutes=20 + rng.expovariate(1 / 600))
        created = min(occurred + delay, self.now)
        if occurred > self.now:
            occurred = created = self.now - timedelta(minutes=1)

        route, procedure = self._route(scenario, channel)
        origin, departure, transit, destination = route
        last_leg = _last_leg(route, self.country)
        if procedure == "export" and channel in ("air_passenger", "air_cargo"):
            last_leg = self.country
        conveyance = self._conveyance(channel, last_leg)

        location = OFFICE_LOCATION.get(office.kind, "inland")
        if channel == "yacht" and rng.random() < 0.08:
            location = "at_sea"
        detection_code = self.detection[channel, family].pick(rng)
        concealment = self.concealment[channel, family].pick(rng)
        large = channel in LARGE_CHANNELS or (channel == "yacht" and family in LARGE_ON_YACHTS)

        items = [self._item(scenario, large, position=0)]
        extra = rng.random()
        companions = scenario["companion_list"]
        if companions and extra < 0.3:
            items.append(self._item(rng.choice(companions), large, position=1))
            if extra < 0.08:
                items.append(self._item(rng.choice(companions), large, position=2))
        commodity_ids = set()
        for item in items:
            commodity_ids.add(item["commodity"])
            if item["parent"] is not None:
                commodity_ids.add(item["parent"])
        narrative = self._narrative(
            scenario, channel, detection_code, concealment, items[0], route, conveyance, procedure
        )
        officer = rng.choice(self.officers)
        offence = self._offence(family, day) if rng.random() < OFFENCE_SHARE else None
        return {
            "occurred": occurred,
            "created": created,
            "year": created.astimezone(self.tz).year,
            "office": office.pk,
            "location": self.codes["location_type", location],
            "procedure": self.codes["customs_procedure", procedure],
            "detection": detection_code,
            "transport": self.codes["transport_mode", CHANNEL_TRANSPORT[channel]],
            "concealment": self.codes["concealment_method", concealment],
            "conveyance": conveyance,
            "route": route,
            "route_countries": sorted({c for c in (origin, departure, *transit, destination) if c}),
            "commodity_ids": sorted(commodity_ids),
            "narrative": narrative,
            "officer": officer,
            "items": items,
            "offence": offence,
        }

    def _route(self, scenario, channel):
        rng = self.rng
        here = self.country
        hubs = self.hubs[channel]
        if scenario["export"] and rng.random() < scenario["export"]:
            destination = scenario["destination"].pick(rng)
            transit = []
            if hubs and rng.random() < 0.25:
                hub = hubs.pick(rng)
                if hub != destination:
                    transit.append(hub)
            return (here, here, transit, destination), "export"
        origin = scenario["origin"].pick(rng)
        departure = origin
        if channel == "yacht" and origin not in self.yacht_departures.keys:
            departure = self.yacht_departures.pick(rng)
        elif origin in self.staging and rng.random() < 0.5:
            departure = self.staging[origin].pick(rng)
        transit = []
        hops = rng.random()
        if hubs and hops < 0.45:
            for _ in range(1 if hops > 0.1 else 2):
                hub = hubs.pick(rng)
                if hub not in (origin, departure) and hub not in transit:
                    transit.append(hub)
        procedure = "import"
        destination = here
        if rng.random() < scenario["via"]:
            # Only passing through: the goods were bound for a bigger market.
            onward = self.onward.pick(rng)
            if onward not in (origin, departure):
                destination = onward
                transit = [*[c for c in transit if c != destination][:1], here]
                procedure = "transhipment" if channel in ("sea_cargo", "yacht") else "transit"
        return (origin, departure, transit, destination), procedure

    def _conveyance(self, channel, last_leg):
        """(flight, vessel name, IMO, container, vehicle registration)."""
        rng = self.rng
        if channel in ("air_passenger", "air_cargo") or (
            channel == "express" and rng.random() < 0.5
        ):
            airline, low, high = rng.choice(CARRIERS.get(last_leg, HUB_CARRIERS))
            return (f"{airline}{rng.randint(low, high)}", "", "", "", "")
        if channel == "sea_cargo":
            name, imo = rng.choice(self.cargo_fleet)
            container = ""
            if rng.random() < 0.9:
                owner = rng.choice(CONTAINER_OWNERS)
                container = container_number(owner, rng.randrange(1_000_000))
            vehicle = self._plate() if rng.random() < 0.12 else ""
            return ("", name, imo, container, vehicle)
        if channel == "sea_passenger":
            name, imo = rng.choice(self.cruise_fleet)
            return ("", name, imo, "", "")
        if channel == "yacht":
            name = rng.choice(self.yachts)
            return ("", name, imo_number(rng) if rng.random() < 0.05 else "", "", "")
        if channel == "road":
            return ("", "", "", "", self._plate())
        return ("", "", "", "", "")

    def _plate(self) -> str:
        return f"{self.rng.choice(self.plate_letters)} {self.rng.randint(10, 9999)}"

    def _item(self, scenario, large: bool, position: int) -> dict:
        rng = self.rng
        unit, low, high = scenario["large" if large else "small"].pick(rng)
        amount = low * (high / low) ** rng.random()
        quantity = _round_quantity(unit, amount)
        count = _package_count(rng, unit, quantity, large)
        species = appendix = ""
        word = ""
        if scenario["species_pick"] is not None:
            species, appendix, word = scenario["species_pick"].pick(rng)
        currency = self.currency
        if unit == "currency":
            currency = rng.choice(("AUD", "NZD", "USD", "USD", "CNY", self.currency))
            value = quantity
        elif rng.random() < 0.85:
            price = scenario["price"].get(unit, 10)
            value = f"{float(quantity) * price * self.rate * (0.6 + 0.8 * rng.random()):.2f}"
        else:
            value, currency = NULL, ""
        description = rng.choice(scenario["descriptions"]).format(
            n=count, word=word or rng.choice(scenario["words"]), cur=currency
        )
        return {
            "commodity": scenario["commodity"],
            "parent": scenario["parent"],
            "family": scenario["family"],
            "position": position,
            "description": description,
            "quantity": quantity,
            "unit": self.codes["unit", unit],
            "unit_code": unit,
            "value": value,
            "currency": currency,
            "species": species,
            "appendix": appendix if species else "",
            "word": word,
        }

    def _narrative(
        self, scenario, channel, detection, concealment, item, route, conveyance, procedure
    ):
        rng = self.rng
        origin, departure, _transit, destination = route
        there = CITIES.get(destination, ["abroad"])[0]
        flight, vessel, _imo, container, _plate = conveyance
        last_leg = _last_leg(route, self.country)
        place = rng.choice(CITIES.get(last_leg, ["overseas"]))
        goods = item["word"] or rng.choice(scenario["words"])
        exporting = procedure == "export"
        if channel in ("air_passenger", "sea_passenger"):
            nationality = NATIONALITY.get(rng.choice((origin, departure, self.country)), "foreign")
            who = rng.choice(
                (
                    f"A {nationality} passenger",
                    f"A male passenger aged {rng.randint(19, 68)}",
                    f"A female traveller aged {rng.randint(19, 68)}",
                    "A returning resident",
                    "One of two travelling companions",
                    f"A {nationality} national travelling alone",
                )
            )
            carrier = flight or vessel
            if exporting:
                intro = f"{who} was departing on {carrier} to {there}."
            else:
                intro = f"{who} arrived on {carrier} from {place}."
        elif channel in ("postal", "express"):
            intro = rng.choice(
                (
                    f"A parcel from {place} was screened at the exchange.",
                    f"An inbound {rng.choice(('parcel', 'package', 'letter', 'courier bag'))} "
                    f"sent from {place} was selected.",
                    f"An express consignment from {place} addressed to a local residence was held.",
                )
            )
            if exporting:
                intro = f"An outbound parcel addressed to {there} was screened."
        elif channel == "yacht" and exporting:
            intro = f"The yacht {vessel} was inspected before departing for {there}."
        elif channel == "yacht":
            intro = rng.choice(
                (
                    f"The yacht {vessel} arrived from {place} with {rng.randint(1, 5)} crew.",
                    f"The sailing vessel {vessel} was boarded after arriving from {place}.",
                    f"A small craft, {vessel}, anchored without clearance, last port {place}.",
                )
            )
        elif channel == "sea_cargo":
            box = f"container {container}" if container else "a break-bulk consignment"
            intro = f"The vessel {vessel} discharged {box} loaded in {place}."
            if exporting:
                intro = f"{box.capitalize()} was being loaded on {vessel} for {there}."
        elif channel == "air_cargo":
            intro = f"An air freight consignment on {flight} from {place} was examined."
            if exporting:
                intro = f"An export air freight consignment for {there} was examined."
        else:
            intro = f"A vehicle was stopped on arrival from {place}."
        detection_sentence = self._detection_sentence(detection, channel, origin)
        phrase = rng.choice(CONCEALMENT_PHRASES[concealment]).format(
            goods=rng.choice(CARGO_GOODS),
            part=rng.choice(VESSEL_PARTS),
            declared=rng.choice(DECLARED),
        )
        amount = f"{item['quantity']} {UNIT_WORDS[item['unit_code']]}"
        if item["unit_code"] == "currency":
            amount = f"{item['currency']} {item['quantity']}"
        found = rng.choice(
            (
                f"Officers found {amount} of {goods} {phrase}.",
                f"The examination revealed {goods} ({amount}) {phrase}.",
                f"{amount[0].upper()}{amount[1:]} of {goods} were discovered {phrase}.",
                f"A search located {goods} {phrase}, totalling {amount}.",
            )
        )
        parts = [intro, detection_sentence, found]
        if rng.random() < 0.25:
            parts.append(rng.choice(EXTRA_SENTENCES))
        who = "person" if channel in PERSON_CHANNELS else "cargo"
        parts.append(rng.choice(OUTCOMES[scenario["family"], who]))
        return _copy_text(" ".join(parts))

    def _detection_sentence(self, detection, channel, origin):
        rng = self.rng
        code = self.codes.code_of[detection]
        subject = SUBJECTS[channel]
        country = CITIES.get(origin, ["overseas"])[0]
        if code == "risk_profiling":
            reasons = (
                PROFILE_REASONS
                if channel in ("air_passenger", "sea_passenger")
                else CARGO_PROFILE_REASONS
            )
            reason = rng.choice(reasons).format(country=country)
            return f"{subject} was selected by the risk profile for {reason}."
        if code == "detector_dog":
            return f"Detector dog {rng.choice(DOGS)} gave a positive indication."
        if code == "xray_scanner":
            return rng.choice(
                (
                    "The X-ray image showed an anomaly.",
                    "Scanner images showed dense organic material.",
                    "The scan revealed irregular shapes in the lining.",
                )
            )
        if code == "intelligence":
            return rng.choice(
                (
                    "Officers acted on intelligence from a partner agency.",
                    "A tip-off from the public prompted the examination.",
                    "Intelligence shared through the regional network identified the target.",
                )
            )
        if code == "random_check":
            return f"{subject} was chosen in a random check."
        if code == "routine_control":
            return f"{subject} was examined during a routine control."
        return rng.choice(
            (
                f"{subject} was examined after an officer noticed something unusual.",
                f"{subject} was examined at the request of another agency.",
            )
        )

    def _offence(self, family, day):
        rng = self.rng
        offence_type = self.offence_types[family].pick(rng)
        age = (self.today - day).days
        if age < 60:
            status = rng.choice(("under_investigation", "under_investigation", "referred"))
        elif age < 365:
            status = rng.choice(
                (
                    "under_investigation",
                    "referred",
                    "referred",
                    "penalty_imposed",
                    "convicted",
                    "closed",
                )
            )
        else:
            status = rng.choice(
                (
                    "referred",
                    "penalty_imposed",
                    "penalty_imposed",
                    "convicted",
                    "convicted",
                    "closed",
                )
            )
        penalty = NULL
        currency = ""
        decided = NULL
        if status in ("penalty_imposed", "convicted", "closed"):
            decided_day = min(day + timedelta(days=rng.randint(14, 400)), self.today)
            decided = decided_day.isoformat()
            if status != "closed":
                penalty = str(rng.randint(2, 400) * 250)
                currency = self.currency
        act = self.laws.get(LAW_KIND.get(family, "customs"), self.laws["customs"])
        provision = f"{act}, s. {rng.randint(2, 180)}"
        return (
            provision,
            offence_type,
            self.codes["offence_status", status],
            penalty,
            currency,
            day.isoformat(),
            decided,
        )


UNIT_WORDS = {
    "kg": "kg",
    "g": "g",
    "l": "litres",
    "pieces": "pieces",
    "sticks": "sticks",
    "packs": "packs",
    "units": "units",
    "currency": "",
}


def _last_leg(route, here: str) -> str:
    """The country the conveyance arrived from."""
    _origin, departure, transit, _destination = route
    before = [country for country in transit if country != here]
    return before[-1] if before else departure


def _reopening(channel: str, day: date) -> float:
    """Borders closed in 2020 and reopened from December 2021; cruise ships came back later."""
    if channel == "air_passenger":
        start, end, floor = date(2021, 11, 1), date(2022, 9, 1), 0.3
    elif channel == "sea_passenger":
        start, end, floor = date(2022, 8, 1), date(2023, 3, 1), 0.0
    else:
        return 1.0
    if day >= end:
        return 1.0
    if day < start:
        return max(floor, 0.05)
    return floor + (1 - floor) * (day - start).days / (end - start).days


class Codes(dict):
    """(list, code) -> id of the shipped, current entries; plus the reverse mappings."""

    def __init__(self):
        super().__init__()
        self.parent = {}
        self.code_of = {}
        self.unit_code = {}
        for pk, code_list, code, parent in Code.objects.filter(
            administration__isnull=True, is_retired=False
        ).values_list("pk", "list", "code", "parent_id"):
            self[code_list, code] = pk
            self.parent[pk] = parent
            self.code_of[pk] = code
            if code_list == CodeList.UNIT:
                self.unit_code[pk] = code


def _allowed_units(codes: Codes) -> dict[int, set[int]]:
    """Per commodity id, the unit ids allowed (Code.allowed_unit_ids, for all at once)."""
    own = {}
    for commodity_id, unit_id in Code.units.through.objects.values_list(
        "from_code_id", "to_code_id"
    ):
        own.setdefault(commodity_id, set()).add(unit_id)
    allowed = {}
    for (code_list, _code), pk in codes.items():
        if code_list != CodeList.COMMODITY:
            continue
        units = own.get(pk, set())
        if not units and codes.parent.get(pk):
            units = own.get(codes.parent[pk], set())
        allowed[pk] = units
    return allowed


# --- The command ------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Generate realistic draft seizures for a national administration, in bulk with COPY "
        "(development and demo instances only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seizures", type=int, default=0, help="How many to create.")
        parser.add_argument(
            "--persons", type=int, default=0, help="Suspected persons to create (see persons)."
        )
        parser.add_argument("--businesses", type=int, default=0, help="Businesses to create.")
        parser.add_argument("--administration", default="FJ", help="Its code (default FJ).")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, to repeat a run.")
        parser.add_argument("--batch", type=int, default=50000, help="Seizures per COPY batch.")
        parser.add_argument(
            "--force", action="store_true", help="Run even where DEBUG and demo mode are off."
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.NCEN_DEMO_MODE or options["force"]):
            raise CommandError(
                "generate_data runs only on a demo or development instance (DEBUG or "
                "NCEN_DEMO_MODE); add --force if you really mean this database."
            )
        total = options["seizures"]
        batch_size = options["batch"]
        if (
            total < 0
            or batch_size < 1
            or not (total or options["persons"] or options["businesses"])
        ):
            raise CommandError(
                "Give --seizures, --persons or --businesses (at least 1), and --batch of 1 or more."
            )
        code = options["administration"].upper()
        try:
            administration = Administration.objects.get(code=code)
        except Administration.DoesNotExist:
            raise CommandError(
                f"There is no administration {code}. Create the demo administrations first: "
                "NCEN_DEMO_MODE=true python manage.py seed_demo"
            ) from None
        if administration.is_hub:
            raise CommandError(f"{code} is the regional hub; choose a national administration.")
        offices = list(Office.objects.filter(administration=administration, is_active=True))
        officers = list(
            User.objects.filter(
                administration=administration, role=Role.OFFICER, is_active=True
            ).values_list("pk", flat=True)
        )
        if not officers:
            raise CommandError(
                f"{code} has no active intelligence officer to record the seizures. "
                "Run: NCEN_DEMO_MODE=true python manage.py seed_demo"
            )
        seed = options["seed"] if options["seed"] is not None else secrets.randbelow(10**9)
        if options["persons"] or options["businesses"]:
            self._nominal(administration, officers[0], options, seed)
        if not total:
            return
        codes = Codes()
        generator = Generator(
            administration=administration,
            offices=offices,
            officers=officers,
            codes=codes,
            allowed_units=_allowed_units(codes),
            rng=Random(seed),  # noqa: S311 - made-up data, repeatable by seed
            now=timezone.now(),
        )
        self.stdout.write(
            f"Generating {total:,} seizures for {code} (seed {seed}, batches of {batch_size:,})."
        )
        started = time.monotonic()
        days = generator.draw_days(total)
        loader = Loader(administration)
        counts = {"seizures": 0, "items": 0, "offences": 0}
        try:
            loader.prepare()
            start = 0
            while start < total:
                end = min(start + batch_size, total)
                # End a batch on a day boundary, so that numbers follow the dates.
                while end < total and days[end] == days[end - 1] and end - start < batch_size * 2:
                    end += 1
                batch_started = time.monotonic()
                # Millions of short-lived dicts: the cyclic collector would only slow this down.
                gc.disable()
                try:
                    seizures = [generator.seizure(day) for day in days[start:end]]
                finally:
                    gc.enable()
                seizures.sort(key=lambda s: s["created"])
                drawn = time.monotonic()
                items, offences = loader.load(seizures)
                counts["seizures"] += len(seizures)
                counts["items"] += items
                counts["offences"] += offences
                elapsed = time.monotonic() - started
                self.stdout.write(
                    f"  {counts['seizures']:>10,} / {total:,} seizures, {counts['items']:,} items, "
                    f"{counts['offences']:,} offences; {counts['seizures'] / elapsed:,.0f} "
                    f"seizures/s (batch: draw {drawn - batch_started:.1f}s, "
                    f"load {time.monotonic() - drawn:.1f}s)"
                )
                if options["verbosity"] > 1:
                    self.stdout.write(
                        "    " + ", ".join(f"{k} {v:.1f}s" for k, v in loader.timings.items())
                    )
                self.stdout.flush()
                start = end
        finally:
            loader.finish()
        loaded = time.monotonic() - started
        self.stdout.write("Folding the dashboard's new counts into its rollup ...")
        compact()
        self.stdout.write("Updating planner statistics and the visibility map (VACUUM ANALYZE) ...")
        loader.analyze()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {counts['seizures']:,} seizures, {counts['items']:,} items and "
                f"{counts['offences']:,} offences in {elapsed:.0f}s "
                f"({counts['seizures'] / loaded:,.0f} seizures/s and "
                f"{(counts['seizures'] + counts['items'] + counts['offences']) / loaded:,.0f} "
                f"rows/s while loading)."
            )
        )

    def _nominal(self, administration, officer: int, options, seed: int) -> None:
        from persons import generate

        rng = Random(seed)  # noqa: S311 - made-up data, repeatable by seed
        started = time.monotonic()
        if options["persons"]:
            self.stdout.write(f"Generating {options['persons']:,} persons (seed {seed}).")
            generate.generate_persons(
                administration=administration,
                created_by=officer,
                count=options["persons"],
                rng=rng,
                batch=options["batch"],
                say=self.stdout.write,
            )
        if options["businesses"]:
            generate.generate_businesses(
                administration=administration,
                created_by=officer,
                count=options["businesses"],
                rng=rng,
            )
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            # The distinct names too: without statistics the planner walks every name of the
            # administration for each branch of the match (800 ms instead of a few).
            cursor.execute(
                f"{command} persons_person, persons_personname, persons_identitydocument, "
                "persons_business"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {options['persons']:,} persons and {options['businesses']:,} "
                f"businesses in {time.monotonic() - started:.0f}s."
            )
        )


class Loader:
    """Writes batches of drawn seizures through temporary tables on Django's connection."""

    def __init__(self, administration):
        self.administration = administration

    def prepare(self):
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            for name, table, columns in (
                ("generate_data_seizure", "seizures_seizure", SEIZURE_COLUMNS),
                ("generate_data_item", "seizures_item", ITEM_COLUMNS),
            ):
                cursor.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS {name} AS "  # noqa: S608 - constant names
                    f"SELECT {', '.join(columns)} FROM {table} WITH NO DATA"
                )

    def finish(self):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS generate_data_seizure, generate_data_item")
            cursor.execute("RESET synchronous_commit")

    def analyze(self):
        """Fresh statistics for the planner. Outside a transaction, VACUUM too: it sets the
        visibility map that index-only scans (the paginator's count) need, and does not wait
        for autovacuum, which may be off."""
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            # The dashboard's rollup too: compact() has just filled it, and without
            # statistics its figures over every seizure took 100-660 ms instead of 3-60.
            for table in (
                "seizures_seizure",
                "seizures_item",
                "seizures_offence",
                "analysis_seizurecount",
            ):
                cursor.execute(f"{command} {table}")

    def load(self, seizures: list[dict]) -> tuple[int, int]:
        """Write one batch in one transaction; self.timings says where the time went."""
        administration = self.administration
        clock = [time.monotonic()]
        with transaction.atomic(), connection.cursor() as cursor:
            pg = cursor.connection
            cursor.execute("TRUNCATE generate_data_seizure, generate_data_item")
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('seizures_seizure', 'id')) "
                "FROM generate_series(1, %s)",
                [len(seizures)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            numbers = self._take_numbers(seizures)
            seizure_rows, item_rows, offence_rows = [], [], []
            code = administration.code
            admin_id = str(administration.pk)
            for pk, seizure, number in zip(ids, seizures, numbers, strict=True):
                year = seizure["year"]
                origin, departure, transit, destination = seizure["route"]
                flight, vessel, imo, container, plate = seizure["conveyance"]
                created = seizure["created"].isoformat()
                officer = str(seizure["officer"])
                seizure_rows.append(
                    "\t".join(
                        (
                            str(pk),
                            str(uuid.uuid4()),
                            admin_id,
                            f"{code}-{year}-{number:06d}",
                            str(year),
                            str(number),
                            seizure["occurred"].isoformat(),
                            str(seizure["office"]),
                            str(seizure["location"]),
                            str(seizure["procedure"]),
                            str(seizure["detection"]),
                            str(seizure["transport"]),
                            str(seizure["concealment"]),
                            flight,
                            vessel,
                            imo,
                            container,
                            plate,
                            origin,
                            departure,
                            _array(transit),
                            destination,
                            seizure["narrative"],
                            Seizure.Status.DRAFT,
                            "1",
                            officer,
                            created,
                            officer,
                            created,
                            _array(seizure["route_countries"]),
                            _array(seizure["commodity_ids"]),
                        )
                    )
                )
                for item in seizure["items"]:
                    item_rows.append(
                        "\t".join(
                            (
                                str(pk),
                                str(item["position"]),
                                str(item["commodity"]),
                                _copy_text(item["description"]),
                                item["quantity"],
                                str(item["unit"]),
                                item["value"],
                                item["currency"],
                                item["species"],
                                item["appendix"],
                            )
                        )
                    )
                offence = seizure["offence"]
                if offence is not None:
                    provision, offence_type, status, penalty, currency, committed, decided = offence
                    offence_rows.append(
                        "\t".join(
                            (
                                str(pk),
                                _copy_text(provision),
                                str(offence_type),
                                str(status),
                                penalty,
                                currency,
                                committed,
                                decided,
                            )
                        )
                    )
            clock.append(time.monotonic())
            self._copy(pg, "generate_data_seizure", SEIZURE_COLUMNS, seizure_rows)
            self._copy(pg, "generate_data_item", ITEM_COLUMNS, item_rows)
            self._copy(pg, "seizures_offence", OFFENCE_COLUMNS, offence_rows)
            clock.append(time.monotonic())
            columns = ", ".join(ITEM_COLUMNS)
            cursor.execute(
                f"INSERT INTO seizures_item ({columns}) "  # noqa: S608 - constant names
                f"SELECT {columns} FROM generate_data_item ORDER BY seizure_id, position"
            )
            clock.append(time.monotonic())
            columns = ", ".join(SEIZURE_COLUMNS)
            selected = ", ".join(f"s.{column}" for column in SEIZURE_COLUMNS)
            search_vector = SEARCH_VECTOR_SQL.format(items_text="t.text")
            cursor.execute(
                f"INSERT INTO seizures_seizure ({columns}, search_vector) "  # noqa: S608
                f"SELECT {selected}, {search_vector} "
                "FROM generate_data_seizure AS s LEFT JOIN ("
                "  SELECT i.seizure_id, string_agg(i.description || ' ' || i.species, ' '"
                "    ORDER BY i.position) AS text"
                "  FROM generate_data_item AS i GROUP BY i.seizure_id"
                ") AS t ON t.seizure_id = s.id ORDER BY s.id"
            )
            clock.append(time.monotonic())
        # The commit checks the deferred foreign keys of every row.
        clock.append(time.monotonic())
        steps = ("rows", "copy", "items", "seizures", "commit")
        self.timings = {
            step: b - a for step, a, b in zip(steps, clock[:-1], clock[1:], strict=True)
        }
        return len(item_rows), len(offence_rows)

    def _take_numbers(self, seizures) -> list[int]:
        """Reserve each year's block of numbers as the services do, years in order so that
        two loaders lock the counters in the same order."""
        counts = Counter(seizure["year"] for seizure in seizures)
        blocks = {
            year: iter(
                references_reserve(administration=self.administration, year=year, count=count)
            )
            for year, count in sorted(counts.items())
        }
        return [next(blocks[seizure["year"]]) for seizure in seizures]

    @staticmethod
    def _copy(pg, table, columns, rows):
        if not rows:
            return
        with (
            pg.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            chunk = 5000
            for start in range(0, len(rows), chunk):
                copy.write("\n".join(rows[start : start + chunk]) + "\n")
