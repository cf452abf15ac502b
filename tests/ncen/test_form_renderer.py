"""The form renderer writes selects as Django's templates do."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test.html import parse_html
from django.utils import translation
from django.utils.safestring import mark_safe

from ncen.forms import CountryChoices
from ncen.renderers import FormRenderer


class MarkedSelect(forms.Select):
    """A select of a library that shapes its options: written from Django's options."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"]["data-value"] = option["value"]
        return option


class Form(forms.Form):
    country = forms.ChoiceField(
        choices=[("", "—"), ("FJ", "Fiji"), ("WS", "Samoa & <Tokelau>")],
        widget=forms.Select(attrs={"data-searchable": ""}),
        help_text="Where it was seized.",
    )
    colours = forms.MultipleChoiceField(
        choices=[("Warm", [("red", "Red"), ("amber", "Amber")]), ("blue", "Blue")],
        required=False,
    )
    size = forms.TypedChoiceField(
        choices=[(None, "Unknown"), ("", [(1, "Small"), (2, mark_safe("<b>Large</b>"))])],
        coerce=int,
        required=False,
    )
    nationality = forms.ChoiceField(choices=CountryChoices(), required=False)
    marked = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=MarkedSelect(attrs={"class": "x"})
    )
    kind = forms.ChoiceField(
        label="Kind & <sort>", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="Note?", required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "max": "2026-12-31"}))
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"disabled": False}))
    weight = forms.DecimalField(required=False, localize=True)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)

    required_css_class = "required"


def _groups(renderer, data) -> dict:
    form = Form(data, renderer=renderer)
    return {name: form[name].as_field_group() for name in form.fields}


def _rendered(renderer, data) -> dict:
    form = Form(data, renderer=renderer)
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "data",
    [
        {"country": "WS", "colours": ["amber", "blue"], "size": "2", "nationality": "NZ"},
        {"note": 'a "quoted" <note>', "day": "2026-01-02", "weight": "1.5", "secret": "&"},
        {"day": "not a day", "email": "nobody", "weight": "x", "hidden": "h"},
        {"country": "", "colours": [], "size": "", "marked": "b"},
        {"country": "XX", "size": "abc", "nationality": "fj"},
        None,
    ],
)
def test_selects_are_the_html_of_djangos_templates(language, data):
    with translation.override(language):
        ours, django = _rendered(FormRenderer(), data), _rendered(DjangoTemplates(), data)
    for name in Form.base_fields:
        assert parse_html(ours[name]) == parse_html(django[name]), name
    with translation.override(language):
        ours, django = _groups(FormRenderer(), data), _groups(DjangoTemplates(), data)
    for name in Form.base_fields:  # labels, legends, help texts and errors too
        assert parse_html(ours[name]) == parse_html(django[name]), name
    for name in ("note", "day", "email", "weight", "secret", "hidden", "kind"):
        assert ours[name] == django[name], name  # no select: the same bytes


def test_djangos_selects_are_written_by_ncens_select():
    form = Form({"country": "WS", "colours": ["amber", "blue"], "size": "2"})
    html = {name: str(form[name]) for name in form.fields}
    for name in ("country", "colours", "size", "nationality"):
        assert "\n" not in html[name], name  # written by Select, not the templates
    assert type(form.fields["country"].widget) is forms.Select  # the form's own is untouched
    assert html["country"].startswith(
        '<select name="country" aria-describedby="id_country_helptext" data-searchable="" '
        'id="id_country" required><option value="">—</option>'
    )
    assert "Samoa &amp; &lt;Tokelau&gt;" in html["country"]
    assert '<option value="WS" selected>' in html["country"]
    assert '<select name="colours" id="id_colours" multiple>' in html["colours"]
    assert '<optgroup label="Warm"><option value="red">Red</option>' in html["colours"]
    assert '<option value="amber" selected>' in html["colours"]
    assert '<option value="blue" selected>' in html["colours"]
    assert '<option value="2" selected><b>Large</b></option>' in html["size"]
    assert '<option value="a" data-value="a">A</option>' in html["marked"]


def test_labels_are_written_as_djangos_template_writes_them():
    form = Form(renderer=FormRenderer())
    assert (
        form["country"].label_tag() == '<label for="id_country" class="required">Country:</label>'
    )
    assert form["note"].label_tag() == '<label for="id_note">Note?</label>'
    assert form["kind"].legend_tag() == (
        '<legend class="required">Kind &amp; &lt;sort&gt;:</legend>'
    )
    assert form["note"].label_tag(attrs={"hidden": True, "data-x": False}) == (
        '<label hidden for="id_note">Note?</label>'
    )
    form.auto_id = ""
    assert form["note"].label_tag() == "Note?"


class Pick(forms.Form):
    choice = forms.ChoiceField(choices=[("a", "A")], required=False)
    several = forms.MultipleChoiceField(choices=[("a", "A")], required=False)


# Lists of choices that a cache keyed on their text alone would confuse, each once with
# every selection below, in one test so that each is written after the others.
CHOICES = [
    [("a", "A & B"), ("b", "B")],
    [("a", "A &amp; B"), ("b", "B")],  # the same text as the next, which is safe HTML
    [("a", mark_safe("A &amp; B")), ("b", "B")],
    [(1, "One"), (True, "Yes"), ("1", "One again"), (None, "None")],
    [(True, "Yes"), (1, "One"), (False, "No"), (0, "Zero")],  # True == 1, False == 0
    [("", "—"), ("Group", [("a", "A"), ("b", "B")]), ("", [("c", "C")]), ("d", "D")],
    [("", "—"), ("Group", [("a", "A"), ("b", "B")]), (0, [("c", "C")]), ("d", "D")],
    [("a", "A"), ("a", "A twice"), ("b", "B")],
    [("a", "A"), ("b", "B renamed")],
]


def test_options_written_once_follow_the_choices():
    """Options are written once per list of choices and reused: another list, a renamed
    label, values equal in Python but written apart (True and 1), or the same text as safe
    HTML, is written anew; what is selected is marked each time."""
    selections = [{}, {"choice": "a", "several": ["a", "b"]}, {"choice": "1"}, {"choice": "c"}]
    for _ in range(2):  # the second time from what the first wrote
        for choices in CHOICES:
            for data in selections:
                ours = Pick(data, renderer=FormRenderer())
                django = Pick(data, renderer=DjangoTemplates())
                for form in (ours, django):
                    for field in form.fields.values():
                        field.choices = choices
                for name in Pick.base_fields:
                    assert parse_html(str(ours[name])) == parse_html(str(django[name])), (
                        choices,
                        data,
                    )
