"""The panel a seizure's page includes: its persons, businesses and conveyances, and the
other cases, and the regional records received, that share one of them or one of their
identifiers."""

from django import template

from seizures import rights as seizure_rights

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
        "related_regional": selectors.related_regional_records(
            user=user, seizure=seizure, links=links
        ),
        # Links are part of the record: changed only while the seizure may be edited.
        "can_record": rights.can_record(user) and seizure_rights.can_edit(user, seizure),
    }
