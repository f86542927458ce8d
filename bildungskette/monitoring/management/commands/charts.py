"""``bildungskette charts prerender``: render the charts of the indicator pages and Datenblätter
into the shared chart cache now (after ``load-demo``, a restore or a new vl-convert version)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ...tasks import charts_prerender


class Command(BaseCommand):
    help = "Diagramme der Indikatorseiten und Datenblätter vorab in den gemeinsamen Cache zeichnen."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("prerender", help="alle Diagramme der Startansichten und Datenblätter zeichnen")

    def handle(self, *args, action, **options):
        done = charts_prerender.call()
        self.stdout.write(f"{done['indicator_pages']} Indikatorseiten, {done['datasheets']} Datenblätter gezeichnet.")
