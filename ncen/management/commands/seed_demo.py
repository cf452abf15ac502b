from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ncen.models import Administration, Office, Role, User

DEMO_PASSWORD = "pacific-demo-2026"  # noqa: S105 - printed for everyone; demo instances only

ADMINISTRATIONS = [
    # code, name, country, time zone, language, is hub, offices (code, name, kind)
    (
        "FJ",
        "Fiji Revenue and Customs Service",
        "FJ",
        "Pacific/Fiji",
        "en",
        False,
        [
            ("FJSUV", "Suva Port", Office.Kind.SEAPORT),
            ("FJNAN", "Nadi International Airport", Office.Kind.AIRPORT),
            ("FJSUV-MC", "Suva Mail Centre", Office.Kind.MAIL_CENTRE),
            ("FJLTK", "Lautoka Port", Office.Kind.SEAPORT),
        ],
    ),
    (
        "WS",
        "Samoa Customs",
        "WS",
        "Pacific/Apia",
        "en",
        False,
        [
            ("WSAPW", "Apia Port", Office.Kind.SEAPORT),
            ("WSFGI", "Faleolo International Airport", Office.Kind.AIRPORT),
        ],
    ),
    (
        "TO",
        "Tonga Customs",
        "TO",
        "Pacific/Tongatapu",
        "en",
        False,
        [
            ("TONUK", "Nuku'alofa Port", Office.Kind.SEAPORT),
            ("TOTBU", "Fua'amotu International Airport", Office.Kind.AIRPORT),
        ],
    ),
    (
        "VU",
        "Vanuatu Customs and Inland Revenue",
        "VU",
        "Pacific/Efate",
        "fr",
        False,
        [
            ("VUVLI", "Port Vila", Office.Kind.SEAPORT),
            ("VUVLI-A", "Bauerfield International Airport", Office.Kind.AIRPORT),
            ("VUSAN", "Luganville", Office.Kind.SEAPORT),
        ],
    ),
    (
        "OCO",
        "Oceania Regional Intelligence Hub",
        "FJ",
        "Pacific/Fiji",
        "en",
        True,
        [("OCO-HQ", "Regional Intelligence Office", Office.Kind.HEADQUARTERS)],
    ),
]

MEMBER_ROLES = [
    ("officer", Role.OFFICER),
    ("supervisor", Role.SUPERVISOR),
    ("admin", Role.ADMINISTRATOR),
]
HUB_ROLES = [("analyst", Role.REGIONAL_ANALYST), ("admin", Role.ADMINISTRATOR)]


class Command(BaseCommand):
    help = "Create demo administrations, offices and users of every role (idempotent)."

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.NCEN_DEMO_MODE):
            raise CommandError("seed_demo runs only on a demo or development instance.")
        with transaction.atomic():
            usernames = [self._seed(*row) for row in ADMINISTRATIONS]
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(
            f"Sign in at {settings.NCEN_SITE_URL}/ with password {DEMO_PASSWORD!r} as:"
        )
        for names in usernames:
            self.stdout.write("  " + ", ".join(names))
        if settings.NCEN_REQUIRE_SECOND_FACTOR:
            self.stdout.write(
                "Supervisors and administrators will be asked to enrol an authenticator app."
            )
        else:
            self.stdout.write("Demo mode: two-factor sign-in is not required.")

    def _seed(self, code, name, country, time_zone, language, is_hub, offices) -> list[str]:
        administration, _created = Administration.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "country": country,
                "time_zone": time_zone,
                "default_language": language,
                "is_hub": is_hub,
            },
        )
        first_office = None
        for office_code, office_name, kind in offices:
            office, _created = Office.objects.update_or_create(
                administration=administration,
                code=office_code,
                defaults={"name": office_name, "kind": kind, "is_active": True},
            )
            first_office = first_office or office
        names = []
        for suffix, role in HUB_ROLES if is_hub else MEMBER_ROLES:
            username = f"{code.lower()}.{suffix}"
            user, _created = User.objects.update_or_create(
                username=username,
                defaults={
                    "administration": administration,
                    "office": first_office,
                    "role": role,
                    "email": f"{username}@example.org",
                    "first_name": role.label.split()[-1].capitalize(),
                    "last_name": administration.code,
                    "is_active": True,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            names.append(username)
        return names
