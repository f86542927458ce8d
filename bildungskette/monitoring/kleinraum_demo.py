"""Demo for kleinräumige Auswertungen: Kassel's 23 Stadtteile with SYNTHETIC figures.

Kassel publishes its Stadtteil statistics only as PDF; no open CSV per Stadtteil was found. The
names of the Stadtteile are real, everything else is invented and marked so: the boundaries are
schematic tiles (not the real Stadtteil borders), the counts are generated, and the source says
"SYNTHETISCHE DATEN" in title and attribution, so every page and report that shows them carries
the mark. The figures go through the same column-mapping importer a Kommune uses for its own file.
Brasselsberg gets a small count of single-parent households so that the disclosure rule is visible.
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

from bildungskette.regions.models import Region
from bildungskette.regions.services import stadtteile_import_geojson

from .importers import import_file
from .models import ColumnMapping

MAPPING_NAME = "stadtteile-kassel-synthetisch"
PERIOD = "2024"
# Schematic tiles, roughly where the Stadtteile lie (north at the top).
TILES = [
    ["Harleshausen", "Jungfernkopf", "Philippinenhof-Warteberg", "Fasanenhof", "Wolfsanger-Hasenhecke"],
    ["Kirchditmold", "Rothenditmold", "Nord-Holland", "Wesertor", "Bettenhausen"],
    ["Bad Wilhelmshöhe", "Vorderer Westen", "Mitte", "Unterneustadt", "Forstfeld"],
    ["Brasselsberg", "Wehlheiden", "Südstadt", "Waldau"],
    ["Nordshausen", "Süsterfeld-Helleböhn", "Oberzwehren", "Niederzwehren"],
]
WEST, NORTH, STEP_LON, STEP_LAT = 9.40, 51.355, 0.032, 0.02
SOURCE = {
    "code": "kassel-stadtteile-synthetisch",
    "publisher": "Bildungskette (Demo)",
    "title": "Stadtteilstatistik Kassel – SYNTHETISCHE DATEN (erfundene Zahlen, schematische Kacheln)",
    "attribution": "Bildungskette-Demo: erfundene Zahlen, keine Angaben der Stadt Kassel, nicht zitieren",
    "licence": "CC0 (erfundene Demodaten)",
    "is_synthetic": True,
}
COLUMNS = {
    "kleinraum.bevoelkerung": ("Einwohner", "Einwohner*innen"),
    "kleinraum.sgb2": ("SGB2", "Leistungsempfänger*innen nach SGB II"),
    "kleinraum.haushalte-mit-kindern": ("HH_Kinder", "Haushalte mit Kindern"),
    "kleinraum.alleinerziehende": ("HH_Alleinerz", "Haushalte von Alleinerziehenden"),
    "kleinraum.migrationshintergrund": ("Migration", "Einwohner*innen mit Migrationshintergrund"),
}


def tiles_geojson() -> dict:
    features = []
    for row, names in enumerate(TILES):
        for col, name in enumerate(names):
            w, n = WEST + col * STEP_LON, NORTH - row * STEP_LAT
            ring = [[w, n], [w + STEP_LON, n], [w + STEP_LON, n - STEP_LAT], [w, n - STEP_LAT], [w, n]]
            features.append({"type": "Feature", "properties": {"name": name, "nr": f"{row}{col}"},
                             "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


def synthetic_rows(seed: int = 18) -> list[dict]:
    rng = random.Random(seed)  # noqa: S311 (demo figures, not security)
    rows = []
    for names in TILES:
        for name in names:
            population = rng.randrange(3000, 25000)
            with_children = int(population * rng.uniform(0.08, 0.14))
            rows.append({
                "Stadtteil": name,
                "Einwohner": population,
                "SGB2": int(population * rng.uniform(0.03, 0.28)),
                "HH_Kinder": with_children,
                "HH_Alleinerz": 2 if name == "Brasselsberg" else int(with_children * rng.uniform(0.15, 0.4)),
                "Migration": int(population * rng.uniform(0.15, 0.6)),
            })
    return rows


def kleinraum_demo_load(tenant) -> str:
    """Stadtteile (tiles) and the synthetic figures for the tenant; idempotent."""
    gemeinde = Region.objects.get(code="06611000")
    stadtteile_import_geojson(tenant=tenant, gemeinde=gemeinde, content=json.dumps(tiles_geojson()).encode(),
                              key_property="nr")
    Region.objects.filter(tenant=tenant, parent=gemeinde, kind="stadtteil").update(
        designation="Stadtteil (schematische Kachel, synthetisch)", source="SYNTHETISCHE Kachel der Demo")
    ColumnMapping.objects.update_or_create(tenant=tenant, name=MAPPING_NAME, defaults={
        "label": "Stadtteilstatistik Kassel (synthetisch)",
        "definition": {
            "region_column": "Stadtteil", "period": PERIOD, "delimiter": ";", "stadtteile_of": "06611000",
            "values": [{"column": col, "statistic": stat, "name": name, "unit": "Anzahl"}
                       for stat, (col, name) in COLUMNS.items()],
            "source": SOURCE,
        },
    })
    rows = synthetic_rows()
    header = ["Stadtteil"] + [col for col, _ in COLUMNS.values()]
    with tempfile.TemporaryDirectory(prefix="kleinraum-demo-") as tmp:
        path = Path(tmp) / "stadtteile_kassel_synthetisch.csv"
        path.write_text("\n".join([";".join(header)] + [";".join(str(r[h]) for h in header) for r in rows]) + "\n",
                        encoding="utf-8")
        report = import_file(path, fmt=f"mapping:{MAPPING_NAME}", tenant=tenant)
    return f"  Kleinräumig: {report.summary()} (SYNTHETISCH)"
