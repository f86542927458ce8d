from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bildungskette.core.audit import audit_actor
from bildungskette.core.dbstats import tables_analyze
from bildungskette.core.importing import ImportRejected, importer_for, importers
from bildungskette.core.models import Tenant


class Command(BaseCommand):
    help = "Importiert eine Datei (oder einen Ordner) über das passende Importformat."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?")
        parser.add_argument("--format", default="auto", help="auto oder ein Formatname (siehe --list)")
        parser.add_argument("--tenant", default="", help="Kurzname des Mandanten, dem importierte Daten gehören")
        parser.add_argument("--list", action="store_true", help="bekannte Formate auflisten")

    def handle(self, *args, path, format, tenant, list, **options):
        if list or not path:
            for importer in importers():
                self.stdout.write(f"{importer.format:18} {importer.label}")
            return
        target = Path(path)
        if not target.exists():
            raise CommandError(f"Datei nicht gefunden: {target}")
        tenant_obj = None
        if tenant:
            tenant_obj = Tenant.objects.filter(slug=tenant).first()
            if tenant_obj is None:
                raise CommandError(f"Unbekannter Mandant: {tenant}")
        try:
            importer = importer_for(target, format)
            with audit_actor(None, f"Kommandozeile ({importer.format})"):
                report = importer.run(target, tenant=tenant_obj, format=format)
            if importer.tables is not None:
                tables_analyze(*importer.tables)
        except ImportRejected as exc:
            lines = "\n".join(f"  – {p}" for p in exc.problems[:50])
            more = f"\n  … und {len(exc.problems) - 50} weitere" if len(exc.problems) > 50 else ""
            raise CommandError(f"Import abgelehnt, nichts wurde gespeichert:\n{lines}{more}") from exc
        self.stdout.write(self.style.SUCCESS(f"{importer.label}: {report.summary()}"))
        for note in report.notes:
            self.stdout.write(note)
        for problem in report.rejected[:50]:
            self.stdout.write(f"  abgelehnt: {problem}")
