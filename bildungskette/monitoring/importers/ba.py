"""BA training-market balance per region and reporting year (CSV/XLSX, documented column layout).

Columns (header row, case-insensitive; order free; see docs/monitoring.md):
``Region`` (official key, e.g. 06611, or an Agenturbezirk code) and ``Berichtsjahr`` (2019 →
BJ2018/19, or any period code such as BJ2018/19 or 2019-08) are required; ``KldB`` (occupation,
KldB 2010 code) is optional; value columns, any subset:
Bewerber, einmündende Bewerber, andere ehemalige Bewerber, Bewerber mit Alternative,
unversorgte Bewerber, versorgte Bewerber, Stellen, betriebliche Stellen, außerbetriebliche Stellen,
unbesetzte Stellen, NAA, außerbetriebliche NAA.
Cells: numbers; ``*`` (BA: fewer than 3, anonymised) and ``.`` are stored as "secret", ``-`` as 0.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from bildungskette.core.importing import ImportRejected, RowProblem
from bildungskette.regions.models import Region

from ..periods import period_parse
from . import Dataset
from .kldb import NOTE as KLDB_NOTE
from .kldb import KldbColumn
from .tabular import header_index, table_rows, table_rows_sample

COLUMNS = {
    "bewerber": ("ba.bewerber", {}),
    "einmündende bewerber": ("ba.bewerber", {"ba-status": "einmuendend"}),
    "andere ehemalige bewerber": ("ba.bewerber", {"ba-status": "andere-ehemalige"}),
    "bewerber mit alternative": ("ba.bewerber", {"ba-status": "mit-alternative"}),
    "unversorgte bewerber": ("ba.bewerber", {"ba-status": "unversorgt"}),
    "versorgte bewerber": ("ba.bewerber", {"ba-status": "versorgt"}),
    "stellen": ("ba.stellen", {}),
    "betriebliche stellen": ("ba.stellen", {"stellenart": "betrieblich"}),
    "außerbetriebliche stellen": ("ba.stellen", {"stellenart": "ausserbetrieblich"}),
    "unbesetzte stellen": ("ba.stellen.unbesetzt", {}),
    "naa": ("bibb.naa", {}),
    "außerbetriebliche naa": ("bibb.naa", {"stellenart": "ausserbetrieblich"}),
}
REQUIRED = ["region", "berichtsjahr"]


def ba_detect(path: Path) -> bool:
    if Path(path).suffix.lower() not in (".csv", ".xlsx"):
        return False
    first, _ = table_rows_sample(path, head=1, tail=0)
    if not first:
        return False
    header = header_index(first[0])
    return all(c in header for c in REQUIRED) and any(c in header for c in COLUMNS)


def _number(text: str) -> tuple[Decimal | None, str]:
    text = (text or "").strip()
    if text in ("*", "."):
        return None, "."
    if text == "-":
        return Decimal(0), "-"
    try:
        return Decimal(text.replace(".", "").replace(",", ".") if "," in text else text), ""
    except InvalidOperation as exc:
        raise ValueError(f"„{text}“ ist keine Zahl") from exc


def ba_dataset(path: Path, *, tenant=None, fmt: str = "ba", **options) -> Dataset:
    rows = table_rows(path)
    if not rows:
        raise ImportRejected("Die Datei ist leer.")
    header_line, header = rows[0]
    index = header_index(header)
    problems = [
        RowProblem(header_line, c, "Pflichtspalte fehlt") for c in ("Region", "Berichtsjahr") if c.lower() not in index
    ]
    value_cols = {name: pos for name, pos in index.items() if name in COLUMNS}
    if not value_cols:
        problems.append(
            RowProblem(header_line, None, "Keine Wertspalte gefunden (z. B. „Bewerber“, „unbesetzte Stellen“).")
        )
    if problems:
        raise ImportRejected(problems)
    known = set(
        Region.objects.filter(
            code__in={r[index["region"]].strip() for _, r in rows[1:] if len(r) > index["region"]}
        ).values_list("code", flat=True)
    )
    kldb = KldbColumn()
    dataset = Dataset(
        format="ba",
        source={
            "code": options.get("source_code") or "ba-ausbildungsmarkt",
            "publisher": "Statistik der Bundesagentur für Arbeit",
            "title": "Ausbildungsmarktbilanz (Bewerber*innen und Berufsausbildungsstellen)",
            "attribution": "Quelle: Statistik der Bundesagentur für Arbeit; BIBB-Erhebung zum 30. September",
            "licence": "Statistik der BA: Nutzung mit Quellenangabe",
            "url": "https://statistik.arbeitsagentur.de",
        },
    )
    for line, row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        region = row[index["region"]].strip() if len(row) > index["region"] else ""
        if region not in known:
            problems.append(RowProblem(line, "Region", f"Gebiet „{region}“ ist unbekannt."))
            continue
        raw_period = row[index["berichtsjahr"]].strip() if len(row) > index["berichtsjahr"] else ""
        period = (
            f"BJ{int(raw_period) - 1}/{int(raw_period) % 100:02d}" if re.fullmatch(r"\d{4}", raw_period) else raw_period
        )
        try:
            period_parse(period)
        except ValueError as exc:
            problems.append(RowProblem(line, "Berichtsjahr", str(exc)))
            continue
        extra = {}
        if "kldb" in index:
            try:
                extra = kldb.read(row[index["kldb"]] if len(row) > index["kldb"] else "")
            except ValueError as exc:
                problems.append(RowProblem(line, "KldB", str(exc)))
                continue
        for name, pos in value_cols.items():
            cell = row[pos] if pos < len(row) else ""
            if not cell.strip():
                continue
            try:
                value, flag = _number(cell)
            except ValueError as exc:
                problems.append(RowProblem(line, header[pos], str(exc)))
                continue
            stat, cats = COLUMNS[name]
            dataset.values.append(
                {
                    "statistic": stat,
                    "region": region,
                    "period": period,
                    "categories": {**cats, **extra},
                    "value": value,
                    "flag": flag,
                    "line": line,
                }
            )
    if problems:
        raise ImportRejected(problems)
    from ..catalogue import BREAKDOWNS, STATISTICS

    used = {v["statistic"] for v in dataset.values}
    for code in ("ba-status", "stellenart"):
        dataset.breakdowns[code] = BREAKDOWNS[code]
    occupations = kldb.breakdown()
    if occupations:
        dataset.breakdowns["kldb"] = occupations
        dataset.notes.append(KLDB_NOTE)
    for code, name, unit, aggregation, breakdowns, description in STATISTICS:
        if code in used:
            dataset.statistics.append(
                {
                    "code": code,
                    "name": name,
                    "unit": unit,
                    "aggregation": aggregation,
                    "description": description,
                    "breakdowns": breakdowns + (["kldb"] if occupations and code != "bibb.naa" else []),
                }
            )
    return dataset
