from django.db import models


class SharingPolicyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Users of an administration see its policy (supervisors start from its defaults);
        only its administrators change it (see services)."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(administration_id=user.administration_id)
