from django.core.management.base import BaseCommand

from ... import delivery, services


class Command(BaseCommand):
    help = (
        "Make every queued outbox entry due now and send them, here and now (with --queue, "
        "leave the sending to the workers). Rejected entries stay rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="Only queue the delivery task.")

    def handle(self, *args, queue=False, **options):
        count = services.outbox_retry_now(by=None)
        self.stdout.write(f"{count} queued entries are due now.")
        if not queue:
            result = delivery.deliver()
            self.stdout.write(" ".join(f"{name}={value}" for name, value in result.items()))
