"""The form renderer: Django's, except for selects, whose options it writes in Python."""

from html import escape

from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"


def _option(option: dict) -> str:
    attrs = option["attrs"]
    # Django's own Select gives an option no attribute but "selected"; flatatt is for others.
    extra = " selected" if attrs == {"selected": True} else flatatt(attrs) if attrs else ""
    value, label = escape(str(option["value"])), escape(str(option["label"]))
    return f'<option value="{value}"{extra}>{label}</option>'


class FormRenderer(DjangoTemplates):
    """Django's select template includes a template per option and another for each
    option's attributes. A country select has 250 options and the seizure forms hold up to
    seven of them: through templates, the list page's filters alone took about 40 % of its
    rendering time (bench/README.md). The HTML is the same, less the line breaks between
    options."""

    def render(self, template_name, context, request=None):
        if template_name != SELECT_TEMPLATE:
            return super().render(template_name, context, request)
        widget = context["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(str(group_name))}">')
            parts.extend(_option(option) for option in options)
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
