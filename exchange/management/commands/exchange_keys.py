from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ncen.settings.env import ConfigurationError, env_private_key

from ...signing import generate_private_key, public_key_text


class Command(BaseCommand):
    help = (
        "Make this instance's exchange key pair and print the public key to register at the "
        "hub; with --show, print the public key of the configured key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            help="Where to write the private key (default: NCEN_EXCHANGE_KEY_FILE). An "
            "existing file is never overwritten.",
        )
        parser.add_argument(
            "--show", action="store_true", help="Print the public key of the existing key."
        )

    def handle(self, *args, out=None, show=False, **options):
        path = out or settings.NCEN_EXCHANGE_KEY_FILE
        if not path:
            raise CommandError("Give --out PATH or set NCEN_EXCHANGE_KEY_FILE.")
        if show:
            try:
                key = env_private_key("NCEN_EXCHANGE_KEY_FILE" if not out else "--out", path)
            except ConfigurationError as error:
                raise CommandError(str(error.code)) from None
        else:
            try:
                key = generate_private_key(Path(path))
            except FileExistsError:
                raise CommandError(
                    f"{path} exists: keep it, or move it away to make a new key "
                    "(the hub must then be given the new public key)."
                ) from None
            except OSError as error:
                raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
            self.stderr.write(f"Private key written to {path} (readable by its owner only).")
            self.stderr.write("Register this public key at the hub:")
        self.stdout.write(public_key_text(key))
