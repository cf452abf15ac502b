"""The dashboard's rollup (analysis.models.SeizureCount), kept by PostgreSQL.

analysis_seizure_facts(seizure, time_zone) lists the rollup keys one seizure counts under,
with its day in the administration's time zone: every dimension once with commodity 0 (any
commodity), and again with each distinct commodity of commodity_ids. Arrays are unnested as
the dashboard's queries unnest them, so a value listed twice counts twice there and here.

Three statement-level triggers (PostgreSQL allows transition tables on one event per
trigger) add the facts of the rows a statement inserted, take away those of the rows it
deleted, and for an update both, so that an update that changes nothing counted (a status,
a version) writes nothing. Each applies its net changes in one INSERT ... ON CONFLICT DO
UPDATE in key order: two transactions counting the same key wait for each other rather
than lose a count, and every statement takes its row locks in the same order.

A change of an administration's time zone marks its rollup outdated (its days are the old
zone's) until rebuild_seizure_counts fills it again.
"""

import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models

FACTS = """
CREATE FUNCTION analysis_seizure_facts(s seizures_seizure, time_zone text)
RETURNS TABLE (
    administration_id bigint, dimension text, commodity_id bigint, day date,
    office_id bigint, value text
)
LANGUAGE sql STABLE AS $$
    SELECT s.administration_id, d.dimension, f.commodity_id,
           (s.occurred_at AT TIME ZONE time_zone)::date, s.office_id, d.value
    FROM (SELECT 0::bigint UNION SELECT unnest(s.commodity_ids)) AS f(commodity_id)
    CROSS JOIN (
        VALUES ('total', ''),
               ('detection_method', coalesce(s.detection_method_id::text, '')),
               ('transport_mode', coalesce(s.transport_mode_id::text, '')),
               ('concealment_method', coalesce(s.concealment_method_id::text, ''))
        UNION ALL
        SELECT 'origin', s.origin_country WHERE s.origin_country <> ''
        UNION ALL
        SELECT 'route', s.origin_country || s.destination_country
        WHERE s.origin_country <> '' AND s.destination_country <> ''
        UNION ALL
        SELECT 'route_country', c FROM unnest(s.route_countries) AS c
        UNION ALL
        SELECT 'commodity', c::text FROM unnest(s.commodity_ids) AS c
    ) AS d(dimension, value)
$$
"""

KEY = "administration_id, dimension, commodity_id, day, office_id, value"


def _facts(table: str, n: int) -> str:
    return (
        f"SELECT f.*, {n} AS n FROM {table} AS r "  # noqa: S608 - constant SQL
        "JOIN ncen_administration AS a ON a.id = r.administration_id "
        "CROSS JOIN LATERAL analysis_seizure_facts(r::seizures_seizure, a.time_zone) AS f"
    )


def _apply(facts: str) -> str:
    """The statement adding the net counts of ``facts`` (each with n = 1 or -1)."""
    return f"""
        INSERT INTO analysis_seizurecount AS c ({KEY}, count)
        SELECT {KEY}, sum(n) FROM ({facts}) AS facts
        GROUP BY {KEY} HAVING sum(n) <> 0
        ORDER BY {KEY}
        ON CONFLICT ({KEY}) DO UPDATE SET count = c.count + EXCLUDED.count;
    """  # noqa: S608 - constant SQL


CHANGE = f"""
CREATE FUNCTION analysis_seizure_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_apply(_facts("new_rows", 1))}
    ELSIF TG_OP = 'DELETE' THEN
        {_apply(_facts("old_rows", -1))}
    ELSE
        {_apply(_facts("new_rows", 1) + " UNION ALL " + _facts("old_rows", -1))}
    END IF;
    RETURN NULL;
END
$$
"""

TRIGGERS = [
    f"CREATE TRIGGER analysis_seizure_counts_{event} AFTER {event.upper()} ON seizures_seizure "
    f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION analysis_seizure_counts_change()"
    for event, tables in (
        ("insert", "NEW TABLE AS new_rows"),
        ("update", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("delete", "OLD TABLE AS old_rows"),
    )
]

OUTDATED = """
CREATE FUNCTION analysis_counts_outdated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analysis_countsoutdated (administration_id) VALUES (NEW.id)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER analysis_counts_outdated AFTER UPDATE OF time_zone ON ncen_administration
FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
EXECUTE FUNCTION analysis_counts_outdated();
"""

# analysis.counts.COUNTED for every administration, frozen here.
FILL = f"""
INSERT INTO analysis_seizurecount ({KEY}, count)
SELECT {KEY}, count(*) FROM (
    SELECT f.* FROM seizures_seizure AS s
    JOIN ncen_administration AS a ON a.id = s.administration_id
    CROSS JOIN LATERAL analysis_seizure_facts(s, a.time_zone) AS f
) AS facts
GROUP BY {KEY}
"""  # noqa: S608 - constant SQL

DROP = [
    "DROP TRIGGER analysis_counts_outdated ON ncen_administration",
    "DROP FUNCTION analysis_counts_outdated()",
    *(
        f"DROP TRIGGER analysis_seizure_counts_{event} ON seizures_seizure"
        for event in ("insert", "update", "delete")
    ),
    "DROP FUNCTION analysis_seizure_counts_change()",
    "DROP FUNCTION analysis_seizure_facts(seizures_seizure, text)",
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ncen", "0003_notification"),
        ("seizures", "0006_search_vector_statistics"),
    ]

    operations = [
        migrations.CreateModel(
            name="CountsOutdated",
            fields=[
                (
                    "administration",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="ncen.administration",
                    ),
                ),
                (
                    "since",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
            ],
        ),
        migrations.CreateModel(
            name="SeizureCount",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "administration",
                        "dimension",
                        "commodity_id",
                        "day",
                        "office",
                        "value",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("dimension", models.CharField(max_length=24)),
                ("commodity_id", models.BigIntegerField()),
                ("day", models.DateField()),
                ("value", models.CharField(max_length=8)),
                ("count", models.IntegerField()),
                (
                    "administration",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ncen.administration",
                    ),
                ),
                (
                    "office",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ncen.office",
                    ),
                ),
            ],
        ),
        migrations.RunSQL(
            sql=[FACTS, CHANGE, *TRIGGERS, OUTDATED, FILL],
            reverse_sql=DROP,
        ),
    ]
