"""The visibility choke point of seizures and everything hanging from them."""

from django.db import models
from django.db.models import Q

from ncen.querysets import is_active_user


class SeizureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user sees their own administration's seizures and no other's."""
        if not is_active_user(user):
            return self.none()
        return self.filter(administration_id=user.administration_id)

    # Both leave out the search vector: it is searched, never shown, and it is the widest
    # column (680 bytes a row on average).
    def with_list_relations(self):
        return (
            self.defer("search_vector")
            .select_related("office", "detection_method", "transport_mode", "concealment_method")
            .prefetch_related(
                models.Prefetch("items", queryset=_items_with_codes()),
            )
        )

    def list_rows(self):
        """What ``with_list_relations`` loads, as plain rows (dicts) with the office and codes
        joined: a page of the API's list is built from these in a few milliseconds, where
        model instances and nested serializers took five times that (bench/README.md).
        Their items come from ``selectors.seizure_list_items``; ``SeizureListOutput.from_rows``
        shapes both."""
        return self.values(*LIST_COLUMNS)

    def with_detail_relations(self):
        from persons.models import CaseLink

        from .models import Offence

        return (
            self.defer("search_vector")
            .select_related(
                "office",
                "location_type",
                "procedure",
                "detection_method",
                "transport_mode",
                "concealment_method",
                "created_by",
                "updated_by",
                "administration",
                "last_approval__approved_by",
            )
            .prefetch_related(
                models.Prefetch("items", queryset=_items_with_codes()),
                models.Prefetch(
                    "offences", queryset=Offence.objects.select_related("offence_type", "status")
                ),
                "attachments",
                # The persons and businesses of the case, for its payload
                # (seizures.snapshots.nominal_inputs): one query, however many, and one
                # more for the persons' documents when the case has persons.
                models.Prefetch(
                    "case_links",
                    queryset=CaseLink.objects.filter(conveyance__isnull=True)
                    .select_related("person", "business")
                    .prefetch_related("person__documents")
                    .order_by("id"),
                    to_attr="nominal_links",
                ),
            )
        )

    def review_queue(self):
        """Submitted records, the longest waiting first."""
        from .models import Seizure

        return self.filter(status=Seizure.Status.SUBMITTED).order_by("submitted_at", "id")


# The columns of a plain row's code, by relation: its id, code and labels (English, French).
CODE_COLUMNS = {
    relation: tuple(f"{relation}__{column}" for column in ("id", "code", "label", "label_fr"))
    for relation in (
        "detection_method",
        "transport_mode",
        "concealment_method",
        "commodity",
        "commodity__parent",
        "unit",
    )
}


def _code_columns(*relations: str) -> tuple[str, ...]:
    return tuple(column for relation in relations for column in CODE_COLUMNS[relation])


LIST_COLUMNS = (
    "id",
    "uuid",
    "reference",
    "status",
    "version",
    "occurred_at",
    "office__id",
    "office__name",
    "office__code",
    "office__kind",
    *_code_columns("detection_method", "transport_mode", "concealment_method"),
    "flight_number",
    "vessel_name",
    "vessel_imo",
    "container_number",
    "vehicle_registration",
    "origin_country",
    "departure_country",
    "transit_countries",
    "destination_country",
    "narrative",
    "created_at",
    "updated_at",
)
ITEM_COLUMNS = (
    "seizure_id",
    "id",
    "position",
    *_code_columns("commodity", "commodity__parent", "unit"),
    "description",
    "quantity",
    "estimated_value",
    "currency",
    "species",
    "cites_appendix",
)


def _items_with_codes():
    from .models import Item

    return Item.objects.select_related("commodity", "commodity__parent", "unit")


class OffenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not is_active_user(user):
            return self.none()
        return self.filter(seizure__administration_id=user.administration_id)


class CodeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Shipped entries and the user's administration's own, retired ones included (old
        records still show them)."""
        if not is_active_user(user):
            return self.none()
        return self.filter(
            Q(administration__isnull=True) | Q(administration_id=user.administration_id)
        )

    def offered_to(self, user, *, keeping=()):
        """What a record may use: visible and not retired, except the entries it already
        uses (``keeping``, see Seizure.code_ids_in_use), which stay valid once retired."""
        return self.visible_to(user).filter(Q(is_retired=False) | Q(pk__in=keeping))


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Attachments of the seizures ``user`` may see."""
        from .models import Seizure

        return self.filter(seizure__in=Seizure.objects.visible_to(user))
