"""Finer statistics for the search vector, so that a rare word is not searched by walking
every seizure.

PostgreSQL estimates a word missing from the column's most common lexemes at half the
frequency of the least common one it kept. With the default statistics target (100) that
was 1,450 rows at a million seizures for a container number that one seizure holds: the
planner then walked seizure_list_idx newest first looking for 50 matches and read the whole
table, 1 s (bench/README.md, "What EXPLAIN showed"). With a target of 2,000 it keeps twenty
times as many lexemes, estimates such a word at 73 rows and reads it through the GIN index:
0.2 ms. Common words are still estimated from their own frequency and walked newest first
(10-15 ms). ANALYZE of that column takes about 5 s at a million seizures.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("seizures", "0005_approval")]

    operations = [
        migrations.RunSQL(
            sql=[
                "ALTER TABLE seizures_seizure ALTER COLUMN search_vector SET STATISTICS 2000",
                "ANALYZE seizures_seizure (search_vector)",
            ],
            reverse_sql=[
                "ALTER TABLE seizures_seizure ALTER COLUMN search_vector SET STATISTICS -1",
                "ANALYZE seizures_seizure (search_vector)",
            ],
        )
    ]
