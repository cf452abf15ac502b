from django.db import models

from ncen.querysets import is_active_user


class SharingPolicyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Users of an administration see its policy (supervisors start from its defaults);
        only its administrators change it (see services)."""
        if not is_active_user(user):
            return self.none()
        return self.filter(administration_id=user.administration_id)


class OutboxEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An administration's outbox is its own: its users see the delivery of the records
        they see (through the seizure), its administrators the whole queue."""
        if not is_active_user(user):
            return self.none()
        return self.filter(administration_id=user.administration_id)


def is_regional_analyst(user) -> bool:
    """What every member shared with the region is the hub's regional analysts' to read,
    and nobody else's: not the hub's administrators, not the members' users."""
    from ncen.models import Role

    return (
        is_active_user(user) and user.role == Role.REGIONAL_ANALYST and user.administration.is_hub
    )


class RegionalRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if is_regional_analyst(user) else self.none()


# Who reads a received record, by its handling code. Every code keeps a record within
# the intelligence staff (officers and supervisors) of the administration that received
# it; administrators manage the instance and read no intelligence. "Other restriction" is
# a sentence that needs a judgement before officers see the record: supervisors only.
HANDLING_READERS = {
    "intelligence_only": frozenset({"officer", "supervisor"}),
    "not_for_court": frozenset({"officer", "supervisor"}),
    "no_onward_sharing": frozenset({"officer", "supervisor"}),
    "other": frozenset({"supervisor"}),
}


class ReceivedRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The records other members shared that this user's administration received,
        narrowed by each record's handling code (HANDLING_READERS)."""
        if not is_active_user(user):
            return self.none()
        codes = [code for code, roles in HANDLING_READERS.items() if user.role in roles]
        return self.filter(administration_id=user.administration_id, handling_code__in=codes)
