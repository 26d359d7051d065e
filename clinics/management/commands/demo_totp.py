"""Print the current two-factor code of a demo user (`seed_demo`), for a newcomer without an
authenticator app. Works only for the demo's published secrets (clinics/demo.py), never for
a real account's authenticator app."""

import time

from django.core.management.base import BaseCommand, CommandError

from clinics import mfa
from clinics.demo import DEMO_TOTP_SECRETS, is_demo_device
from clinics.models import User


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo user (manager or clinicadmin)."

    def add_arguments(self, parser):
        parser.add_argument("username", choices=sorted(DEMO_TOTP_SECRETS))

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        device = mfa.authenticator(user) if user else None
        if device is None or not is_demo_device(device):
            raise CommandError(
                f"{username} has no demo authenticator app. Run `python manage.py seed_demo`."
            )
        seconds_left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(mfa.current_code(device))
        self.stderr.write(
            f"Current code for {username}: valid for {seconds_left} more seconds, once. "
            f"Secret (demo only): {DEMO_TOTP_SECRETS[username]}"
        )
