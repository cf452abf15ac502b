"""The rollup's compaction as Celery runs it: on beat's schedule, and on a real worker once a
bulk import commits."""

import pytest
from django.db import connection

from analysis.models import SeizureCountChange
from analysis.tasks import compact_seizure_counts
from ncen.celery import app

from ..celery_worker import wait_until, worker_for
from ..factories import make_seizures
from .test_counts import _compacted, _counted_again


def test_beat_compacts_the_rollup_every_minute():
    entry = app.conf.beat_schedule["analysis-compact-seizure-counts"]
    assert entry["task"] == "analysis.tasks.compact_seizure_counts"
    assert entry["schedule"] <= 60
    assert entry["task"] in app.tasks


@pytest.mark.django_db(transaction=True)
def test_a_worker_compacts_the_changes_once_a_bulk_create_commits(fj_officer, request, monkeypatch):
    vacuums = _vacuums()
    with worker_for(compact_seizure_counts, request, monkeypatch):
        make_seizures(by=fj_officer, count=5)
        wait_until(
            lambda: not SeizureCountChange.objects.exists(),
            timeout=60,
            what="the worker to compact the changes",
            state=lambda: f"{SeizureCountChange.objects.count()} changes",
        )
    assert _compacted() == _counted_again() != set()
    # And the rows it deleted were vacuumed, which readers would scan otherwise.
    wait_until(lambda: _vacuums() > vacuums, timeout=30, what="the changes' table to be vacuumed")


def _vacuums() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vacuum_count FROM pg_stat_user_tables "
            "WHERE relname = 'analysis_seizurecountchange'"
        )
        return cursor.fetchone()[0]
