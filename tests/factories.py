import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from ncen.models import Administration, Office, Role, User

PASSWORD = "correct horse battery staple"


class AdministrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Administration
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"A{n:02d}")
    name = factory.LazyAttribute(lambda o: f"Customs service {o.code}")
    country = "FJ"
    time_zone = "Pacific/Fiji"
    default_language = "en"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    administration = factory.SubFactory(AdministrationFactory)
    name = factory.Sequence(lambda n: f"Port {n}")
    code = factory.Sequence(lambda n: f"PORT{n}")
    kind = Office.Kind.SEAPORT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    administration = factory.SubFactory(AdministrationFactory)
    role = Role.OFFICER

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "phone"
    confirmed = True


def code(code_list: str, code_value: str):
    """A shipped code-list entry."""
    from seizures.models import Code

    return Code.objects.get(list=code_list, code=code_value, administration__isnull=True)


def _seizure_inputs(*, by, items=None, **values) -> tuple[dict, list[dict]]:
    """What an officer types for a seizure, with plausible defaults: its values and items."""
    from decimal import Decimal

    from django.utils import timezone

    defaults = {
        "occurred_at": timezone.now() - timezone.timedelta(days=1),
        "office": by.office,
        "detection_method": code("detection_method", "xray_scanner"),
        "transport_mode": code("transport_mode", "air_passenger"),
        "concealment_method": code("concealment_method", "baggage"),
        "origin_country": "PE",
        "departure_country": "AU",
        "destination_country": "FJ",
        "narrative": "Passenger selected by the risk profile; powder in the suitcase lining.",
    }
    if items is None:
        items = [
            {
                "commodity": code("commodity", "cocaine"),
                "quantity": Decimal("2.5"),
                "unit": code("unit", "kg"),
                "description": "Two blocks of white powder",
            }
        ]
    return {**defaults, **values}, items


def make_seizure(*, by, items=None, offences=None, **values):
    """A seizure recorded through the service, as an officer would, with plausible defaults."""
    from seizures import services

    values, items = _seizure_inputs(by=by, items=items, **values)
    return services.seizure_create(by=by, values=values, items=items, offences=offences)


def make_seizures(*, by, count: int, **values):
    """``count`` seizures like make_seizure's, recorded at once through the bulk service."""
    from seizures import services

    values, items = _seizure_inputs(by=by, **values)
    return services.seizure_create_many(
        by=by,
        records=[
            services.NewSeizure(values=dict(values), items=[dict(item) for item in items])
            for _ in range(count)
        ],
    )


def decision(**overrides):
    """A complete sharing decision: regional exchange, intelligence only, B2."""
    from exchange.models import SharingDecision

    values = {
        "distribution": "regional",
        "handling_code": "intelligence_only",
        "handling_text": "",
        "source_reliability": "B",
        "information_accuracy": 2,
    }
    return SharingDecision(**{**values, **overrides})


def submit_and_approve(seizure, *, by, approver, **decision_overrides):
    """Submit ``seizure`` as ``by`` and approve it as ``approver``; returns the approval."""
    from seizures import services

    seizure = services.seizure_submit(by=by, seizure=seizure)
    return services.seizure_approve(
        by=approver,
        seizure=seizure,
        expected_version=seizure.version,
        decision=decision(**decision_overrides),
    )


def make_person(*, by, documents=None, **values):
    """A suspected person recorded through the service, as an officer would."""
    from persons import services

    values.setdefault("full_name", "Sione Taufa")
    return services.person_create(by=by, values=values, documents=documents or [])


def make_full_case(*, by, items: int = 6, photos: int = 3, offences: int = 3, persons: int = 3):
    """A case as a report shows it at its fullest: items, offences, photos, linked persons
    with documents, a business and a conveyance. ``by`` records persons (an officer or a
    supervisor); the seizure stays a draft."""
    import io
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from persons import services as person_services
    from seizures import services

    commodities = ["cocaine", "methamphetamine", "cannabis_herbal", "heroin_opioids"]
    seizure = make_seizure(
        by=by,
        items=[
            {
                "commodity": code("commodity", commodities[n % len(commodities)]),
                "quantity": Decimal(f"{n + 1}.25"),
                "unit": code("unit", "kg"),
                "description": f"Package {n + 1}: blocks wrapped in black plastic",
                "estimated_value": Decimal(f"{(n + 1) * 12500}"),
                "currency": "FJD",
            }
            for n in range(items)
        ],
        offences=[
            {
                "legal_provision": f"Customs Act 1986, s. {137 + n}",
                "offence_type": code("offence_type", "smuggling"),
                "status": code("offence_status", "under_investigation"),
                "penalty_amount": Decimal("5000.00"),
                "penalty_currency": "FJD",
            }
            for n in range(offences)
        ],
        flight_number="FJ910",
        transit_countries=["AU", "NZ"],
    )
    for n in range(photos):
        picture = io.BytesIO()
        Image.new("RGB", (1200, 900), (40 * n % 255, 90, 60)).save(picture, format="JPEG")
        services.attachment_add(
            by=by,
            seizure=seizure,
            upload=SimpleUploadedFile(f"photo-{n + 1}.jpg", picture.getvalue()),
            kind="photo",
            caption=f"Photo {n + 1} of the concealment",
        )
    for n in range(persons):
        person = make_person(
            by=by,
            full_name=f"Suspect Number{n + 1}",
            birth_year=1980 + n,
            nationalities=["FJ"],
            documents=[{"kind": "passport", "number": f"P{n + 1:07d}", "issuing_country": "FJ"}],
        )
        person_services.link_add(by=by, seizure=seizure, role="courier", person=person)
    business = person_services.business_create(
        by=by, values={"name": "Pacific Freight Forwarders Ltd", "kind": "freight_forwarder"}
    )
    person_services.link_add(by=by, seizure=seizure, role="consignee", business=business)
    return seizure
