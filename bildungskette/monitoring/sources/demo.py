"""Demo: the Agenturbezirke of Hessen and NRW, and NACHGEBAUTE BA/BIBB tables for Hessen (labelled synthetic)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..models import Value
from .agencies import agencies_load
from .samples import ausbildungsmarkt_xlsx, bibb_naa_xlsx


def sources_demo_load() -> list[str]:
    from ..importers import import_file

    notes = [f"  Monitoring: {agencies_load()} Agenturbezirke (Hessen, NRW)"]
    if Value.objects.filter(source__code="ba-ausbildungsmarkt-tabelle-nachgebaut").exists():
        return notes
    with tempfile.TemporaryDirectory() as folder:
        for build, name in (
            (ausbildungsmarkt_xlsx, "ba_ausbildungsmarkt_hessen_kreise_2019-09_NACHGEBAUT.xlsx"),
            (bibb_naa_xlsx, "bibb_naa_hessen_agenturbezirke_2019_NACHGEBAUT.xlsx"),
        ):
            path = build(Path(folder) / name)
            report = import_file(path, fmt="ba-statistik")
            notes.append(f"  Monitoring: {report.summary()} (nachgebaut)")
    return notes
