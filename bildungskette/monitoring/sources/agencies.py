"""Agenturbezirke: the Agenturbezirk ↔ Kreis relation as data, and the BIBB indicators at that level.

``bildungskette/data/regions/agenturbezirke.csv`` lists, for Hessen and Nordrhein-Westfalen, which
Kreise each Agentur für Arbeit covers, with the Agentur's official number and validity dates (the 154
Agenturbezirke since 2013; series before 2013 break). It is checked against the field
„Arbeitsagenturbezirk“ of the Destatis Gemeindeverzeichnis (GV100AD, Gebietsstand 30.11.2023): every
Gemeinde carries the 5-digit key of its Agentur (3 digits) and Geschäftsstelle (2 digits); all
Gemeinden of a Kreis share the Agentur (``tests/monitoring/test_agenturbezirke_gv100ad.py``). The
state of 30.11.2023 is verified; the start date 2013-01-01 is the start of the 154 districts, not
a checked date for each line.

ANR, eANR, AubA, Versorgungsprobleme and the Index der Passungsprobleme are published by BIBB for
Agenturbezirke; the NAA (BIBB survey) exist only at that level. For a Kreis they are shown only
as the figure of its Agenturbezirk, with a note saying so.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from bildungskette.core.datafiles import data_path, data_text
from bildungskette.regions.models import Region, RegionKind

from ..models import Indicator, Period
from .models import AgencyDistrictMember
from .selectors import agencies_for, agency_kreise

DATA = "regions/agenturbezirke.csv"
SOURCE_NOTE = (
    "Zuordnung Agenturbezirk ↔ Kreis (Hessen, NRW) nach dem Merkmal „Arbeitsagenturbezirk“ des "
    "Gemeindeverzeichnisses (Destatis, GV100AD, Gebietsstand 30.11.2023)"
)
AGENCY_INDICATORS = ["anr", "eanr", "auba", "versorgungsprobleme", "index-passungsprobleme"]


def agencies_load(path: Path | None = None) -> int:
    """Create the Agenturbezirke (regions of kind ``agenturbezirk``) and their Kreise with validity dates."""
    path = Path(path) if path is not None else data_path(DATA)
    rows = list(csv.DictReader(io.StringIO(data_text(path), newline=""), delimiter=";"))
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
                        "designation": f"Agenturbezirk {row['nummer']}" if row.get("nummer") else "",
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
