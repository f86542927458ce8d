"""GENESIS / Regionalstatistik classic table CSV ("CSV" download) — any table, not a known list.

Layout (domain README §3): ``GENESIS-Tabelle: <code>``, title lines, stacked header lines (merged
cells repeated, key columns empty), optionally a unit line, data rows ``year;key;name[;extra
key];values…``, the end marker ``__________``, then footnotes, the © licence line and ``Stand:``.

The first header line names the statistic (Merkmal); further lines are breakdown names followed
by their categories, or categories alone (then the breakdown's name is inferred: weiblich →
Geschlecht, …abschluss → Abschlussart). "Insgesamt" is the total and is left out of the key.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from bildungskette.core.importing import ImportRejected, RowProblem
from bildungskette.regions.models import Region, RegionKind
from bildungskette.regions.services import official_region_create

from ..periods import period_parse, school_year_code
from ..services import value_parse

TOTAL_WORDS = {"insgesamt", "zusammen", "gesamt", "alle", "total"}
UNITS = {
    "anzahl",
    "prozent",
    "%",
    "eur",
    "euro",
    "tsd. eur",
    "1000 eur",
    "1000",
    "tsd.",
    "personen",
    "jahre",
    "km²",
    "ha",
    "tage",
    "stunden",
    "je 1000",
    "je 1000 einwohner",
    "mio. eur",
    "tausend",
}
BREAKDOWN_SYNONYMS = {"davon mit": "Abschlussart", "darunter mit": "Abschlussart", "abschluss": "Abschlussart"}
REGION_KEY = re.compile(r"^(DG|\d{2}|\d{3}|\d{5}|\d{8})$")
END_MARKER = re.compile(r"^_{5,}")
ATTRIBUTION_DEFAULT = "© Statistische Ämter des Bundes und der Länder, Deutschland"
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"


@dataclass
class Column:
    index: int
    statistic: str
    unit: str
    categories: dict[str, str]  # breakdown name -> category label


@dataclass
class ParsedTable:
    """A GENESIS table read into memory, not yet stored."""

    table_code: str
    title: str
    columns: list[Column]
    extra_keys: list[str]  # breakdown names of extra key columns
    rows: list[dict] = field(default_factory=list)  # {line, period, region, region_name, extra, cells}
    footnotes: str = ""
    attribution: str = ""
    published_on: datetime.date | None = None
    period_kind_note: str = ""
    problems: list[RowProblem] = field(default_factory=list)

    def statistics(self) -> dict[str, str]:
        out = {}
        for c in self.columns:
            out.setdefault(c.statistic, c.unit)
        return out

    def breakdowns(self) -> dict[str, list[str]]:
        """breakdown name -> category labels in file order (totals included)."""
        out: dict[str, list[str]] = {}
        for name in self.extra_keys:
            out.setdefault(name, [])
        for c in self.columns:
            for b, cat in c.categories.items():
                if cat not in out.setdefault(b, []):
                    out[b].append(cat)
        for row in self.rows:
            for b, cat in zip(self.extra_keys, row["extra"], strict=False):
                if cat not in out[b]:
                    out[b].append(cat)
        return out


def genesis_decode(raw: bytes) -> str:
    """GENESIS classic CSV is ISO-8859-1; UTF-8 is accepted too. Anything else is rejected by line."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4000]:
        raise ImportRejected(
            [
                RowProblem(
                    1,
                    None,
                    "Die Datei ist nicht im erwarteten Zeichensatz gespeichert "
                    "(UTF-16 erkannt; erwartet ISO-8859-1 oder UTF-8).",
                )
            ]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("iso-8859-1")
    for number, line in enumerate(text.splitlines(), start=1):
        bad = [ch for ch in line if ("\x80" <= ch <= "\x9f") or (ch < " " and ch not in "\t")]
        if bad:
            raise ImportRejected(
                [
                    RowProblem(
                        number,
                        None,
                        "Die Zeile enthält unlesbare Steuerzeichen – die Datei "
                        "ist nicht ISO-8859-1- oder UTF-8-kodiert.",
                    )
                ]
            )
    return text


def genesis_detect(path: Path) -> bool:
    if path.suffix.lower() not in (".csv", ".txt"):
        return False
    head = path.open("rb").read(200)
    try:
        first = head.decode("iso-8859-1").splitlines()[0]
    except IndexError:
        return False
    return bool(re.match(r'^"?(GENESIS-)?Tabelle:\s*\S+', first))


def _infer_breakdown(categories: list[str], position: int) -> str:
    lowered = [c.lower() for c in categories]
    if any(c in ("weiblich", "männlich", "maennlich") for c in lowered):
        return "Geschlecht"
    if any("abschluss" in c or "reife" in c for c in lowered):
        return "Abschlussart"
    if any("ausländ" in c or "deutsch" in c for c in lowered):
        return "Nationalität"
    if any(re.search(r"\bjahre?\b|unter \d+", c) for c in lowered):
        return "Altersgruppe"
    return f"Merkmal {position}"


def _breakdown_from_title(title: str, position: int) -> str:
    """Name of an extra key column, from "… nach Schularten …" in the title."""
    words = re.findall(r"nach ([A-ZÄÖÜ][\wäöüß]+)", title)
    for word in words:
        if word.endswith("arten"):
            return word[:-2]
        if word.endswith("gruppen"):
            return word[:-2]
    return f"Merkmal {position}"


def _is_total(label: str) -> bool:
    return label.strip().lower() in TOTAL_WORDS


def genesis_table_parse(text: str) -> ParsedTable:
    """Read the table into memory; raises ImportRejected with line numbers for a broken file."""
    lines = text.splitlines()
    end = next((i for i, line in enumerate(lines) if END_MARKER.match(line.strip('"; '))), None)
    if end is None:
        raise ImportRejected(
            [
                RowProblem(
                    len(lines),
                    None,
                    "Das Ende des Datenblocks (Zeile „__________“) fehlt – die Datei ist unvollständig.",
                )
            ]
        )
    body = list(csv.reader(io.StringIO("\n".join(lines[:end])), delimiter=";"))
    first = (body[0][0] if body and body[0] else "").strip()
    m = re.match(r"^(?:GENESIS-)?Tabelle:\s*(\S+)", first)
    if not m:
        raise ImportRejected(
            [RowProblem(1, "A", "Keine GENESIS-Tabelle: die erste Zeile muss „GENESIS-Tabelle: <Code>“ lauten.")]
        )
    table_code = m.group(1)
    i = 1
    title_parts = []
    while i < len(body) and body[i] and body[i][0].strip():
        title_parts.append(body[i][0].strip())
        i += 1
    header = []
    while i < len(body) and (not body[i] or not body[i][0].strip()):
        if body[i] and any(c.strip() for c in body[i]):
            header.append((i + 1, body[i]))
        i += 1
    if not header:
        raise ImportRejected([RowProblem(i + 1, None, "Keine Kopfzeilen gefunden (Merkmale und Ausprägungen).")])
    title = " ".join(title_parts)
    width = max(len(r) for _, r in header)
    grid = [r + [""] * (width - len(r)) for _, r in header]
    start = min(next(j for j, c in enumerate(r) if c.strip()) for r in grid)
    unit_row = None
    if all((c.strip().lower() in UNITS) for c in grid[-1][start:] if c.strip()) and len(grid) > 1:
        unit_row = grid.pop()
    stat_row, rest = grid[0], grid[1:]
    kinds = []
    for k, row in enumerate(rest):
        has_total = any(_is_total(c) for c in row[start:])
        kinds.append("cat" if has_total or k == len(rest) - 1 else "name")
    default_unit = "Anzahl"
    if um := re.search(r"\((Anzahl|Prozent|EUR|%)\)", title):
        default_unit = um.group(1)
    inferred: dict[int, str] = {}
    for k, row in enumerate(rest):
        if kinds[k] == "cat" and (k == 0 or kinds[k - 1] != "name"):
            inferred[k] = _infer_breakdown([c for c in row[start:] if c.strip()], k + 1)
    columns = []
    for j in range(start, width):
        stat = stat_row[j].strip()
        if not stat:
            # A column with no statistic repeats the one to its left (merged cell written once).
            stat = columns[-1].statistic if columns else ""
        if not stat:
            raise ImportRejected([RowProblem(header[0][0], _col_name(j), "Spalte ohne Merkmalsnamen.")])
        cats: dict[str, str] = {}
        pending = None
        for k, row in enumerate(rest):
            cell = row[j].strip()
            if kinds[k] == "name":
                pending = BREAKDOWN_SYNONYMS.get(cell.lower(), cell) if cell else None
            elif cell:
                name = pending or inferred.get(k) or f"Merkmal {k + 1}"
                cats[name] = cell
                pending = None
        unit = (unit_row[j].strip() if unit_row else "") or default_unit
        columns.append(Column(index=j, statistic=stat, unit=unit, categories=cats))
    extra_count = max(start - 3, 0)
    extra_keys = [_breakdown_from_title(title, n + 1) for n in range(extra_count)]
    table = ParsedTable(table_code=table_code, title=title, columns=columns, extra_keys=extra_keys)
    school_year = "schuljahr" in title.lower() and "schuljahresbeginn" not in title.lower()
    if "schuljahresbeginn" in title.lower():
        table.period_kind_note = "Stichtag Schuljahresbeginn: Jahr J = Schuljahr J/J+1"
    elif school_year:
        table.period_kind_note = "Schuljahr: Jahr J = Schuljahr J-1/J (Abgangsjahr)"
    problems = table.problems
    for n in range(i, len(body)):
        row = body[n]
        line = n + 1
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) != width:
            problems.append(RowProblem(line, None, f"Die Zeile hat {len(row)} statt {width} Spalten."))
            continue
        year_cell, key, name = row[0].strip(), row[1].strip(), row[2].strip()
        if not re.fullmatch(r"\d{4}", year_cell):
            problems.append(RowProblem(line, "A", f"„{year_cell}“ ist keine Jahresangabe."))
            continue
        year = int(year_cell)
        if "schuljahresbeginn" in title.lower():
            period = school_year_code(year + 1)
        elif school_year:
            period = school_year_code(year)
        else:
            period = year_cell
        if not REGION_KEY.match(key):
            problems.append(RowProblem(line, "B", f"„{key}“ ist kein gültiger Regionalschlüssel."))
            continue
        cells = []
        bad = False
        for c in columns:
            try:
                cells.append(value_parse(row[c.index]))
            except ValueError as exc:
                problems.append(RowProblem(line, _col_name(c.index), str(exc)))
                bad = True
        if bad:
            continue
        table.rows.append(
            {
                "line": line,
                "period": period,
                "region": key,
                "region_name": name,
                "extra": [row[3 + e].strip() for e in range(extra_count)],
                "cells": cells,
            }
        )
    tail = "\n".join(lines[end + 1 :])
    if cm := re.search(r"(©[^\n\"]*)", tail):
        table.attribution = cm.group(1).strip().rstrip(".")
    if sm := re.search(r"Stand:\s*(\d{2})\.(\d{2})\.(\d{4})", tail):
        table.published_on = datetime.date(int(sm[3]), int(sm[2]), int(sm[1]))
    table.footnotes = tail.strip()[:20000]
    if not table.rows and not problems:
        problems.append(RowProblem(i + 1, None, "Die Tabelle enthält keine Datenzeilen."))
    return table


def _col_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def genesis_regions_resolve(table: ParsedTable, *, create: bool) -> tuple[dict[str, int], list[str]]:
    """Map the table's region keys to Regions; create missing official ones (RB, Statistische Region,
    former Kreise, Gemeinden) under their Land, named as in the file. Unknown Länder are rejected."""
    keys = {}
    for row in table.rows:
        keys.setdefault(row["region"], (row["region_name"], row["line"]))
    existing = dict(Region.objects.filter(code__in=keys, tenant__isnull=True).values_list("code", "pk"))
    notes, missing = [], []
    for key, (name, line) in sorted(keys.items()):
        if key in existing:
            continue
        if key == "DG" or len(key) == 2:
            table.problems.append(RowProblem(line, "B", f"Regionalschlüssel „{key}“ ({name}) ist unbekannt."))
            continue
        missing.append((key, name, line))
    if not missing:
        return existing, notes
    prefixes = {k[:n] for k, _, _ in missing for n in (2, 3, 5)}
    parents = dict(Region.objects.filter(code__in=prefixes, tenant__isnull=True).values_list("code", "pk"))
    for key, name, line in missing:
        if key[:2] not in parents:
            table.problems.append(
                RowProblem(line, "B", f"Regionalschlüssel „{key}“ ({name}) ist unbekannt: kein Land {key[:2]}.")
            )
            continue
        if not create:
            notes.append(f"{key} {name.strip()}")
            continue
        label = name.strip()
        if len(key) == 3:
            kind = (
                RegionKind.STATISTISCHE_REGION
                if "statistische region" in label.lower()
                else RegionKind.REGIERUNGSBEZIRK
            )
        elif len(key) == 5:
            kind = RegionKind.KREIS
        else:
            kind = RegionKind.GEMEINDE
        parent_code = next((key[:n] for n in (5, 3, 2) if n < len(key) and key[:n] in parents), key[:2])
        region = official_region_create(
            code=key,
            label=label,
            kind=kind,
            parent_id=parents[parent_code],
            source=f"aus GENESIS-Tabelle {table.table_code} (nicht in den amtlichen Gebietsdateien)",
        )
        existing[key] = region.pk
        parents[key] = region.pk
        notes.append(f"{key} {label}")
    return existing, notes


def multiple_of(values: list[Decimal], n: int) -> bool:
    nonzero = [v for v in values if v]
    return len(nonzero) >= 20 and all(v % n == 0 for v in nonzero)


def genesis_rounded_lands(table: ParsedTable) -> dict[str, int]:
    """Länder whose values in this table are all multiples of 3, 5 or 10: rounded (e.g. NRW school
    statistics to 5 since 2019/20). With 20+ non-zero values this cannot happen by chance."""
    by_land: dict[str, list[Decimal]] = {}
    for row in table.rows:
        if row["region"] == "DG":
            continue
        by_land.setdefault(row["region"][:2], []).extend(v for v, _ in row["cells"] if v is not None)
    found = {}
    for land, values in by_land.items():
        for n in (10, 5, 3):
            if multiple_of(values, n):
                found[land] = n
                break
    return found


def period_code_check(code: str) -> None:
    period_parse(code)
