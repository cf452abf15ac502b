"""Count the seizures of the dashboard's rollup again: after an administration's time zone
changed (its figures read the seizures until then), or to check the rollup."""

from django.core.management.base import BaseCommand, CommandError

from analysis import counts
from ncen.models import Administration


class Command(BaseCommand):
    help = "Rebuild the dashboard's seizure counts, of every administration or of the ones given."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="administration codes, e.g. FJ")

    def handle(self, *args, codes, **options):
        administrations = Administration.objects.order_by("code")
        if codes:
            administrations = administrations.filter(code__in=codes)
            missing = set(codes) - {a.code for a in administrations}
            if missing:
                raise CommandError(f"No administration {', '.join(sorted(missing))}.")
        for administration in administrations:
            rows = counts.rebuild(administration=administration)
            self.stdout.write(f"{administration.code}: {rows} rows")
