"""The real thing: a Celery worker with beat, on the real Redis, delivers from this
instance's outbox to a hub running as a separate HTTP server on its own database, through
an outage of the hub."""

import pytest
from django.utils import timezone

from exchange import signing
from exchange.models import OutboxEntry
from exchange.tasks import deliver_outbox

from .conftest import approved, reapproved
from .live import Hub, Worker, wait_until


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
