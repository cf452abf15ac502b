"""The form renderer: Django's, except for field groups, selects, labels, inputs and empty
error lists, which are written in Python."""

import copy
import functools
from collections import defaultdict
from html import escape
from typing import NamedTuple

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
LABEL_TEMPLATE = "django/forms/label.html"
# Django's inputs whose template is input.html and nothing else.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        *("text", "number", "email", "url", "color", "search", "tel", "password"),
        *("hidden", "date", "datetime", "time"),
    )
)
ERROR_LIST_TEMPLATE = "django/forms/errors/list/default.html"
FIELD_TEMPLATE = "django/forms/field.html"


def escaped(value) -> str:
    """conditional_escape's result (what a template writes of a variable), without its
    handling of lazy arguments, which took most of the time of writing a select of 250
    countries."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _option(value: str, label: str, attributes: str) -> str:
    """An option, from its value and label escaped."""
    return f'<option value="{value}"{attributes}>{label}</option>'


def _optgroup(label: str) -> str:
    """A group's start tag, from its label escaped."""
    return f'<optgroup label="{label}">'


def _attributes(attrs: dict | None) -> str:
    """What Django's django/forms/attrs.html writes, in the same order."""
    return "".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
        for name, value in (attrs or {}).items()
        if value is not False
    )


def _select(name: str, attrs: dict, options: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every value escaped in the options and by flatatt
        f'<select name="{escaped(name)}"{flatatt(attrs)}>{options}</select>'
    )


class Select(forms.Select):
    """Django's Select, written from its choices in one pass: neither a dictionary per option
    (ChoiceWidget.optgroups) nor a template. A country select has 250 options and a seizure
    form up to seven of them. The HTML is that of Django's templates less the line breaks
    between options; the attributes (``data-searchable`` of the pickers, ``aria-*``, ``id``)
    are Django's. The options are written once for each list of choices (_written_options)
    and only the selected ones again."""

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        if self.allow_multiple_selected:
            context["widget"]["attrs"]["multiple"] = True
        return context

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        written = _written_options(_choices_key(self.choices))
        chosen = [
            option for wanted in widget["value"] for option in written.selected.get(wanted, ())
        ]
        if not chosen:
            return _select(widget["name"], widget["attrs"], written.unselected)
        # As ChoiceWidget.optgroups: only the first match is selected unless the select takes
        # several.
        parts = list(written.parts)
        for index, option in chosen if self.allow_multiple_selected else [min(chosen)]:
            parts[index] = option
        return _select(widget["name"], widget["attrs"], "".join(parts))


def _choice_part(value):
    """What the HTML of a choice's value or label depends on, as a key: a string or an int
    itself; safe HTML as what it writes and its text; anything else (a lazy translation, a
    model's value) as its text, read once, which Select escapes and compares."""
    if type(value) is str or type(value) is int:
        return value
    if hasattr(value, "__html__"):
        return (value.__html__(), str(value))
    return (str(value),)


def _choices_key(choices) -> tuple:
    """A select's choices as a key of _written_options: an option is (value, label), a group
    (its value, whether it is true, its options). Read at each rendering, so that a renamed
    code, a new office or another language is a new key."""
    key = []
    for value, label in choices:
        if type(label) is str and (type(value) is str or type(value) is int):
            key.append((value, label))  # most options (countries, codes): kept cheap
            continue
        if value is None:
            value = ""
        if isinstance(label, list | tuple):
            options = tuple((_choice_part(v), _choice_part(text)) for v, text in label)
            key.append((_choice_part(value), bool(value), options))
        else:
            key.append((_choice_part(value), _choice_part(label)))
    return tuple(key)


def _part_html(part) -> str:
    if type(part) is tuple:
        return part[0] if len(part) == 2 else escape(part[0])
    return escaped(part)


def _part_text(part) -> str:
    return part[-1] if type(part) is tuple else str(part)


class _WrittenOptions(NamedTuple):
    parts: tuple[str, ...]  # the options and group tags, none selected
    unselected: str  # the same, joined
    # A value, as a string: where its options are in ``parts``, and each written selected.
    selected: dict[str, tuple[tuple[int, str], ...]]


@functools.lru_cache(maxsize=128)
def _written_options(key: tuple) -> _WrittenOptions:
    """The options of one list of choices (_choices_key), written. Writing the 250 options of
    a country select took most of the list page's filters; the same few lists are shown
    on every page, in each language."""
    parts, selected = [], defaultdict(list)

    def add(value, label):
        html, text = _part_html(value), _part_text(value)
        label = _part_html(label)
        selected[text].append((len(parts), _option(html, label, " selected")))
        parts.append(_option(html, label, ""))

    # As ChoiceWidget.optgroups: a group's label is its value.
    for entry in key:
        if len(entry) == 2:
            add(*entry)
            continue
        value, titled, options = entry
        if titled:
            parts.append(_optgroup(_part_html(value)))
        for option in options:
            add(*option)
        if titled:
            parts.append("</optgroup>")
    selected = {text: tuple(options) for text, options in selected.items()}
    return _WrittenOptions(tuple(parts), "".join(parts), selected)


class SelectMultiple(Select):
    allow_multiple_selected = True


# Django's own select widgets, which every form's fields render as Select above.
_WRITTEN = {forms.Select: Select, forms.SelectMultiple: SelectMultiple}


class BoundField(forms.BoundField):
    """Every form's fields (FormRenderer.bound_field_class): a field whose widget is Django's
    own Select or SelectMultiple renders it as ncen's, so that no form has to declare it."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        written = _WRITTEN.get(type(widget))
        if written is not None:
            widget = copy.copy(widget)
            widget.__class__ = written
        return super().as_widget(widget, attrs, only_initial)


class FormRenderer(DjangoTemplates):
    """Django's renderer, but for field groups, selects, labels, inputs and empty error
    lists, which it writes in Python. Django's select template includes a template per
    option and another for each option's attributes: through templates, the list page's
    filters alone took about 40 % of its rendering time (bench/README.md). Django's own
    select widgets are written by Select above; a select widget of a library (a Select
    subclass, whose options may be shaped by its own methods) is written here from the
    options Django made. A field group, a label, an input and an empty error list were a
    template (and an included one) each: about 0.1 ms each, for every field. The HTML is
    the templates', which Django's renderers strip."""

    bound_field_class = BoundField

    def render(self, template_name, context, request=None):
        if template_name == FIELD_TEMPLATE:
            return _field(context["field"])
        if template_name == LABEL_TEMPLATE:
            return _label(context)
        if template_name in INPUT_TEMPLATES:
            return _input(context["widget"])
        if template_name == ERROR_LIST_TEMPLATE and not context["errors"]:
            return ""  # what the template writes for a field without errors
        if template_name != SELECT_TEMPLATE:
            return super().render(template_name, context, request)
        widget = context["widget"]
        options = []
        for group_name, group, _index in widget["optgroups"]:
            if group_name:
                options.append(_optgroup(escaped(group_name)))
            for option in group:
                attrs = option["attrs"]
                # Django's Select gives an option no attribute but "selected".
                attributes = " selected" if attrs == {"selected": True} else flatatt(attrs)
                options.append(
                    _option(escaped(option["value"]), escaped(option["label"]), attributes)
                )
            if group_name:
                options.append("</optgroup>")
        return _select(widget["name"], widget["attrs"], "".join(options))


def _input(widget: dict) -> SafeString:
    """What Django's input.html writes, included by the template of each of INPUT_TEMPLATES."""
    value = "" if widget["value"] is None else f' value="{escaped(widget["value"])}"'
    return mark_safe(  # noqa: S308 - every value escaped
        f'<input type="{escaped(widget["type"])}" name="{escaped(widget["name"])}"{value}'
        f"{_attributes(widget['attrs'])}>"
    )


def _field(field: forms.BoundField) -> SafeString:
    """What Django's field.html writes (BoundField.as_field_group), its line breaks included."""
    if field.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{escaped(described)}"' if described else ""
        start = f"<fieldset{described}>\n  {field.legend_tag() if field.label else ''}"
        end = "</fieldset>"
    else:
        start, end = (field.label_tag() if field.label else ""), ""
    help_text = ""
    if field.help_text:
        help_id = f' id="{escaped(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{help_id}>{field.help_text}</div>'
    html = f"\n  {start}\n\n{help_text}\n{escaped(field.errors)}\n{escaped(field)}{end}\n"
    return mark_safe(html.strip())  # noqa: S308 - labels, errors and widget are safe


def _label(context: dict) -> SafeString:
    """What Django's django/forms/label.html writes (BoundField.label_tag, legend_tag)."""
    label = escaped(context["label"])
    if not context["use_tag"]:
        return mark_safe(label.strip())  # noqa: S308 - escaped above; renderers strip
    tag = escaped(context["tag"])
    return mark_safe(f"<{tag}{_attributes(context['attrs'])}>{label}</{tag}>")  # noqa: S308
