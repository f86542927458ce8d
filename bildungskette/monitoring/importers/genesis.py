"""The layout of a classic GENESIS table (GENESIS-Online, Regionaldatenbank, Landesdatenbanken).

Every classic table CSV has the same five parts, and each is read for what it is, not matched
against a list of known tables::

    GENESIS-Tabelle: 12411-01-01-4                     ← table code
    Bevölkerung nach Geschlecht - Stichtag 31.12. …    ← title block (may name the statistic
    Bevölkerungsstand (Anzahl)                            "Name (Einheit)" and a Stichtag)
    ;;Stichtag;Stichtag;Stichtag                       ← stacked column headers, any depth:
    ;;31.12.2018;31.12.2018;31.12.2018                   statistic, breakdown names, categories,
    ;;Insgesamt;männlich;weiblich                        time, Länder by name, unit
    DG;Deutschland;83019213;40966691;42052522          ← data block: row key columns, value cells
    __________                                         ← footer: footnotes, ©, "Stand:"

Row key columns are recognised by their content: time (year, Stichtag ``dd.mm.yyyy``, month name,
quarter, half-year, semester, school year, reporting year), region key + name, a Land by name, or
any other key (age, month, cause of death, Schulart …) which becomes a breakdown. Without a region
the table is national (Deutschland, ``DG``); without a time key the time comes from the headers or
the title ("Stichtag: 30.06.2020").

The result is a ``ParsedTable`` of ``Record``\\ s — one per value cell with statistic, unit, region,
period and ``{breakdown name: category label}``. The flat-file reader (ffcsv) produces the same
records, so both forms of one table store identical values.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from bildungskette.core.importing import ImportRejected, RowProblem
from bildungskette.regions.models import Region, RegionKind
from bildungskette.regions.services import official_region_create

from ..periods import MONTHS_DE, period_parse, school_year_code
from ..services import value_parse

TOTAL_WORDS = {"insgesamt", "gesamt", "alle", "total", "deutschland insgesamt"}
UNIT_PATTERN = re.compile(
    r"^(?:\d[\d .]*\s*)?(?:(?:tsd|mio|mill|mrd)\.?\s*|tausend\s*)?"
    r"(?:anzahl|prozent|%|‰|promille|euro|eur|tsd\.?|tausend|1000|personen|jahre|tage|stunden|std\.?|qkm|km²|km2|km|"
    r"qm|m²|m2|m³|m3|ha|dt/ha|dt|t|kg|kwh|mwh|gwh|mw|kw|ew/qkm|index|punkte|je \S+)"
    r"(?:\s+(?:je|pro|in|auf)\s+.*)?$",
    re.IGNORECASE,
)
TIME_WORDS = {
    "stichtag",
    "jahr",
    "jahre",
    "monat",
    "monate",
    "quartal",
    "quartale",
    "halbjahr",
    "halbjahre",
    "semester",
    "schuljahr",
    "schuljahre",
    "berichtsjahr",
    "zeit",
}
# Header words that name a breakdown; "davon mit" in school tables lists the Abschlussarten.
BREAKDOWN_SYNONYMS = {"davon mit": "Abschlussart", "darunter mit": "Abschlussart", "abschluss": "Abschlussart"}
REGION_KEY = re.compile(r"^(DG|\d{2}|\d{3}|\d{5}|\d{8}|\d{9}|\d{12})$")
END_MARKER = re.compile(r"^_{5,}")
ATTRIBUTION_DEFAULT = "© Statistische Ämter des Bundes und der Länder, Deutschland"
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
LAENDER = {
    "schleswig-holstein": "01",
    "hamburg": "02",
    "niedersachsen": "03",
    "bremen": "04",
    "nordrhein-westfalen": "05",
    "hessen": "06",
    "rheinland-pfalz": "07",
    "baden-württemberg": "08",
    "bayern": "09",
    "saarland": "10",
    "berlin": "11",
    "brandenburg": "12",
    "mecklenburg-vorpommern": "13",
    "sachsen": "14",
    "sachsen-anhalt": "15",
    "thüringen": "16",
}
NATIONAL = {"deutschland", "insgesamt", "deutschland insgesamt", "bundesgebiet"}
MONTH_INDEX = {name.lower(): n for n, name in enumerate(MONTHS_DE, start=1)} | {"maerz": 3}


class Role:
    """How a category relates to the others of its breakdown (stored on ``Category.role``)."""

    PART = "part"  # one of several disjoint parts: summing them gives the total
    SUBTOTAL = "subtotal"  # "… zusammen": already the sum of other categories
    SUBSET = "subset"  # "darunter …", or a selected group beside others: never summed


@dataclass(slots=True)
class Record:
    """One value cell of a table with everything it means (slots: a large table holds many)."""

    line: int
    column: str
    statistic: str
    unit: str
    region: str
    region_name: str
    period: str
    categories: dict[str, str]  # breakdown name -> category label (totals left out)
    value: Decimal | None
    flag: str


@dataclass
class ParsedTable:
    """A GENESIS table read into memory, not yet stored."""

    table_code: str
    title: str
    records: list[Record] = field(default_factory=list)
    # breakdown name -> {category label: (role, parent label or "")}, in file order
    breakdowns: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    footnotes: str = ""
    attribution: str = ""
    published_on: datetime.date | None = None
    period_kind_note: str = ""
    warnings: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    further: list[ParsedTable] = field(default_factory=list)  # further blocks of the same file

    def category_add(self, breakdown: str, label: str, role: str = Role.PART, parent: str = "") -> None:
        cats = self.breakdowns.setdefault(breakdown, {})
        if label not in cats or (cats[label][0] == Role.PART and role != Role.PART):
            cats[label] = (role, parent)

    def all_blocks(self) -> list[ParsedTable]:
        return [self] + [b for f in self.further for b in f.all_blocks()]


# --------------------------------------------------------------------------- decoding


# The characters the line check below refuses, less those that end a line for str.splitlines()
# (\n \r \x0b \x0c \x1c-\x1e \x85): one search over the whole text finds whether any line has one.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0e-\x1b\x1f\x80-\x84\x86-\x9f]")


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
    if not _CONTROL_CHARACTER.search(text):
        return text
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
        first = head.decode("iso-8859-1").lstrip("\ufeffï»¿").splitlines()[0]
    except IndexError:
        return False
    return bool(re.match(r'^"?(GENESIS-)?Tabelle:\s*\S+', first))


# --------------------------------------------------------------------------- cell meanings


def col_name(index: int) -> str:
    """Spreadsheet column letter of a 0-based index (A, B, …, Z, AA …)."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


_col_name = col_name


def _is_total(label: str) -> bool:
    return label.strip().lower() in TOTAL_WORDS


@lru_cache(maxsize=4096)  # pure, and every data row of a table repeats the same few times
def time_parse(text: str) -> str | None:
    """A period code for a time cell, or None if the cell is no time.

    ``2020`` · ``31.12.2020`` → ``2020-12-31`` · ``Januar 2020`` → ``2020-01`` · ``1. Quartal 2020``
    → ``2020-Q1`` · ``1. Halbjahr 2020`` → ``2020-H1`` · ``WS 2020/21`` → ``WS2020/21`` · ``2022/23``
    and ``Schuljahr 2022/23`` → ``2022/23`` · ``Berichtsjahr 2018/19`` → ``BJ2018/19``.
    """
    t = " ".join(text.split())
    if re.fullmatch(r"\d{4}", t):
        return t
    if m := re.fullmatch(r"(\d{2})\.(\d{2})\.(\d{4})", t):
        return f"{m[3]}-{m[2]}-{m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
        return t
    if m := re.fullmatch(r"([A-Za-zäÄ]+)\s+(\d{4})", t):
        month = MONTH_INDEX.get(m[1].lower())
        if month:
            return f"{m[2]}-{month:02d}"
    if m := re.fullmatch(r"(?:([1-4])\.\s*Quartal|Q([1-4]))\s+(\d{4})", t, re.IGNORECASE):
        return f"{m[3]}-Q{m[1] or m[2]}"
    if m := re.fullmatch(r"(\d{4})\s*-?\s*Q([1-4])", t):
        return f"{m[1]}-Q{m[2]}"
    if m := re.fullmatch(r"([12])\.\s*Halbjahr\s+(\d{4})", t, re.IGNORECASE):
        return f"{m[2]}-H{m[1]}"
    if m := re.fullmatch(r"(?:WS|Wintersemester)\s*(\d{4})/(\d{2})", t, re.IGNORECASE):
        return f"WS{m[1]}/{m[2]}"
    if m := re.fullmatch(r"(?:SS|Sommersemester)\s*(\d{4})", t, re.IGNORECASE):
        return f"SS{m[1]}"
    if m := re.fullmatch(r"(?:Schuljahr\s+)?(\d{4})/(\d{2})", t, re.IGNORECASE):
        return f"{m[1]}/{m[2]}"
    if m := re.fullmatch(r"(?:Berichtsjahr\s+|BJ\s*)(\d{4})/(\d{2})", t, re.IGNORECASE):
        return f"BJ{m[1]}/{m[2]}"
    return None


def _month_of(text: str) -> int | None:
    return MONTH_INDEX.get(text.strip().lower())


def _quarter_of(text: str) -> str | None:
    t = " ".join(text.split())
    if m := re.fullmatch(r"([1-4])\.\s*Quartal|Quartal\s*([1-4])|Q([1-4])", t, re.IGNORECASE):
        return "Q" + (m[1] or m[2] or m[3])
    if m := re.fullmatch(r"([12])\.\s*Halbjahr", t, re.IGNORECASE):
        return "H" + m[1]
    return None


def land_key(name: str) -> str | None:
    t = " ".join(name.split()).lower()
    if t in NATIONAL:
        return "DG"
    return LAENDER.get(t)


def category_kind(label: str) -> str | None:
    """The breakdown a category label belongs to, from its wording (None if it does not tell)."""
    c = label.strip().lower()
    if c in ("männlich", "weiblich", "maennlich", "männer", "frauen", "divers", "ohne angabe (geschlecht)"):
        return "Geschlecht"
    if "ausländ" in c or c in ("deutsche", "deutsch", "deutsche(r)"):
        return "Nationalität"
    if "schwerbehindert" in c:
        return "Schwerbehinderung"
    if "langzeitarbeitslos" in c:
        return "Dauer der Arbeitslosigkeit"
    if "abschluss" in c or "reife" in c:
        return "Abschlussart"
    if re.search(r"\bjahren?\b|unter \d+|\d+-jährige|jährige|\d+ jahre und mehr", c):
        return "Altersgruppe"
    return None


def _singular(word: str) -> str:
    for plural, single in (
        ("arten", "art"),
        ("gruppen", "gruppe"),
        ("ursachen", "ursache"),
        ("zweigen", "zweig"),
        ("zweige", "zweig"),
        ("jahre", "jahr"),
        ("bereiche", "bereich"),
        ("klassen", "klasse"),
        ("stufen", "stufe"),
        ("formen", "form"),
        ("bereichen", "bereich"),
    ):
        if word.lower().endswith(plural):
            return word[: len(word) - len(plural)] + single
    return word


REGION_WORDS = ("deutschland", "bundesländer", "länder", "kreise", "gemeinden", "regierungsbezirke", "regionale")


def title_variables(title: str) -> list[str]:
    """Breakdown names a title lists: "Gestorbene: Deutschland, Jahre, Todesursachen, Geschlecht"
    (GENESIS-Online) or "… nach Geschlecht, Nationalität und Wirtschaftszweigen - Stichtag" (Regionaldatenbank)."""
    names: list[str] = []
    if m := re.match(r"^[^:]+:\s*(.+)$", title.split(" - ")[0]):
        parts = re.split(r",|;|\bund\b", m[1])
    else:
        parts = []
        for nm in re.finditer(r"\bnach\s+(.+?)(?:\s+-\s+|$)", title):
            parts += re.split(r",|\bund\b", nm[1])
    for part in parts:
        word = " ".join(part.split()).strip(" ,.-")
        if not word or any(w in word.lower() for w in REGION_WORDS) or word.lower() in TIME_WORDS:
            continue
        if word.lower().rstrip("e") in ("stichtag", "monat", "quartal", "jahr"):
            continue
        names.append(_singular(word))
    return names


def _is_unit_row(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(UNIT_PATTERN.match(c) for c in filled)


def _is_time_label_row(cells: list[str]) -> bool:
    filled = [c.strip().lower() for c in cells if c.strip()]
    return bool(filled) and all(c in TIME_WORDS for c in filled)


def _is_time_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(time_parse(c) for c in filled)


def _is_region_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(land_key(c) for c in filled) and any(land_key(c) != "DG" for c in filled)


# --------------------------------------------------------------------------- the layout


@dataclass
class _Column:
    index: int
    statistic: str = ""
    unit: str = ""
    period: str = ""
    region: str = ""
    region_name: str = ""
    categories: dict[str, str] = field(default_factory=dict)


def _rows_with_lines(text: str) -> list[tuple[int, list[str]]]:
    """CSV rows with the line each starts on (quoted footnotes span several lines)."""
    reader = csv.reader(io.StringIO(text), delimiter=";")
    rows, last = [], 0
    for row in reader:
        rows.append((last + 1, row))
        last = reader.line_num
    return rows


def genesis_table_parse(text: str) -> ParsedTable:
    """Read a classic GENESIS table (all blocks of the file) into records.

    Broken cells are collected in ``problems`` (line and column); a file whose layout cannot be
    read at all raises ``ImportRejected``. Stable entry point for other readers (e.g. a web client).
    """
    rows = _rows_with_lines(text.lstrip("\ufeff"))
    return _block_parse(rows, 0)


def _cell0(row: list[str]) -> str:
    return row[0].strip() if row else ""


def _block_parse(rows: list[tuple[int, list[str]]], start: int) -> ParsedTable:
    first_line, first = rows[start] if start < len(rows) else (1, [])
    m = re.match(r"^(?:GENESIS-)?Tabelle:\s*(\S+)", _cell0(first))
    if not m:
        raise ImportRejected(
            [
                RowProblem(
                    first_line, "A", "Keine GENESIS-Tabelle: die erste Zeile muss „GENESIS-Tabelle: <Code>“ lauten."
                )
            ]
        )
    table_code = m.group(1).rstrip(";")
    i = start + 1
    title_lines: list[str] = []
    while i < len(rows) and _cell0(rows[i][1]) and not END_MARKER.match(_cell0(rows[i][1])):
        # A title line may itself contain semicolons ("Gestorbene: Deutschland; Monate; Geschlecht").
        title_lines.append("; ".join(c.strip() for c in rows[i][1] if c.strip()))
        i += 1
    header: list[tuple[int, list[str]]] = []
    while i < len(rows) and not _cell0(rows[i][1]):
        if any(c.strip() for c in rows[i][1]):
            header.append(rows[i])
        i += 1
    title = " ".join(title_lines)
    table = ParsedTable(table_code=table_code, title=title)
    if not header:
        raise ImportRejected([RowProblem(rows[min(i, len(rows) - 1)][0], None, "Keine Kopfzeilen gefunden.")])
    width = max(len(r) for _, r in header)
    key_count = min(next(j for j, c in enumerate(r) if c.strip()) for _, r in header)
    # The data block: every row up to the end marker (or the end of the file).
    data: list[tuple[int, list[str]]] = []
    end = None
    while i < len(rows):
        line, row = rows[i]
        if END_MARKER.match(_cell0(row)):
            end = i
            break
        if re.match(r"^(?:GENESIS-)?Tabelle:", _cell0(row)):
            end = i - 1
            break
        if any(c.strip() for c in row):
            data.append((line, row))
        i += 1
    if end is None:
        table.warnings.append(
            "Die Fußzeile (Linie „__________“ mit Quelle und Stand) fehlt – die Datei ist möglicherweise "
            f"unvollständig. Gelesen wurden {len(data)} Datenzeilen bis zum Dateiende; bitte mit der "
            "Originaltabelle vergleichen."
        )
    _layout_read(table, header, data, width, key_count, title_lines)
    if end is not None:
        _footer_read(table, rows, end)
    return table


def _title_statistic(title_lines: list[str]) -> tuple[str, str] | None:
    for line in reversed(title_lines):
        if m := re.fullmatch(r"(.*\S)\s*\(([^()]+)\)", line.strip()):
            if UNIT_PATTERN.match(m[2].strip()):
                return m[1].strip(), m[2].strip()
    return None


def _title_period(title: str) -> str | None:
    if m := re.search(r"Stichtag:?\s*(\d{2}\.\d{2}\.\d{4})", title):
        return time_parse(m[1])
    if m := re.search(r"(?:Jahr|Berichtsjahr|Schuljahr):?\s*(\d{4}(?:/\d{2})?)\b", title):
        return time_parse(m[1])
    return None


@lru_cache(maxsize=4096)
def _school_year(code: str, title: str) -> str:
    """Plain years in school tables: "Schuljahresbeginn" J = J/J+1, "Schuljahr" J = J-1/J."""
    if not re.fullmatch(r"\d{4}", code):
        return code
    low = title.lower()
    if "schuljahresbeginn" in low:
        return school_year_code(int(code) + 1)
    if "schuljahr" in low:
        return school_year_code(int(code))
    return code


def _layout_read(table, header, data, width, key_count, title_lines) -> None:
    title = table.title
    low = title.lower()
    if "schuljahresbeginn" in low:
        table.period_kind_note = "Stichtag Schuljahresbeginn: Jahr J = Schuljahr J/J+1"
    elif "schuljahr" in low:
        table.period_kind_note = "Schuljahr: Jahr J = Schuljahr J-1/J (Abgangsjahr)"
    grid = [(line, [c.strip() for c in r] + [""] * (width - len(r))) for line, r in header]
    columns = [_Column(index=j) for j in range(key_count, width)]
    title_stat = _title_statistic(title_lines)
    unit_default = title_stat[1] if title_stat else "Anzahl"
    # 1. Rows that say time, region or unit.
    rest: list[tuple[int, list[str]]] = []
    for line, cells in grid:
        values = cells[key_count:]
        if _is_unit_row(values):
            for col, v in zip(columns, values, strict=True):
                col.unit = v
        elif _is_time_label_row(values):
            continue
        elif _is_time_row(values):
            for col, v in zip(columns, values, strict=True):
                col.period = _school_year(time_parse(v), title) if v else ""
        elif _is_region_row(values):
            for col, v in zip(columns, values, strict=True):
                col.region, col.region_name = (land_key(v) or "", v) if v else ("", "")
        else:
            rest.append((line, values))
    # 2. The statistic: the first remaining row, unless the title names it and that row is something else.
    stat_row = None
    if rest:
        first = [v for v in rest[0][1] if v]
        looks_like_categories = any(_is_total(v) for v in first) or all(category_kind(v) for v in first)
        if title_stat is None and not looks_like_categories:
            stat_row = rest.pop(0)[1]
        elif title_stat is not None and all(v.lower().startswith(title_stat[0].lower()[:12]) for v in first):
            stat_row = rest.pop(0)[1]
    fallback = title_stat[0] if title_stat else (title_lines[0] if title_lines else table.table_code)
    previous = ""
    for k, col in enumerate(columns):
        name = stat_row[k] if stat_row else ""
        col.statistic = name or previous or fallback
        previous = col.statistic
        col.unit = col.unit or unit_default
    # 3. Breakdown rows: names ("Geschlecht", "davon mit") above categories ("Insgesamt", "weiblich").
    kinds = []
    for r, (_, values) in enumerate(rest):
        filled = [v for v in values if v]
        if any(_is_total(v) for v in filled) or r == len(rest) - 1:
            kinds.append("cat")
        elif all(category_kind(v) for v in filled) or any(v.lower().startswith(("dar.", "darunter")) for v in filled):
            kinds.append("cat")
        else:
            kinds.append("name")
    leftover = [n for n in title_variables(title)]
    used_names: set[str] = set()
    for r, (_, values) in enumerate(rest):
        if kinds[r] != "cat":
            continue
        names_row = rest[r - 1][1] if r > 0 and kinds[r - 1] == "name" else None
        row_kinds = {category_kind(v) for v in values if v and not _is_total(v)}
        mixed = names_row is None and len(row_kinds - {None}) > 1
        row_default = None
        if names_row is None and not mixed:
            row_default = next(iter(row_kinds - {None}), None) or _leftover_name(leftover, used_names, r)
        parent_of: dict[str, str] = {}
        last_part = ""
        for col, v in zip(columns, values, strict=True):
            if not v:
                continue
            if names_row is not None and names_row[col.index - key_count]:
                raw_name = names_row[col.index - key_count]
                bname = BREAKDOWN_SYNONYMS.get(raw_name.lower(), _singular(raw_name))
            elif mixed:
                bname = category_kind(v) or _leftover_name(leftover, used_names, r)
            else:
                bname = row_default
            used_names.add(bname)
            if _is_total(v):
                table.breakdowns.setdefault(bname, {})
                continue
            col.categories[bname] = v
            lowered = v.lower()
            if lowered.startswith(("dar.", "darunter", "nachrichtl")):
                table.category_add(bname, v, Role.SUBSET, parent_of.get(v, last_part))
                parent_of.setdefault(v, last_part)
            elif mixed:
                table.category_add(bname, v, Role.SUBSET, "")
            elif lowered.endswith("zusammen") or " zusammen" in lowered:
                table.category_add(bname, v, Role.SUBTOTAL, "")
            else:
                table.category_add(bname, v, Role.PART, "")
                last_part = v
    # 4. Row keys: time, region key + name, Land by name, or a breakdown.
    key_roles = _key_roles(data, key_count)
    title_period = _title_period(title)
    if not any(r in ("time", "date") for r in key_roles) and not any(c.period for c in columns):
        if title_period is None:
            raise ImportRejected(
                [
                    RowProblem(
                        header[-1][0],
                        None,
                        "Kein Zeitbezug erkennbar: weder eine Zeitspalte (Jahr, Stichtag, Monat …) noch eine "
                        "Zeitangabe in den Kopfzeilen oder im Titel (z. B. „Stichtag: 30.06.2020“).",
                    )
                ]
            )
    breakdown_keys: dict[int, str] = {}
    for j, role in enumerate(key_roles):
        if role == "breakdown":
            values = [row[j].strip() for _, row in data if len(row) > j]
            kinds_found = {category_kind(v) for v in values if v and not _is_total(v)} - {None}
            name = next(iter(kinds_found)) if len(kinds_found) == 1 else _leftover_name(leftover, used_names, 100 + j)
            if name in used_names and name in table.breakdowns and kinds_found == set():
                name = f"{name} (Zeilen)"
            used_names.add(name)
            breakdown_keys[j] = name
            table.breakdowns.setdefault(name, {})
    # 5. Value cells. Column letters and each column's categories merged with a row's are worked out
    # once, not per cell (a goal-size table has hundreds of thousands of cells).
    problems = table.problems
    letters = {col.index: col_name(col.index) for col in columns}
    merged_categories: dict[tuple, dict[str, str]] = {}
    for line, row in data:
        if len(row) < width or (len(row) > width and any(c.strip() for c in row[width:])):
            problems.append(RowProblem(line, None, f"Die Zeile hat {len(row)} statt {width} Spalten."))
            continue
        period = title_period or ""
        year = month = sub = None
        region, region_name = "", ""
        cats: dict[str, str] = {}
        bad = False
        for j, role in enumerate(key_roles):
            cell = row[j].strip()
            if role == "time":
                code = time_parse(cell)
                if code is None:
                    problems.append(RowProblem(line, col_name(j), f"„{cell}“ ist keine Zeitangabe."))
                    bad = True
                    break
                if re.fullmatch(r"\d{4}", code):
                    year = code
                period = _school_year(code, title)
            elif role == "month":
                month = _month_of(cell)
            elif role == "subyear":
                sub = _quarter_of(cell)
            elif role == "region":
                if not REGION_KEY.match(cell):
                    problems.append(RowProblem(line, col_name(j), f"„{cell}“ ist kein gültiger Regionalschlüssel."))
                    bad = True
                    break
                region = cell
            elif role == "region_name":
                region_name = cell
            elif role == "land":
                region, region_name = land_key(cell) or "", cell
            elif role == "breakdown":
                bname = breakdown_keys[j]
                if cell and not _is_total(cell):
                    cats[bname] = cell
                    role_of = Role.SUBSET if cell.lower().startswith(("dar.", "darunter")) else Role.PART
                    if cell.lower().endswith("zusammen"):
                        role_of = Role.SUBTOTAL
                    table.category_add(bname, cell, role_of)
        if bad:
            continue
        if year and month:
            period = f"{year}-{month:02d}"
        elif year and sub:
            period = f"{year}-{sub}"
        cats_key = tuple(cats.items())
        append = table.records.append
        for col in columns:
            raw = row[col.index]
            try:
                value, flag = value_parse(raw)
            except ValueError as exc:
                problems.append(RowProblem(line, letters[col.index], str(exc)))
                continue
            reg = col.region or region or "DG"
            categories = merged_categories.get((col.index, cats_key))
            if categories is None:
                categories = merged_categories[(col.index, cats_key)] = {**col.categories, **cats}
            append(
                Record(
                    line=line,
                    column=letters[col.index],
                    statistic=col.statistic,
                    unit=col.unit,
                    region=reg,
                    region_name=col.region_name or region_name or ("Deutschland" if reg == "DG" else ""),
                    period=col.period or period,
                    categories=categories,
                    value=value,
                    flag=flag,
                )
            )
    if not table.records and not problems:
        problems.append(RowProblem(header[-1][0] + 1, None, "Die Tabelle enthält keine Datenzeilen."))
    for cats in table.breakdowns.values():
        _containing_mark(cats)


def _span(label: str) -> tuple[float, float] | None:
    """What a category covers, if its label says: a code range "(B-F)"/"(C)" (Wirtschaftszweige) or an
    age range ("15 bis unter 25 Jahre", "unter 3 Jahre", "75 Jahre und mehr")."""
    t = label.strip()
    if m := re.search(r"\(([A-Z])(?:-([A-Z]))?\)$", t):
        return (ord(m[1]), ord(m[2] or m[1]) + 0.5)
    low = t.lower()
    if m := re.fullmatch(r"(\d+) bis unter (\d+) jahren?", low):
        return (1000 + int(m[1]), 1000 + int(m[2]))
    if m := re.fullmatch(r"unter (\d+) jahren?", low):
        return (1000.0, 1000 + int(m[1]))
    if m := re.fullmatch(r"(\d+) jahre und (?:mehr|älter)", low):
        return (1000 + int(m[1]), 2000.0)
    return None


def _containing_mark(cats: dict[str, tuple[str, str]]) -> None:
    """A category whose range contains another one of the same breakdown ("Produzierendes Gewerbe (B-F)"
    beside "Baugewerbe (F)") is a sub-total: summing it with its parts would count twice."""
    spans = {label: _span(label) for label, (role, _) in cats.items() if role == Role.PART}
    spans = {label: s for label, s in spans.items() if s}
    for label, (lo, hi) in spans.items():
        for other, (olo, ohi) in spans.items():
            if other != label and lo <= olo and ohi <= hi and (lo, hi) != (olo, ohi):
                cats[label] = (Role.SUBTOTAL, "")
                break


def _leftover_name(leftover: list[str], used: set[str], position: int) -> str:
    for name in leftover:
        if name not in used:
            return name
    return f"Merkmal {position + 1}"


def _key_roles(data: list[tuple[int, list[str]]], key_count: int) -> list[str]:
    """What each row key column holds, judged by all its values."""
    roles: list[str] = []
    for j in range(key_count):
        values = [row[j].strip() for _, row in data if len(row) > j and row[j].strip()]
        if not values:
            roles.append("breakdown")
        elif (
            "region" not in roles
            and all(REGION_KEY.match(v) for v in values)
            and _looks_like_region_keys(data, j, key_count, values)
        ):
            roles.append("region")
        elif roles and roles[-1] == "region":
            roles.append("region_name")
        elif all(time_parse(v) for v in values) and "time" not in roles:
            roles.append("time")
        elif all(_month_of(v) for v in values):
            roles.append("month")
        elif all(_quarter_of(v) for v in values):
            roles.append("subyear")
        elif "region" not in roles and all(land_key(v) for v in values) and any(land_key(v) != "DG" for v in values):
            roles.append("land")
        else:
            roles.append("breakdown")
    # A region key column is only a region if it has no time column interpretation left over.
    return roles


def _looks_like_region_keys(data, j: int, key_count: int, values: list[str]) -> bool:
    """Region keys, not plain numbers (two-digit ages, four-digit years): DG or 5+ digits occur, or a
    name column follows."""
    if all(re.fullmatch(r"\d{4}", v) for v in values):
        return False
    if any(v == "DG" or len(v) >= 5 for v in values):
        return True
    if j + 1 < key_count:
        names = [row[j + 1].strip() for _, row in data[:50] if len(row) > j + 1]
        return bool(names) and all(n and not n.replace(",", "").isdigit() for n in names)
    return False


def _footer_read(table: ParsedTable, rows: list[tuple[int, list[str]]], end: int) -> None:
    """Footnotes as readable text (CSV quoting removed); attribution and "Stand:" date; further
    blocks of the same file are read as tables of their own, anything else that looks like data is refused."""
    lines: list[str] = []
    i = end + 1
    while i < len(rows):
        line, row = rows[i]
        first = _cell0(row)
        if re.match(r"^(?:GENESIS-)?Tabelle:", first):
            table.further.append(_block_parse(rows, i))
            break
        if END_MARKER.match(first):
            i += 1
            continue
        filled = [c.strip() for c in row if c.strip()]
        numeric = [c for c in filled[1:] if re.fullmatch(r"-?[\d.]+(,\d+)?", c)]
        if len(filled) >= 3 and len(numeric) >= 2:
            table.problems.append(
                RowProblem(
                    line,
                    None,
                    "Nach dem Ende des Datenblocks (Linie „__________“) folgen weitere Datenzeilen ohne eigenen "
                    "Tabellenkopf. Die Datei ist zusammengesetzt oder beschädigt – bitte jede Tabelle einzeln "
                    "herunterladen.",
                )
            )
            break
        lines.append(" ".join(filled))
        i += 1
    tail = "\n".join(lines).strip()
    if cm := re.search(r"(©[^\n]*)", tail):
        table.attribution = cm.group(1).strip().rstrip(".").replace(" ;", ",").replace(";", ",")
        table.attribution = re.sub(r",(\d{4})$", r", \1", table.attribution)
    elif cm := re.search(r"\(C\)opyright ([^\n]*)", tail):
        table.attribution = "© " + cm.group(1).strip()
    if sm := re.search(r"Stand:\s*(\d{2})\.(\d{2})\.(\d{4})", tail):
        table.published_on = datetime.date(int(sm[3]), int(sm[2]), int(sm[1]))
    table.footnotes = tail[:20000]


# --------------------------------------------------------------------------- regions and rounding


def genesis_region_keys(table: ParsedTable) -> dict[str, tuple[str, int]]:
    """Region key → (name in the file, first line) of a table's records."""
    keys: dict[str, tuple[str, int]] = {}
    for rec in table.records:
        keys.setdefault(rec.region, (rec.region_name, rec.line))
    return keys


def genesis_regions_resolve(
    table: ParsedTable, *, create: bool, keys: dict[str, tuple[str, int]] | None = None
) -> tuple[dict[str, int], list[str]]:
    """Map the table's region keys to Regions; create missing official ones (RB, Statistische Region,
    former Kreise, Gemeinden) under their Land, named as in the file. Unknown Länder are rejected.
    ``keys`` (from ``genesis_region_keys``) stands in for records already let go."""
    if keys is None:
        keys = genesis_region_keys(table)
    existing = dict(Region.objects.filter(code__in=keys, tenant__isnull=True).values_list("code", "pk"))
    notes, missing = [], []
    for key, (name, line) in sorted(keys.items()):
        if key in existing:
            continue
        if len(key) == 2:  # a Land or "DG": both are in the region files, never created
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
    for rec in table.records:
        if rec.region == "DG" or rec.value is None:
            continue
        by_land.setdefault(rec.region[:2], []).append(rec.value)
    found = {}
    for land, values in by_land.items():
        if any(v != v.to_integral_value() for v in values):
            continue
        for n in (10, 5, 3):
            if multiple_of(values, n):
                found[land] = n
                break
    return found


def period_code_check(code: str) -> None:
    period_parse(code)
