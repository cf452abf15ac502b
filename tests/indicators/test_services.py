"""Creating and changing indicators: who may, what is refused, and the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators import services
from indicators.models import Indicator
from ncen.audit import Action
from ncen.models import AuditEntry

from ..factories import code
from .conftest import criteria, make_indicator

pytestmark = pytest.mark.django_db


def test_an_officer_saves_criteria_as_an_indicator_and_it_is_audited(fj_officer, fj_supervisor):
    indicator = make_indicator(
        by=fj_officer,
        recipients=[fj_officer, fj_supervisor],
        criteria={**criteria(), "route_country": "PE", "q": "  suitcase "},
    )
    assert indicator.owner == fj_officer
    assert indicator.is_active
    assert indicator.activated_at is not None
    # Stored in the search form's order, trimmed, as strings of the query parameters.
    assert list(indicator.criteria) == ["q", "commodity", "transport_mode", "route_country"]
    assert indicator.criteria["q"] == "suitcase"
    assert indicator.criteria["commodity"] == str(code("commodity", "cocaine").pk)
    entry = AuditEntry.objects.get(action=Action.INDICATOR_CREATED)
    assert (entry.actor, entry.object_id) == (fj_officer, str(indicator.pk))
    assert entry.after["recipients"] == sorted([fj_officer.pk, fj_supervisor.pk])
    assert entry.after["criteria"] == indicator.criteria


def test_a_route_country_criterion_may_name_several_countries(fj_officer):
    """As the search's: every country given must be on the route. One is kept as a string,
    several as a list, and said in words."""
    from indicators.criteria import criteria_lookups, criteria_words

    indicator = make_indicator(by=fj_officer, criteria={"route_country": [" PE", "AU "]})
    assert indicator.criteria == {"route_country": ["PE", "AU"]}
    single = make_indicator(by=fj_officer, name="Peru", criteria={"route_country": ["PE", ""]})
    assert single.criteria == {"route_country": "PE"}
    assert criteria_words(indicator.criteria, codes={}, offices={}) == [
        ("Route country", "Peru and Australia")
    ]
    assert criteria_lookups([indicator]) == ({}, {})


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"colour": "red"}, "colour: not a filter of seizures."),
        ({"ordering": "reference"}, "ordering: not a filter of seizures."),
        ({"commodity": "999999"}, "Commodity: Select a valid choice."),
        ({"occurred_from": "yesterday"}, "From: Enter a valid date."),
        ({"route_country": "XX"}, "Route country: Select a valid choice."),
        ({"commodity": ["1", "2"]}, "commodity: give one value."),
        ({"route_country": ["PE", ["AU"]]}, "route_country: give one value."),
        ({"route_country": ["PE", "XX"]}, "Route country: Select a valid choice."),
        ({}, "Choose at least one filter"),
        ({"route_country": []}, "Choose at least one filter"),
    ],
)
def test_invalid_criteria_are_refused_with_a_message_and_nothing_is_saved(fj_officer, bad, message):
    with pytest.raises(ValidationError) as refused:
        make_indicator(by=fj_officer, criteria=bad)
    assert any(m.startswith(message) for m in refused.value.message_dict["criteria"]), (
        refused.value.message_dict
    )
    assert not Indicator.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.INDICATOR_CREATED).exists()


def test_another_administrations_code_or_office_is_not_a_criterion(fj_officer, ws_officer):
    from seizures.models import Code, CodeList

    samoan = Code.objects.create(
        list=CodeList.COMMODITY,
        code="ws_only",
        label="Samoan entry",
        administration=ws_officer.administration,
        parent=code("commodity", "cocaine").parent,
    )
    with pytest.raises(ValidationError) as refused:
        make_indicator(by=fj_officer, criteria={"commodity": samoan.pk})
    assert refused.value.message_dict["criteria"][0].startswith("Commodity: Select a valid")


def test_recipients_must_be_active_users_of_the_administration(fj_officer, fj_admin, ws_officer):
    with pytest.raises(ValidationError) as refused:
        make_indicator(by=fj_officer, recipients=[fj_officer, ws_officer])
    assert "recipients" in refused.value.message_dict
    fj_admin.is_active = False
    fj_admin.save()
    with pytest.raises(ValidationError):
        make_indicator(by=fj_officer, recipients=[fj_admin])
    assert not Indicator.objects.exists()


def test_names_are_unique_per_administration_whatever_the_case(fj_officer, ws_officer):
    make_indicator(by=fj_officer, name="Meth by air")
    with pytest.raises(ValidationError) as refused:
        make_indicator(by=fj_officer, name="METH BY AIR")
    assert "name" in refused.value.message_dict
    make_indicator(by=ws_officer, name="Meth by air")  # another administration's is fine


def test_administrators_do_not_create_indicators(fj_admin):
    with pytest.raises(PermissionDenied):
        make_indicator(by=fj_admin)


def _update(indicator, *, by, **changes):
    values = {
        "name": indicator.name,
        "rationale": indicator.rationale,
        "criteria": indicator.criteria,
        "recipients": list(indicator.recipients.all()),
        "is_active": indicator.is_active,
        **changes,
    }
    return services.indicator_update(by=by, indicator=indicator, **values)


def test_only_the_owner_or_a_supervisor_changes_it(
    fj_officer, fj_supervisor, fj_admin, ws_supervisor
):
    from ..factories import UserFactory

    colleague = UserFactory(
        username="fj.colleague", administration=fj_officer.administration, role="officer"
    )
    indicator = make_indicator(by=fj_officer)
    for outsider in (colleague, fj_admin, ws_supervisor):
        with pytest.raises(PermissionDenied):
            _update(indicator, by=outsider, name="Taken over")
    renamed = _update(indicator, by=fj_officer, name="Cocaine, air passengers")
    changed = _update(renamed, by=fj_supervisor, is_active=False)
    assert changed.name == "Cocaine, air passengers"
    assert not changed.is_active
    actions = list(
        AuditEntry.objects.filter(object_type="indicators.indicator")
        .order_by("sequence")
        .values_list("action", "actor_username")
    )
    assert actions == [
        (Action.INDICATOR_CREATED, "fj.officer"),
        (Action.INDICATOR_UPDATED, "fj.officer"),
        (Action.INDICATOR_DEACTIVATED, "fj.supervisor"),
    ]
    entry = AuditEntry.objects.get(action=Action.INDICATOR_UPDATED)
    assert (entry.before["name"], entry.after["name"]) == (
        "Cocaine by air passengers",
        "Cocaine, air passengers",
    )


def test_reactivating_restarts_the_active_period(fj_officer):
    indicator = make_indicator(by=fj_officer)
    first = indicator.activated_at
    _update(indicator, by=fj_officer, is_active=False)
    again = _update(Indicator.objects.get(pk=indicator.pk), by=fj_officer, is_active=True)
    assert again.activated_at > first
    assert AuditEntry.objects.filter(action=Action.INDICATOR_REACTIVATED).count() == 1
