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
