"""The seizure filters' office is looked up by a statement written once per administration:
the same office, the same errors and the same query count as the ModelChoiceField over the
user's offices that it replaced."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ncen.models import Office, User
from seizures import filters
from seizures.filters import SeizureFilterSet
from seizures.models import Seizure

pytestmark = pytest.mark.django_db


def _cleaned(user, value, *, form_shown=True):
    """What the filter's form gives for ``office=value``: the office's fields, or the
    errors, and the number of queries. ``form_shown=False``: the API's form, validated only."""
    filterset = SeizureFilterSet(
        {"office": value},
        queryset=Seizure.objects.none(),
        request_user=user,
        form_shown=form_shown,
    )
    with CaptureQueriesContext(connection) as captured:
        valid = filterset.is_valid()
    office = filterset.form.cleaned_data.get("office") if valid else None
    answer = (
        (vars(office) | {"_state": (office._state.db, office._state.adding)})
        if office is not None
        else filterset.errors.get_json_data()
    )
    return answer, len(captured)


def _as_model_choice_field_gives(user, value):
    field = forms.ModelChoiceField(
        queryset=Office.objects.filter(administration_id=user.administration_id)
        if user.is_authenticated
        else Office.objects.none(),
        required=False,
    )
    with CaptureQueriesContext(connection) as captured:
        try:
            office, refused = field.clean(value), None
        except forms.ValidationError as error:
            office, refused = None, error
    if refused is not None:
        answer = {"office": [{"message": m, "code": "invalid_choice"} for m in refused]}
    elif office is not None:
        answer = vars(office) | {"_state": (office._state.db, office._state.adding)}
    else:
        answer = {}
    return answer, len(captured)


@pytest.mark.parametrize("form_shown", [True, False])
def test_the_office_is_what_the_model_choice_field_gave(
    fj_officer, ws_officer, suva, samoa, form_shown
):
    apia = Office.objects.create(administration=samoa, name="Apia", code="WSAPW", kind="seaport")
    inactive = User.objects.get(pk=fj_officer.pk)
    inactive.is_active = False
    values = [str(suva.pk), str(apia.pk), "abc", "5.5", " 7 ", "-1", "0", "9" * 30, ""]
    # Samoa first, so that Fiji's officer finds Samoa's statement written if it were shared.
    for user in (ws_officer, fj_officer, inactive, ws_officer):
        for value in values:
            answer, queries = _cleaned(user, value, form_shown=form_shown)
            expected, expected_queries = _as_model_choice_field_gives(user, value)
            assert (answer, queries) == (expected, expected_queries), (user, value)
    assert _cleaned(fj_officer, str(suva.pk), form_shown=form_shown)[0]["name"] == suva.name
    assert "office" in _cleaned(fj_officer, str(apia.pk), form_shown=form_shown)[0]
    assert fj_officer.administration_id in filters._OFFICE_STATEMENTS


def test_an_office_renamed_is_read_afresh(fj_officer, suva):
    assert _cleaned(fj_officer, str(suva.pk))[0]["name"] == suva.name
    Office.objects.filter(pk=suva.pk).update(name="Suva Wharf")
    assert _cleaned(fj_officer, str(suva.pk))[0]["name"] == "Suva Wharf"


def test_only_a_shown_form_offers_the_offices(fj_officer, suva):
    def offered(form_shown):
        filterset = SeizureFilterSet(
            {"office": str(suva.pk)},
            queryset=Seizure.objects.none(),
            request_user=fj_officer,
            form_shown=form_shown,
        )
        return list(filterset.form.fields["office"].queryset)

    assert suva in offered(form_shown=True)
    # The API's form looks the office up without its options, which stay the declared none.
    assert offered(form_shown=False) == []
