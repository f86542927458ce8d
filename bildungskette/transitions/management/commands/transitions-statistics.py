"""Recompute the cohort statistics and feed Monitoring (source "Übergangsmonitoring")."""

from django.core.management.base import BaseCommand

from bildungskette.core.audit import audit_actor
from bildungskette.core.models import Tenant
from bildungskette.transitions.models import School
from bildungskette.transitions.statistics import cohort_statistics_recompute, monitoring_publish


class Command(BaseCommand):
    help = "Berechnet die Kohortenstatistik neu und schreibt sie (geheimhaltungsgeprüft) ins Monitoring."

    def handle(self, *args, **options):
        with audit_actor(None, "Statistiklauf Übergänge"):
            rows = cohort_statistics_recompute()
            self.stdout.write(f"{rows} Zeilen berechnet.")
            for tenant in Tenant.objects.filter(pk__in=School.objects.values("tenant")):
                for note in monitoring_publish(tenant=tenant):
                    self.stdout.write(f"{tenant.slug}: {note}")
