"""The visibility choke point of indicators, their hits and alerts."""

from django.db import models

from ncen.querysets import is_active_user


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every user of an administration sees its indicators, and no other's."""
        if not is_active_user(user):
            return self.none()
        return self.filter(administration_id=user.administration_id)


class HitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Hits on the records ``user`` may see, of the indicators they may see."""
        from seizures.models import Seizure

        from .models import Indicator

        return self.filter(
            indicator__in=Indicator.objects.visible_to(user),
            seizure__in=Seizure.objects.visible_to(user),
        )


class AlertQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own alerts, and only while they may see the record (administrators see
        nobody else's either)."""
        from .models import Hit

        if not is_active_user(user):
            return self.none()
        return self.filter(recipient=user, hit__in=Hit.objects.visible_to(user))
