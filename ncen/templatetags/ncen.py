from django import template

from ncen.audit import action_label

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with ``changes`` applied, e.g. to move to another page."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        query[name] = value
    return query.urlencode()


@register.filter
def audit_action(action: str) -> str:
    return action_label(action)
