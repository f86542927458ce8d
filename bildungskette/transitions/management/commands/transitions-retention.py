"""Daily deletion job (cron or systemd timer): removes data whose retention period has passed."""

import datetime

from django.core.management.base import BaseCommand

from bildungskette.core.audit import audit_actor
from bildungskette.transitions.services import retention_apply


class Command(BaseCommand):
    help = "Löscht abgelaufene Daten des Übergangsmanagements (Nachverfolgung, Übermittlungen, Schülerdatensätze)."

    def add_arguments(self, parser):
        parser.add_argument("--stichtag", help="Datum JJJJ-MM-TT statt heute (zum Prüfen)")

    def handle(self, *args, stichtag=None, **options):
        today = datetime.date.fromisoformat(stichtag) if stichtag else None
        with audit_actor(None, "Löschlauf Übergänge"):
            result = retention_apply(today=today)
        self.stdout.write(self.style.SUCCESS(result.summary()))
