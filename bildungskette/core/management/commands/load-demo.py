"""Loads the demo: real regions and schools, the seed municipalities, demo accounts for every role.

Each app that has a ``demo.py`` with ``demo_load() -> list[str]`` contributes, in the order of
INSTALLED_APPS (which is the order of dependencies). Idempotent: running it twice changes nothing.
"""

import importlib
import importlib.util
import time

from django.apps import apps
from django.core.management.base import BaseCommand

from bildungskette.core.audit import audit_actor
from bildungskette.core.dbstats import tables_analyze


class Command(BaseCommand):
    help = "Lädt die Demo (Kassel, Fulda, Bochum) und gibt die Demo-Zugänge aus."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Zugänge nicht ausgeben")

    def handle(self, *args, quiet_logins=False, **options):
        started = time.monotonic()
        lines: list[str] = []
        with audit_actor(None, "Demo"):
            for config in apps.get_app_configs():
                if not config.name.startswith("bildungskette."):
                    continue
                module_name = f"{config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                step = time.monotonic()
                module = importlib.import_module(module_name)
                lines += module.demo_load() or []
                self.stdout.write(f"  {config.verbose_name}: {time.monotonic() - step:.1f} s")
        # The demo is one bulk load: the planner must see the tables as they are now.
        tables_analyze()
        self.stdout.write(self.style.SUCCESS(f"Demo geladen in {time.monotonic() - started:.1f} s."))
        if not quiet_logins:
            for line in lines:
                self.stdout.write(line)
