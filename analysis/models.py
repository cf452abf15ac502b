"""The dashboard's rollup: seizures counted per administration, local day, office and value
of each dimension the aggregates group by, so that a figure over a million seizures reads a
few thousand rows (see analysis.counts).

PostgreSQL keeps the rollup itself: statement-level triggers on seizures_seizure note what a
statement inserted, and take away what it deleted or changed, in the writer's transaction,
whichever path wrote the rows (the services, their bulk COPY, generate_data, the Django
admin). They append those changes to SeizureCountChange, which readers add to the rollup
and analysis.counts.compact folds into it (see analysis.counts). Migration 0001 defines the
triggers and fills the rollup, 0003 makes them append; the command rebuild_seizure_counts
fills the rollup again.
"""

from django.db import models
from django.db.models.functions import Now

from ncen.models import Administration, Office


class CountKey(models.Model):
    """A count of seizures under one key of the rollup. No foreign-key checks: the triggers
    write these rows on every seizure write, and a count is of rows that exist already."""

    administration = models.ForeignKey(
        Administration,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    dimension = models.CharField(max_length=24)
    commodity_id = models.BigIntegerField()
    day = models.DateField()
    office = models.ForeignKey(
        Office, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    value = models.CharField(max_length=8)
    count = models.IntegerField()

    class Meta:
        abstract = True


class SeizureCount(CountKey):
    """How many seizures of ``administration`` that occurred on local ``day`` at ``office``
    (and, when ``commodity_id`` is not 0, have an item of that commodity or of one of its
    sub-commodities) have ``value`` for ``dimension``. Dimensions: ``total`` (value ''),
    ``detection_method``, ``transport_mode``, ``concealment_method`` (the code's id, ''
    when none is recorded), ``commodity`` (each entry of commodity_ids), ``origin`` (the
    country of origin, when recorded), ``route`` (origin and destination, four letters,
    when both are recorded) and ``route_country`` (each entry of route_countries)."""

    pk = models.CompositePrimaryKey(
        "administration", "dimension", "commodity_id", "day", "office", "value"
    )

    class Meta:
        indexes = [
            # The commodity split asks for a few values (the groups) of many: 68,000 rows
            # read from the index alone instead of 261,000 (410 to 55 ms at a million).
            models.Index(
                fields=["administration", "commodity_id", "value", "day"],
                include=["count"],
                condition=models.Q(dimension="commodity"),
                name="seizurecount_commodity_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value}: {self.count}"


class SeizureCountChange(CountKey):
    """A change of SeizureCount's row of the same key, by ``count`` seizures (negative for
    seizures deleted or no longer counted there), not yet folded into it. The triggers
    append one row per key a statement changed; nothing is unique here, so that writers
    never wait for each other on a count (nor deadlock), and a key may have several rows
    until analysis.counts.compact folds them all into the rollup."""

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value}: {self.count:+d}"


class CountsOutdated(models.Model):
    """The administration's time zone changed since its rollup was filled: its days are the
    old zone's. The figures read its seizures until rebuild_seizure_counts has run. A trigger
    on ncen_administration adds the row."""

    administration = models.OneToOneField(
        Administration, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    since = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return f"{self.administration_id} since {self.since}"
