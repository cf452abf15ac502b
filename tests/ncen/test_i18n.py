import pytest
from django.test import Client

from ..conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_language_switcher_turns_pages_french(fj_officer):
    client = signed_in_client(fj_officer)
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Déconnexion" in html


def test_administration_default_language_applies_until_the_user_chooses(fj_officer):
    administration = fj_officer.administration
    administration.default_language = "fr"
    administration.save()
    html = signed_in_client(fj_officer).get("/").content.decode()
    assert '<html lang="fr">' in html


def test_sign_in_page_in_french_by_browser_preference():
    html = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/sign-in/").content.decode()
    assert "Se connecter" in html


@pytest.mark.parametrize("url", ["/seizures/new/", "/seizures/", "/persons/new/", "/persons/"])
def test_countries_are_named_in_each_request_s_language(fj_officer, url):
    client = signed_in_client(fj_officer)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    french = client.get(url).content.decode()
    assert '<option value="NZ">New Zealand</option>' in english
    assert '<option value="NZ">Nouvelle-Zélande</option>' in french
    assert "New Zealand" not in french
