from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from ... import services


class Command(BaseCommand):
    help = "Hub: register a member administration and its public key (as the members page does)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="The member's code, e.g. FJ.")
        parser.add_argument("name", help="The member administration's name.")
        parser.add_argument("public_key", help="What exchange_keys printed on its instance.")

    def handle(self, *args, code, name, public_key, **options):
        try:
            member = services.member_register(by=None, code=code, name=name, public_key=public_key)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{member} is registered.")
