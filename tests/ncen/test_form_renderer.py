"""The form renderer writes selects as Django's templates do."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.test.html import parse_html

from ncen.renderers import FormRenderer


class Form(forms.Form):
    country = forms.ChoiceField(
        choices=[("", "—"), ("FJ", "Fiji"), ("WS", "Samoa & <Tokelau>")],
        widget=forms.Select(attrs={"data-searchable": ""}),
    )
    colours = forms.MultipleChoiceField(
        choices=[("Warm", [("red", "Red"), ("amber", "Amber")]), ("blue", "Blue")],
        required=False,
    )


def _rendered(renderer, data) -> dict:
    form = Form(data, renderer=renderer)
    return {name: str(form[name]) for name in form.fields}


def test_selects_are_the_html_of_djangos_templates():
    data = {"country": "WS", "colours": ["amber", "blue"]}
    ours, django = _rendered(FormRenderer(), data), _rendered(DjangoTemplates(), data)
    for name in Form.base_fields:
        assert parse_html(ours[name]) == parse_html(django[name]), name
    assert "\n" not in ours["country"]  # written by FormRenderer, not the templates
    assert "Samoa &amp; &lt;Tokelau&gt;" in ours["country"]
    assert '<option value="WS" selected>' in ours["country"]
    assert '<optgroup label="Warm">' in ours["colours"]
