"""The seizure filters validate every code filter of a request with one query and offer the
four code lists of the form with one, reading codes afresh for each form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext as _

from ncen.models import User
from seizures import filters
from seizures.filters import SeizureFilterSet
from seizures.models import Code, Seizure

from ..factories import code

pytestmark = pytest.mark.django_db


def _filterset(user, data) -> SeizureFilterSet:
    return SeizureFilterSet(data, queryset=Seizure.objects.none(), request_user=user)


def _own_code(administration, code_list, value, **fields) -> Code:
    return Code.objects.create(
        list=code_list, code=value, label=value.title(), administration=administration, **fields
    )


def test_all_code_filters_are_validated_with_one_query(fj_officer):
    data = {
        "commodity": str(code("commodity", "cocaine").pk),
        "detection_method": str(code("detection_method", "detector_dog").pk),
        "transport_mode": str(code("transport_mode", "air_passenger").pk),
    }
    with CaptureQueriesContext(connection) as captured:
        filterset = _filterset(fj_officer, data)
        assert filterset.is_valid(), filterset.errors
    assert len(captured) == 1
    assert filterset.form.cleaned_data["commodity"] == code("commodity", "cocaine")


def test_no_code_filter_no_query(fj_officer):
    with CaptureQueriesContext(connection) as captured:
        assert _filterset(fj_officer, {"route_country": "NZ"}).is_valid()
    assert len(captured) == 0


@pytest.mark.parametrize(
    "value", ["abc", "", "5.5", "99999999999999999999999", "-1", "\x00", "OTHER_LIST"]
)
def test_a_code_filter_refuses_what_it_refused(fj_officer, value):
    if value == "OTHER_LIST":
        value = str(code("transport_mode", "air_passenger").pk)
    filterset = _filterset(fj_officer, {"commodity": value})
    if value == "":
        assert filterset.is_valid()
        return
    assert not filterset.is_valid()
    assert filterset.errors["commodity"] == [
        "Null characters are not allowed."
        if value == "\x00"
        else "Select a valid choice. That choice is not one of the available choices."
    ]


def test_codes_are_those_the_user_sees_retired_ones_included(fj_officer, fiji, samoa):
    retired = _own_code(fiji, "commodity", "old_pills", is_retired=True)
    samoan = _own_code(samoa, "commodity", "kava")
    assert _filterset(fj_officer, {"commodity": str(retired.pk)}).is_valid()
    assert not _filterset(fj_officer, {"commodity": str(samoan.pk)}).is_valid()
    assert not _filterset(None, {"commodity": str(code("commodity", "cocaine").pk)}).is_valid()

    choices = dict(_filterset(fj_officer, None).form.fields["commodity"].choices)
    assert choices[retired.pk] == "Old_Pills"
    assert samoan.pk not in choices


def test_the_form_offers_the_four_lists_with_one_query_as_model_choices_did(fj_officer):
    names = ["commodity", "detection_method", "concealment_method", "transport_mode"]
    for language in ("en", "fr"):
        with translation.override(language):
            form = _filterset(fj_officer, None).form
            with CaptureQueriesContext(connection) as captured:
                offered = {name: list(form.fields[name].choices) for name in names}
            assert len(captured) == 1
            for name in names:
                visible = Code.objects.visible_to(fj_officer).filter(list=name)
                assert offered[name] == [("", _("Any"))] + [(c.pk, str(c)) for c in visible]


def test_codes_added_or_renamed_show_in_the_next_form(fj_officer, fiji):
    assert len(_filterset(fj_officer, None).form.fields["commodity"].choices) > 1
    added = _own_code(fiji, "commodity", "new_drug")
    cocaine = code("commodity", "cocaine")
    Code.objects.filter(pk=cocaine.pk).update(label="Cocaine (all forms)")
    # The English labels are those renamed: whatever language an earlier test left active.
    with translation.override("en"):
        choices = dict(_filterset(fj_officer, None).form.fields["commodity"].choices)
    assert choices[added.pk] == "New_Drug"
    assert choices[cocaine.pk] == "Cocaine (all forms)"
    assert _filterset(fj_officer, {"commodity": str(added.pk)}).is_valid()


def _fields(codes: dict[int, Code]) -> dict[int, dict]:
    return {
        pk: (vars(each) | {"_state": (each._state.db, each._state.adding)})
        for pk, each in codes.items()
    }


def test_the_named_codes_are_the_orms_look_up_of_the_visible_codes(
    fj_officer, fj_admin, ws_officer, fiji, samoa
):
    """The codes a form names are read by a statement written once for each administration
    and number of codes: they are what ``visible_to(user).in_bulk(keys)`` gives, whichever
    user made the statement first."""
    retired = _own_code(fiji, "commodity", "old_pills", is_retired=True)
    samoan = _own_code(samoa, "commodity", "kava")
    cocaine = code("commodity", "cocaine")
    dog = code("detection_method", "detector_dog")
    inactive = User.objects.get(pk=fj_admin.pk)
    inactive.is_active = False
    key_sets = [
        {cocaine.pk},
        {samoan.pk},
        {retired.pk, samoan.pk},
        {cocaine.pk, dog.pk, 10**30},
        {retired.pk, samoan.pk, cocaine.pk, dog.pk},
        {0, -1},
    ]
    for user in (ws_officer, fj_officer, fj_admin, ws_officer, inactive):
        for keys in key_sets:
            with CaptureQueriesContext(connection) as captured:
                named = filters._visible_codes(user, keys)
            expected = Code.objects.visible_to(user).in_bulk(keys)
            assert _fields(named) == _fields(expected), (user, keys)
            assert len(captured) == (1 if user.is_active else 0)
    assert samoan.pk in filters._visible_codes(ws_officer, {samoan.pk, retired.pk})
    assert samoan.pk not in filters._visible_codes(fj_officer, {samoan.pk, retired.pk})


def test_each_request_reads_codes_renamed_since(fj_officer, fiji):
    own = _own_code(fiji, "commodity", "pills")
    assert _filterset(fj_officer, {"commodity": str(own.pk)}).is_valid()
    Code.objects.filter(pk=own.pk).update(label="Tablets", list="unit")
    assert not _filterset(fj_officer, {"commodity": str(own.pk)}).is_valid()
    Code.objects.filter(pk=own.pk).update(list="commodity")
    filterset = _filterset(fj_officer, {"commodity": str(own.pk)})
    assert filterset.is_valid()
    assert filterset.form.cleaned_data["commodity"].label == "Tablets"
