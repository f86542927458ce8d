"""``bildungskette indicator CODE --region AGS [--period P] [--format text|json]`` for scripts."""

import json

from django.core.management.base import BaseCommand, CommandError

from bildungskette.regions.selectors import region_by_code

from ...models import Period
from ...selectors import indicator_by_code, indicator_compute, indicator_series, indicator_sources


class Command(BaseCommand):
    help = "Berechnet einen Indikator für ein Gebiet (alle Zeiträume oder einen) und nennt die Quellen."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Kennung des Indikators, z. B. quote-ohne-hsa")
        parser.add_argument("--region", required=True, help="Regionalschlüssel (AGS), z. B. 06611")
        parser.add_argument("--period", default="", help="Zeitraum, z. B. 2022/23, 2019-08, BJ2018/19")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, code, region, period, format, **options):
        indicator = indicator_by_code(code)
        if indicator is None:
            from ...catalogue import INDICATORS, catalogue_load

            if code in {i["code"] for i in INDICATORS}:
                # A fresh installation: the built-in catalogue has not been loaded yet.
                catalogue_load()
                indicator = indicator_by_code(code)
        if indicator is None:
            raise CommandError(f"Unbekannter Indikator: {code}")
        region_obj = region_by_code(region)
        if region_obj is None:
            raise CommandError(f"Unbekanntes Gebiet: {region}")
        if period:
            period_obj = Period.objects.filter(code=period).first()
            if period_obj is None:
                raise CommandError(f"Unbekannter Zeitraum: {period}")
            results = [indicator_compute(indicator=indicator, region=region_obj, period=period_obj)]
        else:
            results = indicator_series(indicator=indicator, region=region_obj)
        sources = [s.line for s in indicator_sources(results)]
        if format == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "indicator": code,
                        "name": indicator.name,
                        "unit": indicator.unit,
                        "results": [r.as_dict() for r in results],
                        "sources": sources,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(f"{indicator.name} – {region_obj.name} ({region_obj.code})")
        for r in results:
            text = r.display() + (f" {indicator.unit}" if r.value is not None and indicator.unit else "")
            note = f"  ({r.reason})" if r.reason else ""
            note += "  [aus gerundeten Eingangswerten]" if r.rounded_inputs and r.value is not None else ""
            self.stdout.write(f"{r.period:12} {text}{note}")
        for line in sources:
            self.stdout.write(f"Quelle: {line}")
