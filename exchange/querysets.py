from django.db import models


class SharingPolicyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Users of an administration see its policy (supervisors start from its defaults);
        only its administrators change it (see services)."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(administration_id=user.administration_id)


class OutboxEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An administration's outbox is its own: its users see the delivery of the records
        they see (through the seizure), its administrators the whole queue."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(administration_id=user.administration_id)
