"""The rollup's triggers append their changes to analysis_seizurecountchange instead of
adding them to analysis_seizurecount (see analysis.counts): an INSERT ... ON CONFLICT DO
UPDATE of some 7.5 rows of a table of millions per seizure cost a bulk import most of its
time, and made writers of the same days' counts wait for each other. Reversed, the
uncompacted changes are folded into the rollup before the triggers add to it again."""

import importlib

import django.db.models.deletion
from django.db import migrations, models

initial = importlib.import_module("analysis.migrations.0001_seizure_counts")
KEY = initial.KEY


def _append(facts: str) -> str:
    """The statement appending the net counts of ``facts`` (each with n = 1 or -1)."""
    return f"""
        INSERT INTO analysis_seizurecountchange ({KEY}, count)
        SELECT {KEY}, sum(n) FROM ({facts}) AS facts
        GROUP BY {KEY} HAVING sum(n) <> 0;
    """  # noqa: S608 - constant SQL


APPEND = f"""
CREATE OR REPLACE FUNCTION analysis_seizure_counts_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_append(initial._facts("new_rows", 1))}
    ELSIF TG_OP = 'DELETE' THEN
        {_append(initial._facts("old_rows", -1))}
    ELSE
        {_append(initial._facts("new_rows", 1) + " UNION ALL " + initial._facts("old_rows", -1))}
    END IF;
    RETURN NULL;
END
$$
"""

# analysis.counts.compact, frozen here.
FOLD = f"""
WITH folded AS (DELETE FROM analysis_seizurecountchange RETURNING {KEY}, count)
INSERT INTO analysis_seizurecount AS c ({KEY}, count)
SELECT {KEY}, sum(count) FROM folded
GROUP BY {KEY} HAVING sum(count) <> 0
ORDER BY {KEY}
ON CONFLICT ({KEY}) DO UPDATE SET count = c.count + EXCLUDED.count
"""  # noqa: S608 - constant SQL

ADD = initial.CHANGE.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0002_commodity_split_index"),
        ("ncen", "0004_alter_notification_kind"),
    ]

    operations = [
        migrations.CreateModel(
            name="SeizureCountChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
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
        # Backwards, writers wait until the triggers add again: no change is left behind.
        migrations.RunSQL(
            sql=[APPEND],
            reverse_sql=["LOCK TABLE seizures_seizure IN SHARE MODE", FOLD, ADD],
        ),
    ]
