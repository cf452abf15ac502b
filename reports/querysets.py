"""The visibility choke point of reports."""

from django.db import models

from ncen.querysets import is_active_user


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A report is its requester's alone: it holds what that user may see (nominal data
        only for those who may take it out of the system), so a colleague, an administrator
        included, makes their own rather than reading someone else's."""
        if not is_active_user(user):
            return self.none()
        return self.filter(administration_id=user.administration_id, requested_by=user)
