"""The API's FilterSets make their forms with the fields the request names
(ncen.filters._form_of_named_fields): what they validate, the errors and the records they
filter must be those of the whole form."""

import pytest
from django import forms
from django.http import QueryDict

from ncen.filters import AuditEntryFilterSet, UserFilterSet, _form_of_named_fields
from ncen.models import AuditEntry, User
from seizures import selectors
from seizures.filters import SeizureFilterSet

from ..factories import code, make_seizure

pytestmark = pytest.mark.django_db


def _both(filterset_class, query: str, **kwargs):
    data = QueryDict(query)
    return (
        filterset_class(data, form_shown=True, **kwargs),
        filterset_class(data, form_shown=False, **kwargs),
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "office={office}",
        "detection_method={detection}&transport_mode={transport}",
        "detection_method={transport}",  # a code of another list
        "detection_method=abc&office=999999&status=nope&route_country=ZZ",
        "occurred_from=2025-13-01&ordering=bogus",
        "q=a%00b",
        "q=cocaine&ordering=-created_at&origin_country=CO&occurred_to=2026-01-01",
        "commodity={commodity}&occurred_from=2026-01-01&page=2",
        "imported=not-a-uuid&destination_country=",
        "detection_method=&office=",
    ],
)
def test_seizure_filters_are_those_of_the_whole_form(fj_officer, query):
    seizure = make_seizure(by=fj_officer)
    query = query.format(
        office=seizure.office_id,
        detection=seizure.detection_method_id,
        transport=seizure.transport_mode_id,
        commodity=code("commodity", "cocaine").pk,
    )
    whole, named = _both(
        SeizureFilterSet,
        query,
        queryset=selectors.seizure_list_plain(user=fj_officer),
        request_user=fj_officer,
    )
    assert named.is_valid() == whole.is_valid()
    assert named.errors == whole.errors
    assert list(named.errors) == list(whole.errors)
    assert list(named.form.cleaned_data.items()) == [
        (name, value)
        for name, value in whole.form.cleaned_data.items()
        if name in named.form.fields
    ]
    if whole.is_valid():
        assert str(named.qs.query) == str(whole.qs.query)
        assert list(named.qs) == list(whole.qs)
    given = {name for name, value in QueryDict(query).items()}
    assert set(named.form.fields) == given & set(whole.form.fields)


def test_other_filtersets_too(fj_admin):
    for filterset_class, queryset, query in (
        (UserFilterSet, User.objects.all(), "role=officer&is_active=false&office=abc"),
        (UserFilterSet, User.objects.all(), "is_active=true"),
        (AuditEntryFilterSet, AuditEntry.objects.all(), "since=2026-01-01&action=bogus"),
    ):
        whole, named = _both(filterset_class, query, queryset=queryset, request_user=fj_admin)
        assert (named.is_valid(), named.errors) == (whole.is_valid(), whole.errors)
        if whole.is_valid():
            assert list(named.qs) == list(whole.qs)
        assert len(named.form.fields) < len(whole.form.fields)


def test_fields_required_or_of_a_form_with_its_own_clean_are_kept():
    # django-filter makes a FilterSet's form class on Meta.form: forms.Form, or a form of the
    # FilterSet's own, which may check the fields together.
    class Required(forms.Form):
        name = forms.CharField(required=True)
        other = forms.CharField(required=False)

    form = _form_of_named_fields(
        type("RequiredForm", (forms.Form,), dict(Required.base_fields)), QueryDict(""), None
    )
    assert list(form.fields) == ["name"]
    assert form.errors == {"name": ["This field is required."]}

    class Cleaned(forms.Form):
        other = forms.CharField(required=False)

        def clean(self):
            raise forms.ValidationError("Checked as a whole.")

    form = _form_of_named_fields(type("FilterSetForm", (Cleaned,), {}), QueryDict(""), None)
    assert list(form.fields) == ["other"]
    assert not form.is_valid()


def test_the_api_still_answers_an_unknown_parameter_with_400(fj_officer):
    from ..conftest import api_client

    response = api_client(fj_officer).get("/api/v1/seizures/", {"office": "abc", "zzz": "1"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["zzz"]
