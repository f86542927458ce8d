"""``bildungskette values --table CODE --region AGS [--year YEAR] --format csv|json`` for scripts."""

import csv
import json

from django.core.management.base import BaseCommand, CommandError

from bildungskette.regions.selectors import region_by_code

from ...selectors import values_table

COLUMNS = [
    "statistic",
    "statistic_name",
    "unit",
    "region",
    "region_name",
    "period",
    "categories",
    "value",
    "flag",
    "flag_meaning",
    "rounded",
    "status",
    "source",
]


class Command(BaseCommand):
    help = "Gibt gespeicherte Werte einer Tabelle und eines Gebiets als CSV oder JSON aus."

    def add_arguments(self, parser):
        parser.add_argument("--table", default="", help="Tabellencode der Quelle, z. B. 21111-02-06-4")
        parser.add_argument("--statistic", default="", help="Kennung eines Merkmals")
        parser.add_argument("--region", required=True, help="Regionalschlüssel (AGS), z. B. 06611")
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, table, statistic, region, year, format, **options):
        region_obj = region_by_code(region)
        if region_obj is None:
            raise CommandError(f"Unbekanntes Gebiet: {region}")
        rows = values_table(table=table or None, statistic=statistic or None, region=region_obj, year=year)
        if not rows:
            raise CommandError("Keine Werte gefunden (Tabelle importiert? bildungskette import DATEI).")
        if format == "json":
            out = [{**r, "value": (float(r["value"]) if r["value"] is not None else None)} for r in rows]
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, delimiter=";", lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow(
                {
                    **r,
                    "value": "" if r["value"] is None else str(r["value"]).replace(".", ","),
                    "rounded": "ja" if r["rounded"] else "",
                }
            )
