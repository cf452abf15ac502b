"""How a seizure's route and an item's quantity are written in pages and reports.

Tags rather than included templates: the list page writes both for each of its 50 rows,
and an ``{% include %}`` per row and item (with its country look-ups and translation)
was about half of the time spent rendering the rows (bench/README.md)."""

import functools

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries.fields import Country

from ncen.renderers import escaped

register = template.Library()


@functools.lru_cache(maxsize=1024)
def _country(code: str, language: str | None) -> SafeString:
    """A route's country: its code, named on hover. django-countries translates a name each
    time it is asked (about 4 µs), and format_html costs as much: a page of 50 routes writes
    some 150 of the same few dozen countries. Codes are ISO codes, a few hundred at most, in
    two languages."""
    return format_html('<abbr title="{}">{}</abbr>', Country(code=code).name, code)


@functools.lru_cache(maxsize=16)
def _then(language: str | None) -> SafeString:
    """What separates a route's countries, in ``language`` (the active one)."""
    return format_html(
        ' <span aria-hidden="true">→</span><span class="visually-hidden">{}</span> ', _("then")
    )


@register.simple_tag
def route(codes) -> SafeString:
    """The route in order, as country codes named on hover; a dash when there is none."""
    if not codes:
        return mark_safe("—")
    language = get_language()
    return mark_safe(  # noqa: S308 - each part made by format_html
        _then(language).join(_country(code, language) for code in codes)
    )


@register.simple_tag
def quantity(item) -> SafeString:
    """An item's quantity without trailing zeros; an amount of cash in its currency."""
    return quantity_html(
        item.quantity, unit_code=item.unit.code, unit_label=str(item.unit), currency=item.currency
    )


def quantity_html(quantity, *, unit_code: str, unit_label: str, currency: str) -> SafeString:
    """What ``{% quantity %}`` writes, from an item's values (lists that read items as plain
    rows): ``unit_label`` is the unit's label in the active language."""
    unit = currency if unit_code == "currency" and currency else unit_label.lower()
    # format_html's result, without its lazy wrappers: a list page writes some 65 of these.
    return mark_safe(  # noqa: S308 - both escaped
        f'<span class="nowrap">{escaped(intcomma(quantity.normalize()))} {escaped(unit)}</span>'
    )
