"""Made-up suspects and businesses in bulk, for development and benchmarks (``generate_data
--persons N --businesses N``). Never production.

Names are drawn the way they occur in the region's records: Fijian, Indo-Fijian, Samoan,
Tongan, ni-Vanuatu and Solomon Islands names, and those of the travellers and traders who
pass through (Chinese, Filipino, Latin American, European). Pacific family names are built
from syllables, so that a million persons are not a few thousand names repeated. A share of
persons is recorded twice, as happens: the second record with a misspelled name and the
same passport, which is what deduplication and matching must find.

Rows are written with COPY into a temporary table, then moved into place with one INSERT ...
SELECT that computes ``name_key`` with the services' own SQL (``PERSON_NAME_KEY_SQL``).
"""

import time
from datetime import date, timedelta
from random import Random

from django.db import connection, transaction
from django.utils import timezone

from .keys import identifier_key, phone_keys
from .models import Business
from .services import BUSINESS_NAME_KEY_SQL, PERSON_NAME_KEY_SQL, PERSON_NAMES_ADD_SQL

GIVEN = {
    "FJ": [
        "Josefa",
        "Sitiveni",
        "Viliame",
        "Jone",
        "Apisai",
        "Seru",
        "Tevita",
        "Ilisoni",
        "Semi",
        "Waisale",
        "Maika",
        "Peni",
        "Epeli",
        "Isikeli",
        "Mosese",
        "Ratu",
        "Samisoni",
        "Timoci",
        "Emosi",
        "Litia",
        "Mere",
        "Salote",
        "Losana",
        "Akanisi",
        "Unaisi",
        "Vilisi",
        "Adi",
        "Asenaca",
        "Makereta",
        "Senimili",
        "Titilia",
        "Miliakere",
        "Luisa",
        "Vasiti",
    ],
    "IF": [
        "Rajesh",
        "Sanjay",
        "Ashwin",
        "Vijay",
        "Ravin",
        "Praveen",
        "Anil",
        "Mohammed",
        "Shiraz",
        "Imran",
        "Sunil",
        "Ronil",
        "Anita",
        "Priya",
        "Sunita",
        "Shalini",
        "Reshma",
        "Nileshni",
        "Roshni",
        "Farzana",
        "Shabnam",
        "Kamla",
    ],
    "WS": [
        "Sione",
        "Tavita",
        "Iosefa",
        "Leota",
        "Sefo",
        "Faleolo",
        "Tupe",
        "Pule",
        "Malia",
        "Losa",
        "Fetu",
        "Sina",
        "Lagi",
        "Tasi",
        "Mele",
        "Lupe",
        "Ioane",
        "Fa'afetai",
        "Aiga",
    ],
    "TO": [
        "Siosaia",
        "Viliami",
        "Feleti",
        "Pita",
        "Tevita",
        "Sione",
        "Sitani",
        "Paula",
        "Mele",
        "Salote",
        "Ana",
        "Losaline",
        "'Ofa",
        "Lesieli",
        "Kalolaine",
        "Seini",
        "Sela",
    ],
    "VU": [
        "Jean-Baptiste",
        "Kalo",
        "Willie",
        "Tari",
        "Joe",
        "Ham",
        "Moses",
        "Lucie",
        "Marie",
        "Anne",
        "Leimara",
        "Rolenas",
    ],
    "SB": [
        "John",
        "Peter",
        "Fred",
        "Derek",
        "Manasseh",
        "Gordon",
        "Rose",
        "Mary",
        "Ruth",
        "Joanna",
        "Lilly",
    ],
    "CN": [
        "Wei",
        "Jun",
        "Hao",
        "Lei",
        "Ming",
        "Xiaoming",
        "Jian",
        "Mei",
        "Li",
        "Na",
        "Yan",
        "Xiu",
        "Ying",
    ],
    "PH": [
        "Jose",
        "Mark",
        "Rodel",
        "Jerome",
        "Angelito",
        "Maricel",
        "Rowena",
        "Jocelyn",
        "Lourdes",
        "Cristina",
    ],
    "CO": [
        "José",
        "Juan",
        "Carlos",
        "Andrés",
        "Alejandro",
        "Luis",
        "Jhon",
        "María",
        "Sofía",
        "Valentina",
        "Camila",
        "Luz",
    ],
    "AU": [
        "James",
        "Michael",
        "David",
        "Daniel",
        "Matthew",
        "Liam",
        "Jack",
        "Sarah",
        "Emma",
        "Olivia",
        "Jessica",
        "Chloe",
    ],
}
FAMILY = {
    "IF": [
        "Prasad",
        "Kumar",
        "Singh",
        "Sharma",
        "Chand",
        "Naidu",
        "Reddy",
        "Lal",
        "Khan",
        "Ali",
        "Narayan",
        "Goundar",
        "Dutt",
        "Pillay",
        "Ram",
        "Deo",
        "Nand",
        "Hussein",
        "Sahib",
    ],
    "CN": [
        "Wang",
        "Li",
        "Zhang",
        "Liu",
        "Chen",
        "Yang",
        "Huang",
        "Zhao",
        "Wu",
        "Zhou",
        "Xu",
        "Sun",
        "Ma",
        "Zhu",
        "Hu",
        "Guo",
        "Lin",
        "He",
    ],
    "PH": [
        "Santos",
        "Reyes",
        "Cruz",
        "Bautista",
        "Ocampo",
        "Garcia",
        "Mendoza",
        "Torres",
        "Villanueva",
        "Ramos",
    ],
    "CO": [
        "González",
        "Rodríguez",
        "Martínez",
        "López",
        "Hernández",
        "Pérez",
        "Gómez",
        "Díaz",
        "Ramírez",
        "Sánchez",
        "Moreno",
        "Álvarez",
        "Muñoz",
        "Rojas",
        "Vargas",
    ],
    "AU": [
        "Smith",
        "Jones",
        "Williams",
        "Brown",
        "Wilson",
        "Taylor",
        "Johnson",
        "White",
        "Martin",
        "Anderson",
        "Thompson",
        "Nguyen",
        "Ryan",
        "O'Brien",
        "Walker",
    ],
}
# Pacific family names: a beginning, a middle and sometimes an ending.
SYLLABLES = {
    "FJ": (
        [
            "Nai",
            "Rava",
            "Vuni",
            "Tiko",
            "Kolo",
            "Bale",
            "Rai",
            "Wai",
            "Sero",
            "Tui",
            "Drau",
            "Loma",
            "Mata",
            "Nawa",
            "Qala",
            "Vula",
            "Koro",
            "Rato",
            "Sau",
            "Buli",
        ],
        [
            "valu",
            "bolo",
            "kadi",
            "waqa",
            "suva",
            "vatu",
            "tabua",
            "ni",
            "lomani",
            "dro",
            "mai",
            "vesi",
            "kula",
            "levu",
        ],
        ["", "", "", "ka", "wai", "tawa", "ni", "mai"],
    ),
    "WS": (
        [
            "Tui",
            "Fale",
            "Fui",
            "Soli",
            "Laui",
            "Tau",
            "Lea",
            "Ai",
            "Malie",
            "Sala",
            "Fa'a",
            "Lefa",
            "Tago",
            "Pa'u",
        ],
        ["lagi", "olo", "mao", "ai", "na", "sasopo", "toa", "mavave", "fata", "liu", "sega"],
        ["", "", "", "ga", "lua", "tele"],
    ),
    "TO": (
        [
            "Tau",
            "Fifi",
            "Tupo",
            "Kio",
            "Havi",
            "Lato",
            "Moa",
            "Fonu",
            "Hufa",
            "Lolo",
            "Mate",
            "Vaka",
            "Pulu",
            "Funa",
        ],
        ["fa", "ta", "u", "a", "li", "ea", "la", "nga", "he", "o", "ki"],
        ["", "", "", "veni", "lolo", "tonga"],
    ),
    "VU": (
        ["Kal", "Tari", "Nato", "Mol", "Sope", "Kilu", "Tabi", "Wari", "Bule", "Masa"],
        ["sakau", "man", "bue", "tong", "visi", "lau", "nae"],
        ["", "", "", "a", "u"],
    ),
    "SB": (
        ["Sogo", "Kenga", "Hou", "Pita", "Dau", "Lia", "Mane", "Kwai", "Fono", "Sade"],
        ["vare", "nia", "koro", "lea", "mana", "eke", "funu"],
        ["", "", "", "a", "si"],
    ),
}
# Who is in the records, by where they come from (weights add to 100).
ORIGINS = {
    "FJ": 34,
    "IF": 14,
    "WS": 8,
    "TO": 8,
    "VU": 4,
    "SB": 4,
    "CN": 9,
    "PH": 5,
    "CO": 4,
    "AU": 10,
}
NATIONALITY = {"IF": "FJ", "AU": "AU"}
PASSPORT_PREFIX = {"FJ": "FJ", "WS": "WS", "TO": "T", "VU": "RV", "SB": "SB", "CN": "E"}
DIALLING = {"FJ": "679", "WS": "685", "TO": "676", "VU": "678", "SB": "677", "CN": "86"}
DIALLING |= {"PH": "63", "CO": "57", "AU": "61"}
OCCUPATIONS = [
    "Farmer",
    "Fisherman",
    "Driver",
    "Seafarer",
    "Student",
    "Businessman",
    "Businesswoman",
    "Labourer",
    "Carpenter",
    "Mechanic",
    "Teacher",
    "Nurse",
    "Unemployed",
    "Self-employed",
    "Sales",
    "Cook",
    "Taxi-driver",
    "Tourist",
]
BUSINESS_WORDS = (
    [
        "Pacific",
        "South-Seas",
        "Island",
        "Coral",
        "Lagoon",
        "Oceania",
        "Tasman",
        "Reef",
        "Harbour",
        "Trade-Wind",
        "Golden",
        "Sunrise",
        "Vanua",
        "Moana",
        "Lautoka",
        "Suva",
        "Nadi",
        "Apia",
        "Nuku'alofa",
        "Port-Vila",
        "Honiara",
    ],
    [
        "Freight",
        "Logistics",
        "Trading",
        "Imports",
        "Exports",
        "Shipping",
        "Enterprises",
        "Holdings",
        "Supplies",
        "Distributors",
        "Brokers",
        "Agencies",
        "Marine",
        "Express",
    ],
    ["Ltd", "Limited", "Pte Ltd", "Co.", "& Sons Ltd", "Group", ""],
)
# A second record of the same person, misspelled, with the same passport.
DUPLICATE_SHARE = 0.04
ALIAS_SHARE = 0.08

PERSON_COLUMNS = (
    "id",
    "administration_id",
    "notes",
    "created_by_id",
    "created_at",
    "updated_by_id",
    "updated_at",
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
    "photo",
    "photo_content_type",
    "phone_keys",
)
DOCUMENT_COLUMNS = ("person_id", "kind", "number", "issuing_country", "number_key")
BUSINESS_COLUMNS = (
    "id",
    "administration_id",
    "notes",
    "created_by_id",
    "created_at",
    "updated_by_id",
    "updated_at",
    "name",
    "trading_names",
    "kind",
    "registration_number",
    "registration_country",
    "tax_id",
    "addresses",
    "phones",
    "email",
    "registration_key",
    "tax_key",
    "phone_keys",
)


def misspell(rng: Random, name: str) -> str:
    """One typing mistake: a letter dropped, doubled, swapped with the next, or replaced."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 4:
        return name
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    if kind == 2 and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    vowels = "aeiou" if name[i].lower() in "aeiou" else "bdgklmnprstv"
    return name[:i] + rng.choice(vowels.replace(name[i].lower(), "")) + name[i + 1 :]


class PersonMaker:
    def __init__(self, rng: Random, today: date):
        self.rng = rng
        self.today = today
        self.origins = list(ORIGINS)
        self.weights = list(ORIGINS.values())

    def family_name(self, origin: str) -> str:
        if origin in SYLLABLES:
            start, middle, end = SYLLABLES[origin]
            return self.rng.choice(start) + self.rng.choice(middle) + self.rng.choice(end)
        return self.rng.choice(FAMILY[origin])

    def person(self, serial: int) -> dict:
        rng = self.rng
        origin = rng.choices(self.origins, self.weights)[0]
        given_pool = GIVEN.get(origin, GIVEN["FJ"])
        given = rng.choice(given_pool)
        if rng.random() < 0.45:
            middle = rng.choice(given_pool)
            given += f" {middle}" if middle != given else ""
        family = self.family_name(origin)
        # Chinese names are often written family name first.
        full = f"{family} {given}" if origin == "CN" and rng.random() < 0.5 else f"{given} {family}"
        nationality = NATIONALITY.get(origin, origin)
        birth = self.today - timedelta(days=rng.randrange(18 * 365, 70 * 365))
        year_only = rng.random() < 0.2
        dialling = DIALLING.get(nationality, "679")
        phones = [f"+{dialling} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"]
        aliases = [misspell(rng, full)] if rng.random() < ALIAS_SHARE else []
        passport = f"{PASSPORT_PREFIX.get(nationality, nationality)}{rng.randrange(10**6, 10**7)}"
        return {
            "given": given,
            "family": family,
            "full": full,
            "aliases": aliases,
            "birth_date": None if year_only else birth,
            "birth_year": birth.year,
            "gender": rng.choice(("female", "male")),
            "nationalities": [nationality],
            "phones": phones,
            "occupation": rng.choice(OCCUPATIONS),
            "documents": [("passport", f"{passport}{serial % 10}", nationality)],
        }

    def duplicate(self, person: dict) -> dict:
        """The same person recorded again by someone else: misspelled, year of birth only,
        another phone, the same passport."""
        twin = dict(person)
        twin["full"] = misspell(self.rng, person["full"])
        twin["aliases"] = []
        twin["birth_date"] = None
        twin["phones"] = [f"+679 {self.rng.randrange(100, 999)} {self.rng.randrange(1000, 9999)}"]
        return twin


def _next_ids(cursor, table: str, count: int) -> list[int]:
    cursor.execute(
        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608 - constant names
        "FROM generate_series(1, %s)",
        [count],
    )
    return [row[0] for row in cursor.fetchall()]


def load_persons(*, administration, created_by: int, people: list[dict]) -> int:
    """Write one batch of persons and their documents in one transaction."""
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS generate_person ON COMMIT DROP "
            "AS SELECT * FROM persons_person WITH NO DATA"
        )
        # Still there when the caller's transaction holds several batches.
        cursor.execute("TRUNCATE generate_person")
        ids = _next_ids(cursor, "persons_person", len(people))
        with cursor.cursor.copy(
            f"COPY generate_person ({', '.join(PERSON_COLUMNS)}) FROM STDIN"
        ) as copy:
            for pk, p in zip(ids, people, strict=True):
                copy.write_row(
                    (
                        pk,
                        administration.pk,
                        "",
                        created_by,
                        now,
                        created_by,
                        now,
                        p["given"],
                        p["family"],
                        p["full"],
                        p["aliases"],
                        p["birth_date"],
                        p["birth_year"],
                        p["gender"],
                        p["nationalities"],
                        [],
                        p["phones"],
                        "",
                        p["occupation"],
                        "",
                        "",
                        phone_keys(p["phones"]),
                    )
                )
        columns = ", ".join(PERSON_COLUMNS)
        cursor.execute(
            f"INSERT INTO persons_person ({columns}, name_key) "  # noqa: S608 - constant SQL
            f"SELECT {columns}, {PERSON_NAME_KEY_SQL} FROM generate_person AS p"
        )
        cursor.execute(PERSON_NAMES_ADD_SQL, [ids])
        with cursor.cursor.copy(
            f"COPY persons_identitydocument ({', '.join(DOCUMENT_COLUMNS)}) FROM STDIN"
        ) as copy:
            for pk, p in zip(ids, people, strict=True):
                for kind, number, country in p["documents"]:
                    copy.write_row((pk, kind, number, country, identifier_key(number)))
    return len(people)


def make_persons(*, rng: Random, count: int) -> list[dict]:
    maker = PersonMaker(rng, timezone.localdate())
    people = []
    while len(people) < count:
        person = maker.person(len(people))
        people.append(person)
        if len(people) < count and rng.random() < DUPLICATE_SHARE:
            people.append(maker.duplicate(person))
    return people


def generate_persons(*, administration, created_by: int, count: int, rng: Random, batch: int, say):
    started, done = time.monotonic(), 0
    while done < count:
        people = make_persons(rng=rng, count=min(batch, count - done))
        done += load_persons(administration=administration, created_by=created_by, people=people)
        say(f"  {done:,} persons ({done / (time.monotonic() - started):,.0f}/s)")
    return done


def generate_businesses(*, administration, created_by: int, count: int, rng: Random):
    """Businesses through one COPY; a few thousand at most are expected."""
    now = timezone.now()
    first, second, suffix = BUSINESS_WORDS
    kinds = [kind for kind, _label in Business.Kind.choices]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS generate_business ON COMMIT DROP "
            "AS SELECT * FROM persons_business WITH NO DATA"
        )
        # Still there when the caller's transaction holds several batches.
        cursor.execute("TRUNCATE generate_business")
        ids = _next_ids(cursor, "persons_business", count)
        with cursor.cursor.copy(
            f"COPY generate_business ({', '.join(BUSINESS_COLUMNS)}) FROM STDIN"
        ) as copy:
            for pk in ids:
                name = " ".join(
                    part
                    for part in (
                        rng.choice(first).replace("-", " "),
                        rng.choice(second),
                        rng.choice(suffix),
                    )
                    if part
                )
                registration = f"{administration.code}{rng.randrange(10**5, 10**6)}"
                tax = f"TIN {rng.randrange(10**7, 10**8)}"
                phones = [f"+679 {rng.randrange(300, 399)} {rng.randrange(1000, 9999)}"]
                copy.write_row(
                    (
                        pk,
                        administration.pk,
                        "",
                        created_by,
                        now,
                        created_by,
                        now,
                        name,
                        [],
                        rng.choice(kinds),
                        registration,
                        administration.country.code,
                        tax,
                        [],
                        phones,
                        "",
                        identifier_key(registration),
                        identifier_key(tax),
                        phone_keys(phones),
                    )
                )
        columns = ", ".join(BUSINESS_COLUMNS)
        cursor.execute(
            f"INSERT INTO persons_business ({columns}, name_key) "  # noqa: S608 - constant SQL
            f"SELECT {columns}, {BUSINESS_NAME_KEY_SQL} FROM generate_business AS b"
        )
    return count
