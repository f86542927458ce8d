"""Send the coordination reminders: agreements due for review or expiry, overdue action items.

Run daily (cron or the task worker): ``bildungskette network-remind [--tenant SLUG] [--date YYYY-MM-DD]``.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from bildungskette.core.audit import audit_actor
from bildungskette.core.models import Tenant
from bildungskette.network.services import reminders_send


class Command(BaseCommand):
    help = "Erinnert die Koordination an fällige Überprüfungen von Vereinbarungen und überfällige Aufgaben."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="nur dieser Mandant (Kurzname)")
        parser.add_argument("--date", help="Stichtag JJJJ-MM-TT (Standard: heute)")

    def handle(self, *args, tenant=None, date=None, **options):
        tenant_obj = None
        if tenant:
            tenant_obj = Tenant.objects.filter(slug=tenant).first()
            if tenant_obj is None:
                raise CommandError(f"Mandant „{tenant}“ nicht gefunden.")
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"Ungültiges Datum: {date}") from exc
        with audit_actor(None, "Erinnerungen Netzwerk"):
            lines = reminders_send(today=today, tenant=tenant_obj)
        for line in lines or ["Keine Erinnerungen fällig."]:
            self.stdout.write(line)
