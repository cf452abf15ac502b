from django.core.management.base import BaseCommand, CommandError

from ncen.audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and report the first tampered or missing entry."

    def handle(self, *args, **options):
        checked, chain_break = verify_chain()
        if chain_break is not None:
            raise CommandError(
                f"Audit trail broken at entry {chain_break.sequence}: {chain_break.problem}. "
                f"{checked} entries before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked} entries verified."))
