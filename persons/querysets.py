"""The visibility choke point of nominal records: a user sees their own administration's
persons, businesses, conveyances and links, and no other's."""

from django.db import models

from ncen.querysets import is_active_user


class _OwnAdministration(models.QuerySet):
    def visible_to(self, user):
        if not is_active_user(user):
            return self.none()
        return self.filter(administration_id=user.administration_id)


class _MergeableQuerySet(_OwnAdministration):
    def current(self):
        """Records not merged into another."""
        return self.filter(merged_into__isnull=True)


class PersonQuerySet(_MergeableQuerySet):
    pass


class PersonNameQuerySet(_OwnAdministration):
    pass


class BusinessQuerySet(_MergeableQuerySet):
    pass


class ConveyanceQuerySet(_OwnAdministration):
    pass


class DuplicatePairQuerySet(_OwnAdministration):
    pass


class CaseLinkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Links of the seizures ``user`` may see (a link never crosses administrations:
        the services refuse it)."""
        if not is_active_user(user):
            return self.none()
        return self.filter(seizure__administration_id=user.administration_id)

    def with_targets(self):
        return self.select_related("seizure", "offence", "person", "business", "conveyance")
