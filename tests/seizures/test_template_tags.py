"""The route and quantity tags write what the templates they replaced wrote (kept below as
the reference), in both languages, whatever the route or the quantity."""

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from seizures.models import Code, Item

# The included templates the tags replaced, as they were, less their final line break.
ROUTE_REFERENCE = (
    "{% load i18n countries %}{% for code in route %}{% get_country code as country %}"
    '<abbr title="{{ country.name }}">{{ code }}</abbr>{% if not forloop.last %} '
    '<span aria-hidden="true">→</span><span class="visually-hidden">{% translate "then" %}'
    "</span> {% endif %}{% empty %}—{% endfor %}"
)
QUANTITY_REFERENCE = (
    '{% load humanize %}<span class="nowrap">{{ item.quantity.normalize|intcomma }} '
    '{% if item.unit.code == "currency" and item.currency %}{{ item.currency }}'
    "{% else %}{{ item.unit|lower }}{% endif %}</span>"
)

ROUTES = [
    [],
    None,
    ["FJ"],
    ["CO", "CL", "AU", "FJ"],
    ["CN", "KR", "KR", "FJ"],
    ["CI", "CW", "AX"],  # names with accents and apostrophes, translated differently
    ["XK"],  # no such ISO country: the code alone, as django-countries names it
    ["fj", "<b>"],  # lower case and markup, as an older record or a hub's record may hold
]


def _unit(code: str, label: str, label_fr: str = "") -> Code:
    return Code(list="unit", code=code, label=label, label_fr=label_fr)


UNITS = [
    _unit("kg", "kg"),
    _unit("sticks", "Sticks", "Bâtonnets"),
    _unit("currency", "Amount of currency", "Montant en devises"),
    _unit("pieces", "Pieces & <parts>", ""),
]
QUANTITIES = ["0.001", "1.200", "3", "1000", "2762", "1234567.890", "999999999999.999", "10.500"]


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_route_is_written_as_the_template_wrote_it(language):
    with translation.override(language):
        for route in ROUTES:
            assert _render("{% load seizures %}{% route route %}", route=route) == _render(
                ROUTE_REFERENCE, route=route
            ), route


@pytest.mark.parametrize("language", ["en", "fr"])
def test_quantity_is_written_as_the_template_wrote_it(language):
    with translation.override(language):
        for unit in UNITS:
            for currency in ("", "FJD", "<X>"):
                for quantity in QUANTITIES:
                    item = Item(unit=unit, quantity=Decimal(quantity), currency=currency)
                    assert _render("{% load seizures %}{% quantity item %}", item=item) == (
                        _render(QUANTITY_REFERENCE, item=item)
                    ), (unit.code, currency, quantity)
