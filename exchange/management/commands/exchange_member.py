from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from ... import services
from ...models import Member


class Command(BaseCommand):
    help = (
        "Hub: register a member administration and its public key, or give a registered "
        "member a new name and key (as the members page does)."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="The member's code, e.g. FJ.")
        parser.add_argument("name", help="The member administration's name.")
        parser.add_argument("public_key", help="What exchange_keys printed on its instance.")

    def handle(self, *args, code, name, public_key, **options):
        registered = Member.objects.filter(code=code.strip().upper()).first()
        try:
            if registered is None:
                member = services.member_register(
                    by=None, code=code, name=name, public_key=public_key
                )
                done = "registered"
            else:
                member = services.member_update(
                    by=None,
                    member=registered,
                    name=name,
                    public_key=public_key,
                    is_active=registered.is_active,
                )
                done = "updated"
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{member} is {done}.")
