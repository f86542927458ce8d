"""Demo: the Agenturbezirke of Hessen and NRW, and NACHGEBAUTE BA/BIBB tables for Hessen (labelled synthetic)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..models import Value
from .agencies import agencies_load
from .samples import ausbildungsmarkt_xlsx, bibb_naa_xlsx


def agency_table(path: Path) -> Path:
    # By Agentur, not by Kreis: the demo keeps the real Kassel figures of the seed (August 2019)
    # as the Kreis figures; the constructed table only feeds the Agenturbezirk indicators.
    # Berichtsjahr 2017/18: older than the seed's August 2019, so the newest Kreis period stays real.
    return ausbildungsmarkt_xlsx(path, level="agenturen", year=2018)


def sources_demo_load() -> list[str]:
    from ..importers import import_file

    notes = [f"  Monitoring: {agencies_load()} Agenturbezirke (Hessen, NRW)"]
    if Value.objects.filter(source__code="ba-ausbildungsmarkt-tabelle-nachgebaut").exists():
        return notes
    with tempfile.TemporaryDirectory() as folder:
        for build, name in (
            (agency_table, "ba_ausbildungsmarkt_hessen_agenturen_2018-09_NACHGEBAUT.xlsx"),
            (lambda path: bibb_naa_xlsx(path, year=2018), "bibb_naa_hessen_agenturbezirke_2018_NACHGEBAUT.xlsx"),
        ):
            path = build(Path(folder) / name)
            report = import_file(path, fmt="ba-statistik")
            notes.append(f"  Monitoring: {report.summary()} (nachgebaut)")
    return notes
