"""Indexes for two filters of the seizure list that were slow at a million seizures.

EXPLAIN (ANALYZE, BUFFERS) on 1,000,000 generated seizures (bench/README.md):

- detection method with transport mode: the planner multiplies the two filters'
  selectivities, expects thousands of rows for a pair that has none (a detector dog on a
  yacht that no record has), walks seizure_list_idx newest first and filters the whole table:
  1.2 s for the first page. With this index the page is an index range scan (under 1 ms),
  and the paginator's COUNT(*) an index-only scan (650 ms down to 15 ms).
- office: the first page was already fast, but COUNT(*) of a busy office scanned the whole
  table (1.3 GB: the rows carry their search vector), 350 ms; index-only now, about 45 ms.
  It also serves office with a date range, the monthly figures of one port.

Both lead with administration_id, like seizure_list_idx, since every query of a national
instance is scoped to the user's administration. They are written in SQL rather than in
Seizure.Meta.indexes, to leave the model's state alone; to declare them there later, add
the same models.Index entries and a migration with state_operations only.

CONCURRENTLY: an instance that already holds its records keeps recording while they build.
"""

from django.db import migrations

INDEXES = {
    "seizure_office_list_idx": "(administration_id, office_id, occurred_at DESC, id DESC)",
    "seizure_detection_transport_idx": (
        "(administration_id, detection_method_id, transport_mode_id, occurred_at DESC, id DESC)"
    ),
}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("seizures", "0002_code_lists")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON seizures_seizure {columns}",
            reverse_sql=f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
