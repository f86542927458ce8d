"""Demo: the real GENESIS tables for all Kreise, the Kassel seed figures, the indicator catalogue.

Fast and idempotent: a file already imported (same SHA-256) is not imported again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings

from bildungskette.core.audit import audit_actor

from .catalogue import catalogue_load
from .importers import import_file
from .models import ImportRun, ImportStatus
from .services import source_ensure, values_upsert

GENESIS_FILES = ["21111-02-06-4.csv", "21121-02-02-4.csv", "21111-01-03-4.csv"]

KASSEL_SOURCE = {
    "code": "stadt-kassel-olov-forum-2019",
    "publisher": "Stadt Kassel",
    "title": "OloV-Forum 2019, Forum 3: Daten zum Ausbildungsmarkt, iABE-Verbleib und SGB II (Stadt Kassel)",
    "attribution": "Stadt Kassel, OloV-Forum 2019 (nach Statistik der BA und iABE Hessen)",
    "licence": "Vortragsfolien der Stadt Kassel; Zahlen der Statistik der BA und des HSL",
}

# The figures of seed 000 (Stadt Kassel 06611), exactly as on the slide.
KASSEL_VALUES = [
    ("ba.bewerber", "2019-08", {}, 1630),
    ("ba.bewerber", "2019-08", {"ba-status": "versorgt"}, 1323),
    ("ba.bewerber", "2019-08", {"ba-status": "unversorgt"}, 307),
    ("ba.stellen", "2019-08", {"stellenart": "betrieblich"}, 1766),
    ("ba.stellen", "2019-08", {"stellenart": "ausserbetrieblich"}, 18),
    ("ba.stellen.unbesetzt", "2019-08", {}, 279),
    ("iabe.anteil", "2018", {"iabe-sektor": "berufsabschluss"}, "8.3"),
    ("iabe.anteil", "2018", {"iabe-sektor": "hochschulreife"}, "63.6"),
    ("iabe.anteil", "2018", {"iabe-sektor": "uebergangsbereich"}, "15.4"),
    ("iabe.anteil", "2018", {"iabe-sektor": "unbekannt"}, "12.6"),
    ("sgb2.elb", "2019-04", {"altersgruppe": "u25"}, 3506),
    ("sgb2.elb", "2019-04", {"altersgruppe": "u25", "sgb2-status": "arbeitsuchend"}, 1169),
    ("sgb2.elb", "2019-04", {"altersgruppe": "u25", "sgb2-status": "arbeitslos"}, 594),
    ("sgb2.hilfequote", "2019-04", {"altersgruppe": "u25"}, "13.6"),
    ("ba.arbeitslose", "2019-06", {"altersgruppe": "u25"}, 747),
    ("ba.alq", "2019-09", {}, "7.1"),
    ("ba.alq", "2019-09", {"altersgruppe": "u25"}, "6.6"),
]


def kassel_seed_load() -> None:
    source = source_ensure(**KASSEL_SOURCE)
    values_upsert(
        source=source,
        rows=[
            {"statistic": s, "region": "06611", "period": p, "categories": c, "value": v}
            for s, p, c, v in KASSEL_VALUES
        ],
    )


SYNTHETIC_SOURCE = {
    "code": "synthetisch-ausbildungsmarkt-demo",
    "publisher": "Bildungskette (Demo)",
    "title": "Synthetische Demo-Zeitreihe Ausbildungsmarkt 2014–2018 (Kassel und Hessen) – keine echten Zahlen",
    "attribution": "Synthetische Demodaten der Bildungskette – nicht zitieren",
    "is_synthetic": True,
}
# Berichtsjahre 2013/14 … 2017/18 (before the real August 2019 figures); invented but plausible,
# to show time series and comparisons.
SYNTHETIC_SERIES = {
    "06611": {
        "ba.bewerber": [1720, 1690, 1675, 1650, 1640],
        "stellen": [1580, 1620, 1690, 1730, 1770],
        "ba.stellen.unbesetzt": [150, 180, 210, 250, 285],
        "unversorgt": [130, 120, 110, 95, 90],
    },
    "06": {
        "ba.bewerber": [38000, 37500, 37000, 36400, 35800],
        "stellen": [30500, 31000, 32000, 32800, 33200],
        "ba.stellen.unbesetzt": [2000, 2300, 2700, 3100, 3400],
        "unversorgt": [2400, 2200, 2100, 1900, 1800],
    },
}


def synthetic_series_load() -> None:
    """Marked synthetic in the source itself (is_synthetic, title, attribution) and on every page."""
    source = source_ensure(**SYNTHETIC_SOURCE)
    rows = []
    for region, series in SYNTHETIC_SERIES.items():
        for i, year in enumerate(range(2014, 2019)):
            period = f"BJ{year - 1}/{year % 100:02d}"
            rows += [
                {"statistic": "ba.bewerber", "region": region, "period": period, "value": series["ba.bewerber"][i]},
                {
                    "statistic": "ba.bewerber",
                    "region": region,
                    "period": period,
                    "categories": {"ba-status": "unversorgt"},
                    "value": series["unversorgt"][i],
                },
                {
                    "statistic": "ba.stellen",
                    "region": region,
                    "period": period,
                    "categories": {"stellenart": "betrieblich"},
                    "value": series["stellen"][i],
                },
                {
                    "statistic": "ba.stellen.unbesetzt",
                    "region": region,
                    "period": period,
                    "value": series["ba.stellen.unbesetzt"][i],
                },
            ]
    values_upsert(source=source, rows=rows)


def genesis_load(data_dir: Path) -> list[str]:
    notes = []
    for name in GENESIS_FILES:
        path = data_dir / "genesis" / name
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if ImportRun.objects.filter(sha256=digest, status=ImportStatus.DONE).exists():
            continue
        report = import_file(path, fmt="genesis")
        notes.append(f"  Monitoring: {report.summary()}")
    return notes


def demo_load() -> list[str]:
    with audit_actor(None, "Demo"):
        catalogue_load()
        notes = genesis_load(Path(settings.DATA_DIR))
        kassel_seed_load()
        synthetic_series_load()
        from .sources.demo import sources_demo_load

        notes += sources_demo_load()
        notes += kleinraum_load()
    return notes


def kleinraum_load() -> list[str]:
    """Kassel's Stadtteile with synthetic figures for the Kassel tenant (once)."""
    from bildungskette.core.models import Tenant

    from .kleinraum_demo import SOURCE, kleinraum_demo_load
    from .models import Value

    tenant = Tenant.objects.filter(slug="olov-kassel").first()
    if tenant is None or Value.objects.filter(source__code=SOURCE["code"]).exists():
        return []
    return [kleinraum_demo_load(tenant)]
