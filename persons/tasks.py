from django.db import OperationalError

from ncen.celery import app
from ncen.models import Administration
from ncen.tasking import TrackedTask

from . import services

# Both nightly tasks retry alike when the database is briefly out of reach.
_nightly = app.task(
    base=TrackedTask,
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    retry_jitter=True,
    max_retries=5,
)


@_nightly
def find_duplicates() -> dict:
    """Nightly: list each administration's likely duplicate persons and businesses for
    supervisors."""
    return {
        kind: {
            administration.code: services.duplicate_pairs_find(
                kind=kind, administration_id=administration.pk
            )
            for administration in Administration.objects.order_by("pk")
        }
        for kind in services.DEDUPLICATIONS
    }


@_nightly
def prune_person_names() -> dict:
    """Nightly: forget the names matching looks through that no person bears any more."""
    return {"pruned": services.person_names_prune()}
