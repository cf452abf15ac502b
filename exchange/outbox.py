"""What approvals and withdrawals put in the outbox. Called by seizures.services inside the
transaction of the step itself: the entry exists if and only if the step committed."""

import hashlib

from django.utils import timezone

from ncen.tasking import enqueue

from .models import Destination, Message, OutboxEntry
from .payload import payload_bytes, seizure_payload, seizure_withdrawal_bytes
from .tasks import deliver_outbox


def _add(*, seizure, approval, message: str, destination: str, body: bytes) -> OutboxEntry:
    return OutboxEntry.objects.create(
        administration_id=seizure.administration_id,
        seizure=seizure,
        approval=approval,
        message=message,
        record_uuid=seizure.uuid,
        version=approval.number,
        destination=destination,
        payload=body,
        payload_sha256=hashlib.sha256(body).hexdigest(),
        next_attempt_at=timezone.now(),
    )


def _deliver_soon(*, by) -> None:
    enqueue(deliver_outbox, requested_by=by)


def outbox_add_approval(*, by, seizure, approval) -> list[OutboxEntry]:
    """One entry per destination of the approval's decision; none for a national-only one."""
    entries = [
        _add(
            seizure=seizure,
            approval=approval,
            message=Message.SEIZURE,
            destination=destination,
            body=payload_bytes(
                seizure_payload(inputs=approval.payload_inputs(), destination=destination)
            ),
        )
        for destination in approval.destinations
    ]
    if entries:
        _deliver_soon(by=by)
    return entries


def outbox_add_withdrawal(*, by, seizure, approval) -> list[OutboxEntry]:
    """Tell every destination that was sent the record to drop it: those of the last
    approval, and those of earlier ones (a record shared regionally, then approved again
    for national use only, is still held by the hub). The entries come after the
    approvals' in the outbox, so each destination gets them last."""
    sent_to = set(
        OutboxEntry.objects.filter(seizure=seizure, message=Message.SEIZURE).values_list(
            "destination", flat=True
        )
    )
    destinations = [
        destination
        for destination in Destination.values
        if destination in sent_to or destination in approval.destinations
    ]
    entries = [
        _add(
            seizure=seizure,
            approval=approval,
            message=Message.WITHDRAWAL,
            destination=destination,
            body=seizure_withdrawal_bytes(
                seizure=seizure, approval=approval, destination=destination
            ),
        )
        for destination in destinations
    ]
    if entries:
        _deliver_soon(by=by)
    return entries
