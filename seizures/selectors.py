"""Every read of seizures goes through ``visible_to``; filtering is the FilterSet's job."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ncen.models import AuditEntry

from .models import Code, Offence, Seizure


def seizure_list(*, user) -> QuerySet[Seizure]:
    return Seizure.objects.visible_to(user).with_list_relations()


def seizure_get(*, user, pk: int) -> Seizure:
    """The seizure if ``user`` may see it; 404 otherwise, so that other administrations'
    ids are not confirmed."""
    return get_object_or_404(Seizure.objects.visible_to(user).with_detail_relations(), pk=pk)


def seizure_history(*, seizure: Seizure) -> QuerySet[AuditEntry]:
    """The record's audit entries, oldest first (the caller has already seen the record)."""
    return AuditEntry.objects.filter(
        object_type=seizure._meta.label_lower, object_id=str(seizure.pk)
    ).order_by("sequence")


def offence_list(*, user) -> QuerySet[Offence]:
    return Offence.objects.visible_to(user).select_related("seizure", "offence_type", "status")


def code_list(*, user) -> QuerySet[Code]:
    return Code.objects.visible_to(user).select_related("parent").prefetch_related("units")
