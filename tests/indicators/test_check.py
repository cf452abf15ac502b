"""Checking new records against indicators: matches and misses, once only, the alerts and
their e-mails, and who sees the alerts."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from indicators import selectors, services
from indicators.models import Alert, Hit, IndicatorCheck
from indicators.tasks import check_seizure
from ncen.audit import Action
from ncen.models import AuditEntry, Notification, TaskRun
from ncen.tasks import email_notification
from seizures import services as seizure_services

from ..celery_worker import finished, worker_for
from ..factories import AdministrationFactory, code, make_seizure, submit_and_approve
from .conftest import criteria, make_indicator

pytestmark = pytest.mark.django_db


def _check(seizure, by) -> dict:
    return services.indicators_check(seizure_id=seizure.pk, actor_id=by.pk)


def test_a_matching_record_raises_one_hit_and_an_alert_to_each_recipient(
    fj_officer, fj_supervisor, django_capture_on_commit_callbacks
):
    indicator = make_indicator(by=fj_officer, recipients=[fj_officer, fj_supervisor])
    other = make_indicator(
        by=fj_officer,
        name="Body packers",
        criteria=criteria(concealment_method=code("concealment_method", "on_body").pk),
    )
    seizure = make_seizure(by=fj_officer)  # cocaine, air passenger, in baggage

    with django_capture_on_commit_callbacks():
        outcome = _check(seizure, fj_officer)

    assert outcome == {"checked": 2, "matched": [indicator.pk], "new_hits": [indicator.pk]}
    assert IndicatorCheck.objects.filter(seizure=seizure).count() == 2  # both checked
    hit = Hit.objects.get()
    assert (hit.indicator, hit.seizure) == (indicator, seizure)
    assert not other.hits.exists()
    alerts = Alert.objects.select_related("notification").order_by("recipient__username")
    assert [a.recipient for a in alerts] == [fj_officer, fj_supervisor]
    notification = alerts[0].notification
    assert (notification.kind, notification.subject, notification.comment) == (
        Notification.Kind.INDICATOR_HIT,
        seizure.reference,
        indicator.name,
    )
    assert notification.link == f"/seizures/{seizure.pk}/"
    entry = AuditEntry.objects.get(action=Action.INDICATOR_HIT)
    assert entry.after == {"indicator": indicator.pk, "seizure": seizure.pk}
    assert entry.administration_id == seizure.administration_id


def test_the_alert_is_emailed_to_each_recipient(
    fj_officer, fj_supervisor, settings, django_capture_on_commit_callbacks
):
    make_indicator(by=fj_officer, recipients=[fj_supervisor])
    seizure = make_seizure(by=fj_officer)
    _check(seizure, fj_officer)
    notification = Notification.objects.get(kind=Notification.Kind.INDICATOR_HIT)
    # What the e-mail task, queued with the alert, does on a worker.
    with django_capture_on_commit_callbacks(execute=True):
        email_notification.run(notification_id=notification.pk)
    (message,) = mail.outbox
    assert message.to == [fj_supervisor.email]
    assert message.subject == f"Risk indicator alert: seizure {seizure.reference}"
    assert "matches the risk indicator “Cocaine by air passengers”" in message.body
    assert f"{settings.NCEN_SITE_URL}/seizures/{seizure.pk}/" in message.body


def test_a_record_that_does_not_match_raises_nothing(fj_officer):
    make_indicator(by=fj_officer, criteria=criteria(route_country="NZ"))
    seizure = make_seizure(by=fj_officer)  # PE → AU → FJ
    assert _check(seizure, fj_officer)["matched"] == []
    assert IndicatorCheck.objects.count() == 1
    assert not Hit.objects.exists()
    assert not Notification.objects.exists()


def test_matching_means_what_the_search_means(fj_officer):
    """Text, dates in the administration's time zone and either level of the commodity."""
    seizure = make_seizure(by=fj_officer)
    day = seizure.occurred_at.astimezone(ZoneInfo("Pacific/Fiji")).date()
    drugs = code("commodity", "cocaine").parent
    matching = [
        {"q": "suitcase lining"},
        {"commodity": drugs.pk},
        {"occurred_from": day.isoformat(), "occurred_to": day.isoformat()},
        {"route_country": "AU", "office": fj_officer.office_id},
        {"route_country": ["PE", "AU"]},
    ]
    missing = [
        {"q": "container"},
        {"occurred_from": (day + timedelta(days=1)).isoformat()},
        {"status": "approved"},
        {"route_country": ["PE", "NZ"]},
    ]
    for n, values in enumerate(matching + missing):
        make_indicator(by=fj_officer, name=f"Indicator {n}", criteria=values)
    outcome = _check(seizure, fj_officer)
    names = sorted(Hit.objects.values_list("indicator__name", flat=True))
    assert names == [f"Indicator {n}" for n in range(len(matching))], outcome


def test_a_second_check_adds_no_hit_and_no_alert(fj_officer, fj_supervisor):
    """A retried task, or the approval after the submission, finds the record's hits."""
    make_indicator(by=fj_officer, recipients=[fj_officer, fj_supervisor])
    seizure = make_seizure(by=fj_officer)
    first = _check(seizure, fj_officer)
    again = _check(seizure, fj_officer)
    assert first["new_hits"]
    assert again["new_hits"] == []
    assert again["matched"] == first["matched"]
    assert Hit.objects.count() == 1
    assert IndicatorCheck.objects.count() == 1
    assert Alert.objects.count() == Notification.objects.count() == 2
    assert TaskRun.objects.filter(name=email_notification.name).count() == 2
    assert AuditEntry.objects.filter(action=Action.INDICATOR_HIT).count() == 1


def test_inactive_indicators_and_other_administrations_are_not_checked(fj_officer, ws_officer):
    indicator = make_indicator(by=fj_officer)
    make_indicator(by=ws_officer)
    services.indicator_update(
        by=fj_officer,
        indicator=indicator,
        name=indicator.name,
        rationale=indicator.rationale,
        criteria=indicator.criteria,
        recipients=[fj_officer],
        is_active=False,
    )
    seizure = make_seizure(by=fj_officer)
    assert _check(seizure, fj_officer) == {"checked": 0, "matched": [], "new_hits": []}


@pytest.mark.django_db(transaction=True)
def test_submitting_and_approving_have_a_worker_check_the_record(
    fj_officer, fj_supervisor, fj_second_supervisor, request, monkeypatch
):
    def runs():
        return list(TaskRun.objects.filter(name=check_seizure.name).order_by("created_at"))

    with worker_for(check_seizure, request, monkeypatch):
        seizure = make_seizure(by=fj_officer)
        # No active indicator: nothing is queued.
        seizure_services.seizure_submit(by=fj_officer, seizure=seizure)
        assert runs() == []
        seizure_services.seizure_return(
            by=fj_supervisor, seizure=seizure, comment="Add the flight."
        )
        indicator = make_indicator(by=fj_officer)
        submit_and_approve(seizure, by=fj_officer, approver=fj_second_supervisor)
        # Both queued when submitting and approving committed.
        assert len(runs()) == 2
        checked = [finished(run) for run in runs()]
    assert all(run.status == TaskRun.Status.SUCCEEDED for run in checked), [
        (run.status, run.message) for run in checked
    ]

    assert [run.arguments for run in checked] == [
        {"seizure_id": seizure.pk, "actor_id": fj_officer.pk},
        {"seizure_id": seizure.pk, "actor_id": fj_second_supervisor.pk},
    ]
    assert {run.administration for run in checked} == {fj_officer.administration}
    # Submitting raised the hit; approving checked the record again and raised nothing more.
    assert [run.result for run in checked] == [
        {"checked": 1, "matched": [indicator.pk], "new_hits": [indicator.pk]},
        {"checked": 1, "matched": [indicator.pk], "new_hits": []},
    ]
    assert Hit.objects.get().seizure == seizure
    assert AuditEntry.objects.get(action=Action.INDICATOR_HIT).after == {
        "indicator": indicator.pk,
        "seizure": seizure.pk,
    }


def test_a_check_of_a_record_gone_or_by_a_user_gone_is_skipped(fj_officer):
    make_indicator(by=fj_officer)
    seizure = make_seizure(by=fj_officer)
    assert services.indicators_check(seizure_id=seizure.pk + 1000, actor_id=fj_officer.pk) == {
        "skipped": "seizure gone"
    }
    fj_officer.is_active = False
    fj_officer.save()
    assert _check(seizure, fj_officer) == {"skipped": "user gone"}


def test_an_alert_is_seen_by_its_recipient_only_and_while_they_see_the_record(
    fj_officer, fj_supervisor, fj_admin
):
    make_indicator(by=fj_officer, recipients=[fj_supervisor])
    seizure = make_seizure(by=fj_officer)
    _check(seizure, fj_officer)
    assert selectors.alert_list(user=fj_supervisor).count() == 1
    assert selectors.alert_list(user=fj_officer).count() == 0
    assert selectors.alert_list(user=fj_admin).count() == 0
    # Were the record moved out of the recipient's sight, the alert would go with it.
    samoa = AdministrationFactory(code="WS")
    type(seizure).objects.filter(pk=seizure.pk).update(administration=samoa)
    assert selectors.alert_list(user=fj_supervisor).count() == 0


def test_marking_read_marks_the_notification_too(fj_officer, fj_supervisor):
    make_indicator(by=fj_officer, recipients=[fj_officer, fj_supervisor])
    first, second = make_seizure(by=fj_officer), make_seizure(by=fj_officer)
    _check(first, fj_officer)
    _check(second, fj_officer)
    mine = list(selectors.alert_list(user=fj_supervisor))
    assert services.alerts_mark_read(user=fj_supervisor, alert_ids=[mine[0].pk]) == 1
    # Someone else's alert is not theirs to mark.
    officers = selectors.alert_list(user=fj_officer).first()
    assert services.alerts_mark_read(user=fj_supervisor, alert_ids=[officers.pk]) == 0
    assert services.alerts_mark_read(user=fj_supervisor) == 1
    assert not Notification.objects.filter(recipient=fj_supervisor, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=fj_officer, read_at__isnull=True).count() == 2
