"""seizure_list_idx carries commodity_ids and route_countries.

The list's paginator counts at most 1,001 matches (ncen.paginator.CappedPaginator). For a
commodity since a date, PostgreSQL found them with a sequential scan of the 1.3 GB table
in physical order, up to 360 ms at a million seizures; with the arrays in the index it
walks the date range newest first without visiting the table (Index Only Scan, Heap
Fetches: 0): 15 ms. The route-country count goes the same way. bench/README.md has the
figures.

CONCURRENTLY: an instance that already holds its records keeps recording while it builds.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("seizures", "0003_list_filter_indexes")]

    operations = [
        RemoveIndexConcurrently(model_name="seizure", name="seizure_list_idx"),
        AddIndexConcurrently(
            model_name="seizure",
            index=models.Index(
                fields=["administration", "-occurred_at", "-id"],
                include=("commodity_ids", "route_countries"),
                name="seizure_list_idx",
            ),
        ),
    ]
