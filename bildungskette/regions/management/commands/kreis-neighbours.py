from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from bildungskette.core.datafiles import data_path
from bildungskette.regions.neighbours import BOUNDARIES, NEIGHBOURS, kreis_neighbours_write


class Command(BaseCommand):
    help = ("Berechnet die Nachbarkreise (gemeinsame Grenze) aus den mitgelieferten Kreisgrenzen und schreibt "
            "geo/kreise_nachbarn_2018.json (nach einer Änderung der Grenzen erneut ausführen).")

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(settings.DATA_DIR))

    def handle(self, *args, data_dir, **options):
        target = Path(data_dir) / NEIGHBOURS
        neighbours = kreis_neighbours_write(target, data_path(BOUNDARIES, Path(data_dir)))
        pairs = sum(len(found) for found in neighbours.values()) // 2
        self.stdout.write(f"{len(neighbours)} Kreise, {pairs} Nachbarpaare → {target}")
