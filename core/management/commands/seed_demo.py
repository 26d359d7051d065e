"""Create (or refresh) the demo clinic: users, suppliers, products and assessments.

Each app that has demo data has a `demo.py` with `seed(demo: dict)`; they run in
INSTALLED_APPS order and share the `demo` dict (the clinic, users, password). Found by name,
not imported here, so core depends on no app. Idempotent: running it again changes nothing
but resets the demo passwords.
"""

import os
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


def demo_modules():
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if find_spec(name) is not None:
            yield import_module(name)


class Command(BaseCommand):
    help = "Create a demo clinic with one user per role, products and assessments (idempotent)."

    def handle(self, *args, **options):
        demo: dict = {}
        for module in demo_modules():
            module.seed(demo)
        clinic = demo["clinic"]
        self.stdout.write(self.style.SUCCESS(f"Demo clinic ready: {clinic.name}"))
        # `make run PORT=…` says where it serves (DEMO_URL); 8000 is runserver's own default.
        url = os.environ.get("DEMO_URL", "http://127.0.0.1:8000/")
        self.stdout.write(f"Log in at {url} with any of these (password for all):")
        self.stdout.write(f"  password: {demo['password']}")
        for username, role in demo["credentials"]:
            self.stdout.write(f"  {username:<12} {role}")
        for line in demo.get("notes", []):
            self.stdout.write(line)
