import pytest
from django.core.management import call_command

from ncen.models import Administration, Office, Role, User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_how_to_sign_in(settings, capsys):
    settings.NCEN_DEMO_MODE = True
    call_command("seed_demo")
    counts = (Administration.objects.count(), Office.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Administration.objects.count(), Office.objects.count(), User.objects.count()) == counts
    out = capsys.readouterr().out
    assert "fj.admin" in out
    assert "pacific-demo-2026" in out
    assert Administration.objects.filter(is_hub=True).count() == 1
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.get(username="fj.admin").check_password("pacific-demo-2026")


def test_seed_demo_refuses_a_production_instance(settings):
    settings.DEBUG = False
    settings.NCEN_DEMO_MODE = False
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo")
