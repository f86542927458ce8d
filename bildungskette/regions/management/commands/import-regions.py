from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bildungskette.core.importing import ImportRejected
from bildungskette.regions.importers import regions_import


class Command(BaseCommand):
    help = (
        "Importiert Länder, Regierungsbezirke, Kreise (mit Grenzen) und Gemeinden aus den mitgelieferten Daten "
        "(oder --data-dir)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(settings.DATA_DIR))

    def handle(self, *args, data_dir, **options):
        try:
            report = regions_import(Path(data_dir))
        except ImportRejected as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary())
        for note in report.notes:
            self.stdout.write(note)
