"""NACHGEBAUTE BA- und BIBB-Tabellen (keine amtlichen Zahlen) im dokumentierten Lieferformat.

No original BA Ausbildungsmarkt table for the Kreise of Hessen was found, so the demo and the
tests use files *built* to the documented layout (title rows, two-row header in rows 12–13,
symbols, footer). Every file says in its first title row that it is constructed; the importer
therefore marks its source synthetic, and every page that shows its figures says so.

The figures are invented but plausible: derived from each Kreis's population with fixed shares,
so the four BA status groups add up to all applicants and the indicators are computable.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from bildungskette.regions.models import Region, RegionKind

from .agencies import agency_kreise

TITLE = "NACHGEBAUTE DATEI – keine amtlichen Zahlen (Bildungskette-Demo, Layout nach BA-Dokumentation)"
FOOTER = "© Statistik der Bundesagentur für Arbeit"
KASSEL = {  # Stadt Kassel, Berichtsjahr 2018/19, status 30.09. (constructed, near the seed's August figures)
    "bewerber": 1680,
    "einmuendend": 720,
    "andere": 600,
    "alternative": 150,
    "unversorgt": 210,
    "stellen": 1850,
    "ausserbetrieblich": 20,
    "unbesetzt": 260,
}


def _r(x) -> int:
    return int(Decimal(str(x)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ausbildungsmarkt_figures(region: Region) -> dict[str, int]:
    if region.code == "06611":
        return dict(KASSEL)
    population = region.population or 100000
    bewerber = _r(population * 0.0027)
    einm, andere, alt = _r(bewerber * 0.44), _r(bewerber * 0.34), _r(bewerber * 0.09)
    stellen = _r(bewerber * 1.04)
    return {
        "bewerber": bewerber,
        "einmuendend": einm,
        "andere": andere,
        "alternative": alt,
        "unversorgt": bewerber - einm - andere - alt,
        "stellen": stellen,
        "ausserbetrieblich": _r(stellen * 0.015),
        "unbesetzt": _r(stellen * 0.13),
    }


def _hessen_kreise() -> list[Region]:
    return list(
        Region.objects.filter(kind=RegionKind.KREIS, code__startswith="06", tenant__isnull=True)
        .defer("boundary")
        .order_by("code")
    )


def ausbildungsmarkt_xlsx(target: Path, *, year: int = 2019, level: str = "kreise") -> Path:
    """Bewerber und Berufsausbildungsstellen in Hessen, status 30 September ``year``.

    ``level="kreise"``: one row per Kreis (and Hessen); ``level="agenturen"``: one row per
    Agentur für Arbeit (the sums of its Kreise), so a demo can show the Agenturbezirk figures
    without covering a Kreis's own (real) figures.
    """
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "Kreise"
    ws["A1"] = TITLE
    ws["A2"] = "Bewerber und Berufsausbildungsstellen"
    ws["A3"] = (
        "Hessen nach Kreisen und kreisfreien Städten" if level == "kreise" else "Hessen nach Agenturen für Arbeit"
    )
    ws["A4"] = f"Berichtsmonat September {year} (Berichtsjahr {year - 1}/{year % 100:02d}, Bestand am 30.09.)"
    ws["A6"] = "Gemeldete Bewerber und Berufsausbildungsstellen seit Beginn des Berichtsjahres (kumuliert)"
    ws["A8"] = "Zeichenerklärung: - nichts vorhanden; * Zahlenwert < 3 (anonymisiert); x Nachweis nicht sinnvoll"
    ws["A10"] = "Erstellungsdatum: 30.10.2019"
    # Two-row header in rows 12 and 13; group names only in the first cell of their block (merged).
    first = "Region" if level == "kreise" else "Agentur für Arbeit"
    ws["A12"], ws["B12"], ws["H12"] = first, "Bewerber für Berufsausbildungsstellen", "Berufsausbildungsstellen"
    ws.merge_cells("B12:G12")
    ws.merge_cells("H12:K12")
    for col, label in zip(
        "BCDEFGHIJK",
        [
            "Insgesamt",
            "einmündende Bewerber",
            "andere ehemalige Bewerber",
            "Bewerber mit Alternative zum 30.09.",
            "unversorgte Bewerber",
            "versorgte Bewerber",
            "Insgesamt",
            "betriebliche",
            "außerbetriebliche",
            "unbesetzte Berufsausbildungsstellen",
        ],
        strict=True,
    ):
        ws[f"{col}13"] = label
    rows = []
    totals = dict.fromkeys(KASSEL, 0)
    for kreis in _hessen_kreise():
        f = ausbildungsmarkt_figures(kreis)
        for k in totals:
            totals[k] += f[k]
        rows.append((f"{kreis.code} {kreis.name}", f))
    if level == "agenturen":
        rows = []
        agencies = Region.objects.filter(kind=RegionKind.AGENTURBEZIRK, parent__code="06").order_by("name")
        for agency in agencies:
            figures = [ausbildungsmarkt_figures(k) for k in agency_kreise(agency)]
            rows.append((agency.name, {k: sum(f[k] for f in figures) for k in KASSEL}))
    else:
        rows.insert(0, ("06 Hessen", totals))
    line = 14
    for label, f in rows:
        versorgt = f["einmuendend"] + f["andere"] + f["alternative"]
        betrieblich = f["stellen"] - f["ausserbetrieblich"]
        cells = [
            label,
            f["bewerber"],
            f["einmuendend"],
            f["andere"],
            f["alternative"],
            f["unversorgt"],
            versorgt,
            f["stellen"],
            betrieblich,
            f["ausserbetrieblich"] or "-",
            f["unbesetzt"],
        ]
        for col, value in zip("ABCDEFGHIJK", cells, strict=True):
            ws[f"{col}{line}"] = value
        line += 1
    ws[f"A{line + 1}"] = "Hinweis: Bewerber mit Wohnort im Kreis; Stellen nach Arbeitsort."
    ws[f"A{line + 2}"] = FOOTER
    book.save(target)
    return target


def bibb_naa_xlsx(target: Path, *, year: int = 2019) -> Path:
    """BIBB survey: new contracts to 30 September ``year`` by Arbeitsagenturbezirk (Hessen)."""
    from openpyxl import Workbook

    from bildungskette.regions.models import Region as R

    book = Workbook()
    ws = book.active
    ws["A1"] = TITLE
    ws["A2"] = "Neu abgeschlossene Ausbildungsverträge nach Arbeitsagenturbezirken"
    ws["A3"] = f"BIBB-Erhebung zum 30. September {year}"
    ws["A12"], ws["B12"] = "Agentur für Arbeit", "Neu abgeschlossene Ausbildungsverträge"
    ws.merge_cells("B12:C12")
    ws["B13"], ws["C13"] = "Insgesamt", "darunter außerbetrieblich"
    line = 14
    agencies = R.objects.filter(kind=RegionKind.AGENTURBEZIRK, code__startswith="aa-", parent__code="06").order_by(
        "name"
    )
    for agency in agencies:
        bewerber = sum(ausbildungsmarkt_figures(k)["bewerber"] for k in agency_kreise(agency))
        naa = _r(bewerber * 1.12)
        ws[f"A{line}"], ws[f"B{line}"], ws[f"C{line}"] = agency.name, naa, _r(naa * 0.03)
        line += 1
    ws[f"A{line + 1}"] = "Quelle: BIBB-Erhebung über neu abgeschlossene Ausbildungsverträge zum 30. September"
    book.save(target)
    return target
