"""Agenturbezirke: the Agenturbezirk ↔ Kreis relation as data, and the BIBB indicators at that level.

``agenturbezirke.csv`` (beside this file) lists, for Hessen and Nordrhein-Westfalen, which Kreise
each Agentur für Arbeit covers, with validity dates (the 154 Agenturbezirke since 2013; series
before 2013 break). It was compiled from the BA's list of its Agenturen and their
Geschäftsstellen (no machine-readable list was found) and is **not yet checked line by line
against the official Verzeichnis** – see docs/monitoring.md.

ANR, eANR, AubA, Versorgungsprobleme and the Index der Passungsprobleme are published by BIBB for
Agenturbezirke; the NAA (BIBB survey) exist only at that level. For a Kreis they are shown only
as the figure of its Agenturbezirk, with a note saying so.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from bildungskette.regions.models import Region, RegionKind

from ..models import Indicator, Period
from .models import AgencyDistrictMember
from .selectors import agencies_for, agency_kreise

DATA = Path(__file__).with_name("agenturbezirke.csv")
SOURCE_NOTE = (
    "Zuordnung Agenturbezirk ↔ Kreis nach der Liste der Agenturen für Arbeit (BA), zusammengestellt für "
    "Hessen und NRW; noch nicht gegen das amtliche Verzeichnis geprüft"
)
AGENCY_INDICATORS = ["anr", "eanr", "auba", "versorgungsprobleme", "index-passungsprobleme"]


def agencies_load(path: Path = DATA) -> int:
    """Create the Agenturbezirke (regions of kind ``agenturbezirk``) and their Kreise with validity dates."""
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter=";"))
    kreise = {r.code: r for r in Region.objects.filter(code__in={row["kreis"] for row in rows}).defer("boundary")}
    lands = {r.code: r for r in Region.objects.filter(code__in={row["land"] for row in rows}).defer("boundary")}
    today = datetime.date.today()
    with transaction.atomic():
        agencies: dict[str, Region] = {}
        for row in rows:
            kreis = kreise.get(row["kreis"])
            if kreis is None:
                continue
            agency = agencies.get(row["agentur"])
            if agency is None:
                agency, _ = Region.objects.update_or_create(
                    code=row["agentur"],
                    defaults={
                        "name": row["name"],
                        "kind": RegionKind.AGENTURBEZIRK,
                        "tenant": None,
                        "parent": lands.get(row["land"]),
                        "source": SOURCE_NOTE[:300],
                    },
                )
                agencies[row["agentur"]] = agency
            valid_to = datetime.date.fromisoformat(row["gueltig_bis"]) if row["gueltig_bis"] else None
            AgencyDistrictMember.objects.update_or_create(
                agency=agency,
                kreis=kreis,
                valid_from=datetime.date.fromisoformat(row["gueltig_ab"]),
                defaults={"valid_to": valid_to, "source": SOURCE_NOTE[:300]},
            )
        # The engine sums member Kreise for counts that exist only by Kreis (BA): current members.
        for agency in agencies.values():
            agency.members.set(agency_kreise(agency, on=today))
    return len(agencies)


@dataclass
class AgencyFigure:
    indicator: Indicator
    result: object  # IndicatorResult
    period: Period | None


@dataclass
class AgencyBlock:
    agency: Region
    kreise: list[Region]
    figures: list[AgencyFigure]
    note: str
    sources: list = None  # Source objects behind the figures (their lines are shown under the box)

    @property
    def synthetic(self) -> bool:
        return any(s.is_synthetic for s in self.sources or [])


def agency_figures(region: Region, *, tenant=None) -> list[AgencyBlock]:
    """ANR, eANR, AubA, Versorgungsprobleme, Passungsprobleme of the Agenturbezirk(e) of a region,
    each at its latest period with a value – and the note that they belong to the Agenturbezirk."""
    from ..selectors import indicator_sources, indicators_evaluate

    agencies = agencies_for(region)
    if not agencies:
        return []
    indicators = list(Indicator.objects.filter(code__in=AGENCY_INDICATORS))
    indicators.sort(key=lambda i: AGENCY_INDICATORS.index(i.code))
    results = indicators_evaluate(indicators=indicators, regions=agencies, tenant=tenant)
    periods = {p.pk: p for p in Period.objects.filter(pk__in={k[2] for k in results})}
    blocks = []
    for agency in agencies:
        kreise = agency_kreise(agency)
        figures = []
        for indicator in indicators:
            own = sorted(
                (
                    (periods[pid], r)
                    for (code, rid, pid), r in results.items()
                    if code == indicator.code and rid == agency.pk and r.value is not None
                ),
                key=lambda pr: pr[0].end,
            )
            if own:
                figures.append(AgencyFigure(indicator, own[-1][1], own[-1][0]))
            else:
                figures.append(AgencyFigure(indicator, None, None))
        names = ", ".join(k.title for k in kreise)
        note = (
            f"Werte des Agenturbezirks {agency.name} (umfasst: {names}) – nicht des einzelnen Kreises. "
            "BIBB veröffentlicht diese Kennzahlen nur für Agenturbezirke, weil die neu abgeschlossenen "
            "Ausbildungsverträge nur dort vorliegen."
        )
        if region.kind == RegionKind.AGENTURBEZIRK:
            note = f"Werte des Agenturbezirks {agency.name} (umfasst: {names})."
        sources = indicator_sources([f.result for f in figures if f.result is not None])
        blocks.append(AgencyBlock(agency, kreise, figures, note, sources))
    return blocks
