"""The panel a seizure's page includes: its persons, businesses and conveyances, and the
other cases that share one of them or one of their identifiers."""

from django import template

from .. import rights, selectors

register = template.Library()


@register.inclusion_tag("persons/includes/seizure_panel.html", takes_context=True)
def seizure_persons(context, seizure):
    user = context["request"].user
    links = selectors.seizure_links(user=user, seizure=seizure)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "seizure": seizure,
        "links": links,
        "related": selectors.related_cases(user=user, seizure=seizure, links=links),
        "can_record": rights.can_record(user),
    }
