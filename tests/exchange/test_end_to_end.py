"""The real thing: a Celery worker with beat, on the real Redis, delivers from this
instance's outbox to a hub running as a separate HTTP server on its own database, through
an outage of the hub, and a thousand records through every kind of failure."""

import pytest
import redis
from django.db.models import Count, Min
from django.utils import timezone

from exchange import signing
from exchange.models import OutboxEntry
from exchange.tasks import deliver_outbox
from ncen.celery import app as celery_app
from seizures import services

from ..celery_worker import wait_until
from ..factories import decision, make_seizures
from .conftest import approved, reapproved
from .live import Hub, RedisServer, Worker


@pytest.fixture
def fj_keys(tmp_path):
    path = tmp_path / "fj.pem"
    return path, signing.public_key_text(signing.generate_private_key(path))


@pytest.fixture
def hub_server(transactional_db, fj_keys, tmp_path):
    hub = Hub(public_key=fj_keys[1], tmp_path=tmp_path)
    hub.start()
    yield hub
    hub.close()


@pytest.fixture
def national_worker(transactional_db, hub_server, fj_keys, tmp_path, monkeypatch):
    worker = Worker(hub=hub_server, key_file=fj_keys[0], tmp_path=tmp_path)
    send = deliver_outbox.apply_async
    monkeypatch.setattr(
        deliver_outbox, "apply_async", lambda **kwargs: send(queue=worker.queue, **kwargs)
    )
    worker.start()
    yield worker
    worker.stop()


def _entry(seizure, version) -> OutboxEntry:
    return OutboxEntry.objects.get(seizure=seizure, version=version, destination="regional")


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_to_a_live_hub_once_and_through_an_outage(
    hub_server, national_worker, fj_officer, fj_supervisor
):
    approval = approved(fj_officer, fj_supervisor)
    seizure = approval.seizure
    wait_until(
        lambda: _entry(seizure, 1).state == "acknowledged", timeout=30, what="version 1's answer"
    )
    stored = hub_server.query(
        "SELECT r.version, v.version, v.message FROM exchange_regionalrecord r"
        " JOIN exchange_regionalversion v ON v.record_id = r.id WHERE r.record_uuid = %s",
        seizure.uuid,
    )
    assert stored == [(1, 1, "seizure")]

    hub_server.stop()
    reapproved(seizure, fj_officer, fj_supervisor)
    failed = wait_until(
        lambda: (entry := _entry(seizure, 2)).attempts >= 1 and entry.last_error and entry,
        timeout=30,
        what="a failed attempt at version 2",
    )
    assert failed.state == "pending"
    assert "could not be reached" in failed.last_error
    assert failed.next_attempt_at <= timezone.now() + timezone.timedelta(seconds=3)

    hub_server.start()
    delivered = wait_until(
        lambda: (entry := _entry(seizure, 2)).state == "acknowledged" and entry,
        timeout=30,
        what="version 2 delivered after the hub came back",
    )
    # A first answer slower than the timeout (the machine is busy) is sent again and then
    # acknowledged as a duplicate: either way the hub holds each version once (below).
    assert delivered.outcome in {"accepted", "duplicate"}
    assert delivered.attempts >= 2
    stored = hub_server.query(
        "SELECT r.version, v.version, v.message FROM exchange_regionalrecord r"
        " JOIN exchange_regionalversion v ON v.record_id = r.id WHERE r.record_uuid = %s"
        " ORDER BY v.id",
        seizure.uuid,
    )
    assert stored == [(2, 1, "seizure"), (2, 2, "seizure")]
    assert hub_server.query("SELECT count(*) FROM exchange_regionalrecord") == [(1,)]


# The POST waits up to 5 seconds for the paused hub, long enough to kill the worker in it.
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_loses_and_duplicates_nothing(
    hub_server, national_worker, fj_officer, fj_supervisor
):
    """The hub hangs while the worker sends; the worker is killed with the batch on the
    wire; the hub then reads that batch. A new worker takes the abandoned claim back after
    its lease and sends it again: the hub answers duplicate and holds the record once."""
    hub_server.pause()
    seizure = approved(fj_officer, fj_supervisor).seizure
    wait_until(
        lambda: _entry(seizure, 1).state == "sending", timeout=30, what="the worker to claim"
    )
    # The claim comes before the request: kill the worker only once the whole batch (more
    # than its payload) waits in the paused hub's connection, or the hub never gets it.
    payload_size = len(_entry(seizure, 1).payload)
    wait_until(
        lambda: hub_server.bytes_waiting() > payload_size, timeout=30, what="the batch to arrive"
    )
    national_worker.kill()
    hub_server.resume()
    wait_until(
        lambda: hub_server.query("SELECT count(*) FROM exchange_regionalversion") == [(1,)],
        timeout=30,
        what="the hub to store the batch of the killed worker",
    )
    assert _entry(seizure, 1).state == "sending"  # nobody is left to hear the answer

    national_worker.start()
    entry = wait_until(
        lambda: (entry := _entry(seizure, 1)).state == "acknowledged" and entry,
        timeout=30,
        what="the new worker to send the abandoned entry again",
    )
    assert entry.outcome == "duplicate"
    assert hub_server.query("SELECT count(*) FROM exchange_regionalversion") == [(1,)]
    assert hub_server.query("SELECT count(*) FROM exchange_regionalrecord") == [(1,)]


@pytest.fixture
def national_redis(tmp_path):
    redis = RedisServer(tmp_path=tmp_path)
    redis.start()
    yield redis
    redis.stop()


def _approve_all(seizures, supervisor):
    for seizure in seizures:
        services.seizure_approve(
            by=supervisor, seizure=seizure, expected_version=seizure.version, decision=decision()
        )


def _count(**conditions) -> int:
    return OutboxEntry.objects.filter(destination="regional", **conditions).count()


def _states() -> dict:
    """The regional entries by state, and the soonest retry of those not acknowledged."""
    entries = OutboxEntry.objects.filter(destination="regional")
    return {
        **dict(entries.values_list("state").annotate(n=Count("pk")).order_by()),
        "next attempt": entries.exclude(state="acknowledged").aggregate(Min("next_attempt_at")),
    }


# About a minute: a thousand approvals through the service, while the worker delivers them.
@pytest.mark.django_db(transaction=True)
def test_a_thousand_records_reach_the_hub_once_through_kills_outages_and_a_lost_broker(
    hub_server, national_redis, fj_keys, tmp_path, monkeypatch, fj_officer, fj_supervisor
):
    """The national instance's broker is a Redis of the test's own. Its worker is killed
    with a batch on the wire, the hub is stopped and started again, and Redis is killed
    with delivery messages in it and started again empty: the beat sweep sends what those
    messages asked for. The hub ends with each record once, at the right version."""
    worker = Worker(
        hub=hub_server,
        key_file=fj_keys[0],
        tmp_path=tmp_path,
        redis_url=national_redis.url,
        NCEN_EXCHANGE_BATCH_SIZE="20",  # many batches, so that each disruption hits some
    )
    send = deliver_outbox.apply_async

    def send_to_worker(**kwargs):
        with celery_app.connection_for_write(national_redis.url) as broker:
            send(queue=worker.queue, connection=broker, **kwargs)

    monkeypatch.setattr(deliver_outbox, "apply_async", send_to_worker)
    submitted = [
        services.seizure_submit(by=fj_officer, seizure=seizure)
        for seizure in make_seizures(by=fj_officer, count=1000)
    ]
    chunks = [submitted[start : start + 100] for start in range(0, 1000, 100)]
    worker.start()
    try:
        for chunk in chunks[:2]:
            _approve_all(chunk, fj_supervisor)

        # Killed while the hub holds its batch, unanswered: the claim is taken back after
        # the lease, and the hub, which stored the batch once it could, answers duplicate.
        hub_server.pause()
        _approve_all(chunks[2], fj_supervisor)
        wait_until(lambda: _count(state="sending"), timeout=60, what="a claim")
        # Killed only once the whole batch (more than its payloads) waits in the paused
        # hub's connection: a request cut short would never reach the hub.
        claimed = sum(
            len(payload)
            for payload in OutboxEntry.objects.filter(state="sending").values_list(
                "payload", flat=True
            )
        )
        wait_until(
            lambda: hub_server.bytes_waiting() > claimed, timeout=60, what="a batch on the wire"
        )
        worker.kill()
        hub_server.resume()
        worker.start()

        for chunk in chunks[3:5]:
            _approve_all(chunk, fj_supervisor)
        hub_server.stop()
        _approve_all(chunks[5], fj_supervisor)
        wait_until(
            lambda: _count(last_error__contains="could not be reached"),
            timeout=60,
            what="a failed attempt while the hub is down",
        )
        hub_server.start()

        for chunk in chunks[6:8]:
            _approve_all(chunk, fj_supervisor)
        # The worker is down while chunk 8 is approved: its delivery messages wait in
        # Redis, which is then killed. Only the sweep can send those entries.
        worker.kill()
        _approve_all(chunks[8], fj_supervisor)
        with redis.Redis.from_url(national_redis.url) as broker:
            assert broker.llen(worker.queue) > 0  # delivery messages the kill will lose
        national_redis.kill()
        national_redis.start()
        worker.start()
        _approve_all(chunks[9], fj_supervisor)

        wait_until(
            lambda: _count(state="acknowledged") == 1000,
            timeout=180,
            what="all 1,000 entries to be acknowledged",
            state=_states,
        )
        assert _count() == 1000
        assert _count(outcome="duplicate") >= 1  # the killed worker's batch, sent again
        assert hub_server.query(
            "SELECT count(*), count(DISTINCT record_uuid), min(version), max(version)"
            " FROM exchange_regionalrecord"
        ) == [(1000, 1000, 1, 1)]
        assert hub_server.query(
            "SELECT count(*), count(DISTINCT (record_id, version, message))"
            " FROM exchange_regionalversion"
        ) == [(1000, 1000)]
        national = {str(s.uuid) for s in submitted}
        held = hub_server.query("SELECT record_uuid FROM exchange_regionalrecord")
        assert {str(uuid) for (uuid,) in held} == national

        edited = [reapproved(s, fj_officer, fj_supervisor).seizure for s in submitted[:10]]
        for seizure in edited[:5]:
            services.seizure_withdraw(by=fj_supervisor, seizure=seizure, reason="Wrong port.")
        wait_until(
            lambda: _count(state="acknowledged") == 1015,
            timeout=120,
            what="the new versions and the withdrawals to be acknowledged",
        )
    finally:
        worker.stop()
    for index, seizure in enumerate(edited):
        history = hub_server.query(
            "SELECT r.version, r.withdrawn_at IS NOT NULL, v.version, v.message"
            " FROM exchange_regionalrecord r JOIN exchange_regionalversion v"
            " ON v.record_id = r.id WHERE r.record_uuid = %s ORDER BY v.id",
            seizure.uuid,
        )
        withdrawn = index < 5
        expected = [(1, "seizure"), (2, "seizure")] + [(2, "withdrawal")] * withdrawn
        assert history == [(2, withdrawn, version, message) for version, message in expected]
    assert hub_server.query("SELECT count(*) FROM exchange_regionalrecord") == [(1000,)]
