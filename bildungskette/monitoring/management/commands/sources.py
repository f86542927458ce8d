"""``bildungskette sources …``: subscribe to GENESIS tables, store credentials, refresh (for cron/systemd).

    bildungskette sources credentials --tenant olov-kassel --instance regionalstatistik --username NAME
        (password from the environment variable GENESIS_PASSWORD or asked interactively)
    bildungskette sources subscribe --tenant olov-kassel --instance regionalstatistik \\
        --table 21121-02-02-4 --regional-variable KREISE --regional-key 06611
    bildungskette sources refresh [--tenant olov-kassel]
    bildungskette sources list [--tenant olov-kassel]
    bildungskette sources agenturbezirke        (load the Agenturbezirk ↔ Kreis relation)
"""

from __future__ import annotations

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from bildungskette.core.audit import audit_actor
from bildungskette.core.models import Tenant

from ...sources.genesis_client import INSTANCES
from ...sources.models import RefreshOutcome, Subscription


class Command(BaseCommand):
    help = "Abonnements der GENESIS-Webservices verwalten und aktualisieren (für cron oder systemd-Timer)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        cred = sub.add_parser("credentials", help="Zugangsdaten eines Mandanten für eine Instanz speichern")
        cred.add_argument("--tenant", required=True)
        cred.add_argument("--instance", required=True, choices=sorted(INSTANCES))
        cred.add_argument("--username", required=True)
        subscribe = sub.add_parser("subscribe", help="eine Tabelle abonnieren")
        subscribe.add_argument("--tenant", required=True)
        subscribe.add_argument("--instance", required=True, choices=sorted(INSTANCES))
        subscribe.add_argument("--table", required=True)
        subscribe.add_argument("--regional-variable", default="")
        subscribe.add_argument("--regional-key", default="")
        subscribe.add_argument("--startyear", default="")
        subscribe.add_argument("--endyear", default="")
        refresh = sub.add_parser("refresh", help="alle aktiven Abonnements aktualisieren")
        refresh.add_argument("--tenant", default="")
        listing = sub.add_parser("list", help="Abonnements und letzte Aktualisierung zeigen")
        listing.add_argument("--tenant", default="")
        sub.add_parser("agenturbezirke", help="Zuordnung Agenturbezirk ↔ Kreis laden")

    def _tenant(self, slug):
        if not slug:
            return None
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            raise CommandError(f"Unbekannter Mandant: {slug}")
        return tenant

    def handle(self, *args, action, **options):
        from ...sources import services

        if action == "credentials":
            tenant = self._tenant(options["tenant"])
            password = os.environ.get("GENESIS_PASSWORD") or getpass.getpass("Passwort: ")
            services.credential_set(
                tenant=tenant, instance=options["instance"], username=options["username"], password=password
            )
            self.stdout.write(f"Zugang für {INSTANCES[options['instance']][0]} gespeichert (Passwort verschlüsselt).")
        elif action == "subscribe":
            tenant = self._tenant(options["tenant"])
            try:
                sub = services.subscription_create(
                    tenant=tenant,
                    instance=options["instance"],
                    table_code=options["table"],
                    regional_variable=options["regional_variable"],
                    regional_key=options["regional_key"],
                    startyear=options["startyear"],
                    endyear=options["endyear"],
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Abonniert: {sub}")
        elif action == "refresh":
            tenant = self._tenant(options["tenant"])
            failed = 0
            with audit_actor(None, "Aktualisierung (cron)"):
                runs = services.subscriptions_refresh(
                    tenant=tenant,
                    trigger="cli",
                    on_start=lambda sub, n, total: self.stdout.write(f"[{n}/{total}] {sub} wird abgerufen …"),
                )
            for run in runs:
                failed += run.outcome == RefreshOutcome.FAILED
                self.stdout.write(f"{run.subscription}: {run.get_outcome_display()} – {run.message}")
            if not runs:
                self.stdout.write("Keine aktiven Abonnements.")
            if failed:
                raise CommandError(f"{failed} Aktualisierung(en) fehlgeschlagen.")
        elif action == "list":
            qs = Subscription.objects.select_related("tenant").order_by("tenant__slug", "table_code")
            if options["tenant"]:
                qs = qs.filter(tenant=self._tenant(options["tenant"]))
            for sub in qs:
                last = sub.runs.first()
                state = f"{last.get_outcome_display()} am {last.started_at:%d.%m.%Y %H:%M}" if last else "noch nie"
                self.stdout.write(f"{sub.tenant.slug}: {sub} – Stand {sub.stand or '–'} – zuletzt: {state}")
        elif action == "agenturbezirke":
            from ...sources.agencies import agencies_load

            self.stdout.write(f"{agencies_load()} Agenturbezirke geladen.")
