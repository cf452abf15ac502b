"""Background work with a real Celery worker on the real Redis."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ncen.models import Session, TaskRun
from ncen.tasking import enqueue
from ncen.tasks import clear_expired_sessions, deactivate_unused_accounts

from ..celery_worker import finished, own_queue, running_worker
from ..conftest import signed_in_client


@pytest.fixture
def worker(transactional_db, request):
    """A Celery worker on this test's database, with a queue of its own on the real Redis."""
    queue = own_queue(request)
    with running_worker(queue):
        yield queue


@pytest.mark.django_db(transaction=True)
def test_enqueued_task_runs_on_a_real_worker_and_leaves_a_status_row(worker, fj_admin, monkeypatch):
    sent = []
    send = deactivate_unused_accounts.apply_async

    def send_to_the_test_queue(**kwargs):
        sent.append(kwargs["task_id"])
        return send(queue=worker, **kwargs)

    monkeypatch.setattr(deactivate_unused_accounts, "apply_async", send_to_the_test_queue)
    with transaction.atomic():
        run = enqueue(deactivate_unused_accounts, requested_by=fj_admin)
        assert sent == []  # nothing leaves before the transaction commits
    assert sent == [str(run.pk)]
    finished(run)
    assert run.status == TaskRun.Status.SUCCEEDED, run.message
    assert run.attempts == 1
    assert run.result == {"warned": 0, "deactivated": 0}
    assert run.administration == fj_admin.administration


def test_celery_is_configured_for_json_and_late_acks():
    from ncen.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert "deactivate-unused-accounts" in app.conf.beat_schedule


@pytest.mark.django_db(transaction=True)
def test_expired_sessions_are_cleared_daily_on_a_real_worker(
    worker, fj_admin, fj_officer, monkeypatch
):
    expired = signed_in_client(fj_officer).cookies["sessionid"].value
    live = signed_in_client(fj_admin).cookies["sessionid"].value
    Session.objects.filter(session_key=expired).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    send = clear_expired_sessions.apply_async
    monkeypatch.setattr(
        clear_expired_sessions, "apply_async", lambda **kwargs: send(queue=worker, **kwargs)
    )
    run = enqueue(clear_expired_sessions, requested_by=fj_admin)
    finished(run)
    assert run.status == TaskRun.Status.SUCCEEDED, run.message
    assert run.result == {"deleted": 1}
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    # Scheduled by the task's own name: a misspelt path would schedule nothing.
    assert settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]["task"] == (
        clear_expired_sessions.name
    )
