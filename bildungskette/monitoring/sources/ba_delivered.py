"""BA statistics as the Agentur delivers them (XLSX downloads and custom orders), and BIBB by Agenturbezirk.

**Not yet checked against an original file.** No original BA table could be found with the
search tools; this reader follows the layout the BA documents for its table products and custom
orders (see docs/monitoring.md, "BA-Tabellen wie geliefert"):

- title rows on top (product, region, ``Berichtsmonat September 2019`` / ``Berichtsjahr
  2018/19`` / ``Stichtag 30.09.2019``), notes;
- a two-row header around rows 12–13: the first row names the group (``Bewerber für
  Berufsausbildungsstellen``, merged across its columns, so only the first cell carries it), the
  second the column (``Insgesamt``, ``unversorgte Bewerber`` …); the first column is the region
  (``06611 Kassel, kreisfreie Stadt`` or ``Agentur für Arbeit Kassel``), optionally a column
  ``Beruf (KldB 2010)`` with ``5-digit code + title``;
- symbols ``-`` (nothing, exactly 0), ``*`` (fewer than 3 / anonymised → secret), ``x`` (not
  applicable), ``.`` (unknown);
- footnotes after the data and the footer ``© Statistik der Bundesagentur für Arbeit``.

The CSV of the BA statistics table API is read in its long form: one value per row with the
columns ``Regionalschlüssel`` (or ``Region``), ``Zeit``, ``Merkmal`` (the column label as in the
XLSX, e.g. ``Bewerber für Berufsausbildungsstellen | unversorgte Bewerber``) and ``Wert``.

Products: ``ausbildungsmarkt`` (Bewerber und Berufsausbildungsstellen, status on 30 September
or per month), ``arbeitsmarkt`` (Arbeitsmarkt in Zahlen: Arbeitslose, Quoten), ``sgb2``
(Grundsicherung: erwerbsfähige Leistungsberechtigte unter 25, Hilfequote) and ``bibb`` (BIBB
survey of new contracts to 30 September, by Arbeitsagenturbezirk). A file that says it was
constructed ("nachgebaut"/"synthetisch" in its title rows) becomes a synthetic source.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from bildungskette.core.importing import ImportRejected, RowProblem
from bildungskette.regions.models import Region, RegionKind

from ..importers import Dataset
from ..importers.kldb import NOTE as KLDB_NOTE
from ..importers.kldb import KldbColumn
from ..importers.tabular import table_rows, table_rows_sample

FOOTER = "© Statistik der Bundesagentur für Arbeit"
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "januar",
            "februar",
            "märz",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "dezember",
        ],
        start=1,
    )
}

# (product, words in the group header, words in the column header) → (statistic, categories).
# Matching is on lower-case substrings; the first match wins, so specific entries come first.
COLUMNS: list[tuple[str, str, str, str, dict]] = [
    ("ausbildungsmarkt", "bewerber", "einmündend", "ba.bewerber", {"ba-status": "einmuendend"}),
    ("ausbildungsmarkt", "bewerber", "andere ehemalige", "ba.bewerber", {"ba-status": "andere-ehemalige"}),
    ("ausbildungsmarkt", "bewerber", "mit alternative", "ba.bewerber", {"ba-status": "mit-alternative"}),
    ("ausbildungsmarkt", "bewerber", "unversorgt", "ba.bewerber", {"ba-status": "unversorgt"}),
    ("ausbildungsmarkt", "bewerber", "versorgt", "ba.bewerber", {"ba-status": "versorgt"}),
    ("ausbildungsmarkt", "bewerber", "insgesamt", "ba.bewerber", {}),
    ("ausbildungsmarkt", "stellen", "unbesetzt", "ba.stellen.unbesetzt", {}),
    ("ausbildungsmarkt", "stellen", "außerbetrieblich", "ba.stellen", {"stellenart": "ausserbetrieblich"}),
    ("ausbildungsmarkt", "stellen", "betrieblich", "ba.stellen", {"stellenart": "betrieblich"}),
    ("ausbildungsmarkt", "stellen", "insgesamt", "ba.stellen", {}),
    ("arbeitsmarkt", "arbeitslosenquote", "unter 25", "ba.alq", {"altersgruppe": "u25"}),
    ("arbeitsmarkt", "arbeitslosenquote", "insgesamt", "ba.alq", {}),
    ("arbeitsmarkt", "arbeitslose", "unter 25", "ba.arbeitslose", {"altersgruppe": "u25"}),
    ("arbeitsmarkt", "arbeitslose", "insgesamt", "ba.arbeitslose", {}),
    ("sgb2", "hilfequote", "unter 25", "sgb2.hilfequote", {"altersgruppe": "u25"}),
    (
        "sgb2",
        "leistungsberechtigte",
        "arbeitsuchend",
        "sgb2.elb",
        {"altersgruppe": "u25", "sgb2-status": "arbeitsuchend"},
    ),
    ("sgb2", "leistungsberechtigte", "arbeitslos", "sgb2.elb", {"altersgruppe": "u25", "sgb2-status": "arbeitslos"}),
    ("sgb2", "leistungsberechtigte", "unter 25", "sgb2.elb", {"altersgruppe": "u25"}),
    ("bibb", "ausbildungsverträge", "außerbetrieblich", "bibb.naa", {"stellenart": "ausserbetrieblich"}),
    ("bibb", "ausbildungsverträge", "insgesamt", "bibb.naa", {}),
]
PRODUCT_WORDS = [
    ("bibb", ("ausbildungsverträge", "bibb")),
    ("ausbildungsmarkt", ("berufsausbildungsstellen", "bewerber")),
    ("sgb2", ("grundsicherung", "sgb ii", "leistungsberechtigte")),
    ("arbeitsmarkt", ("arbeitsmarkt", "arbeitslose")),
]
PUBLISHERS = {
    "bibb": (
        "Bundesinstitut für Berufsbildung (BIBB)",
        "BIBB-Erhebung über neu abgeschlossene Ausbildungsverträge zum 30. September",
        "Quelle: BIBB-Erhebung zum 30. September",
    ),
}
BA_PUBLISHER = ("Statistik der Bundesagentur für Arbeit", "", "Quelle: " + FOOTER.lstrip("© "))
REGION_KEY = re.compile(r"^\s*(DG|\d{5}|\d{3}|\d{2})(?:\s+|$)")


def _text(cell) -> str:
    return ("" if cell is None else str(cell)).strip()


def _number(text: str) -> tuple[Decimal | None, str]:
    text = text.strip()
    if text == "-":
        return Decimal(0), "-"
    if text == "*":
        return None, "."
    if text in ("x", "X"):
        return None, "x"
    if text == ".":
        return None, "."
    try:
        return Decimal(text.replace(".", "").replace(",", ".") if "," in text else text), ""
    except InvalidOperation as exc:
        raise ValueError(f"„{text}“ ist weder eine Zahl noch eines der Zeichen -, *, x, .") from exc


def _period(titles: list[str], product: str) -> str | None:
    """The period named in the title rows. The Ausbildungsmarkt in September is the status on 30.09."""
    joined = " ".join(titles)
    if m := re.search(r"Berichtsjahr\s+(\d{4})/(\d{2})", joined):
        return f"BJ{m[1]}/{m[2]}"
    if m := re.search(r"(?:30\.\s*September|30\.09\.)\s*(\d{4})", joined):
        year = int(m[1])
        return f"BJ{year - 1}/{year % 100:02d}" if product in ("ausbildungsmarkt", "bibb") else f"{year}-09"
    if m := (
        re.search(r"(?:Berichtsmonat|Stichtag|Monat)\s*:?\s*([A-Za-zäÄ]+)\s+(\d{4})", joined)
        or re.fullmatch(r"\s*([A-Za-zäÄ]+)\s+(\d{4})\s*", joined)
    ):
        month = MONTHS.get(m[1].lower())
        if month:
            year = int(m[2])
            if month == 9 and product in ("ausbildungsmarkt", "bibb"):
                return f"BJ{year - 1}/{year % 100:02d}"
            return f"{year}-{month:02d}"
    if m := re.search(r"(?:Stichtag|Stand)\s*:?\s*(\d{2})\.(\d{2})\.(\d{4})", joined):
        return f"{m[3]}-{m[2]}"
    return None


def _product(titles: list[str], groups: list[str]) -> str | None:
    text = " ".join(titles + groups).lower()
    for product, words in PRODUCT_WORDS:
        if any(w in text for w in words):
            return product
    return None


def _column(product: str, group: str, label: str) -> tuple[str, dict] | None:
    group, label = group.lower(), label.lower()
    for prod, g, c, stat, cats in COLUMNS:
        if prod == product and g in group and c in label:
            return stat, cats
    return None


class _Regions:
    def __init__(self):
        self.agencies = {
            re.sub(r"^agentur für arbeit\s+", "", r.name.lower()): r.code
            for r in Region.objects.filter(kind=RegionKind.AGENTURBEZIRK, tenant__isnull=True).only("code", "name")
        }
        self.by_name = {"deutschland": "DG"}

    def code(self, cell: str, known: set[str]) -> str | None:
        if m := REGION_KEY.match(cell):
            return m[1]
        lowered = re.sub(r"^\d+\s+", "", cell.lower()).strip()
        lowered = re.sub(r"^(agentur für arbeit|aa)\s+", "", lowered)
        if lowered in self.agencies:
            return self.agencies[lowered]
        if lowered in self.by_name:
            return self.by_name[lowered]
        if cell in known:
            return cell
        return None


def ba_delivered_detect(path: Path) -> bool:
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        return False
    try:
        first, last = table_rows_sample(path, head=20, tail=8)
    except ImportRejected:
        return False
    cells = " ".join(c for row in first + last for c in row[:3] if c)
    if path.suffix.lower() == ".csv" and first:
        header = [c.strip().lower() for c in first[0]]
        if "merkmal" in header and "wert" in header and ("regionalschlüssel" in header or "region" in header):
            return True
    return "Statistik der Bundesagentur für Arbeit" in cells or "BIBB-Erhebung" in cells


def ba_delivered_dataset(path: Path, *, tenant=None, fmt: str = "ba-statistik", **options) -> Dataset:
    path = Path(path)
    rows = table_rows(path)
    if not rows:
        raise ImportRejected("Die Datei ist leer.")
    header = [c.strip().lower() for c in rows[0][1]]
    if path.suffix.lower() == ".csv" and "merkmal" in header and "wert" in header:
        return _long_csv(rows, header)
    return _wide(rows)


def _wide(rows: list[tuple[int, list[str]]]) -> Dataset:
    # The header pair: the first row (within the first 25) whose first cell names the region column.
    start = next(
        (
            i
            for i, (_, row) in enumerate(rows[:25])
            if row and _text(row[0]).lower().startswith(("region", "agentur", "kreis", "gebiet"))
        ),
        None,
    )
    if start is None or start + 1 >= len(rows):
        raise ImportRejected(
            [RowProblem(None, "A", "Kopfzeile nicht gefunden: erwartet „Region“ in Spalte A (etwa Zeile 12).")]
        )
    titles = [_text(c) for _, row in rows[:start] for c in row if _text(c)]
    top_line, top = rows[start]
    _, sub = rows[start + 1]
    groups, group = [], ""
    for i in range(max(len(top), len(sub))):
        cell = _text(top[i]) if i < len(top) else ""
        group = cell or group  # merged cells: only the first carries the text
        groups.append(group)
    product = _product(titles, groups)
    if product is None:
        raise ImportRejected([RowProblem(top_line, None, "Unbekanntes BA-Tabellenprodukt (Titel und Kopfzeilen).")])
    period = _period(titles, product)
    if period is None:
        raise ImportRejected(
            [RowProblem(None, None, "Kein Berichtsmonat, Berichtsjahr oder Stichtag in den Titelzeilen gefunden.")]
        )
    kldb_col = next(
        (i for i, g in enumerate(groups) if "kldb" in g.lower() or g.strip().lower() in ("beruf", "berufe")), None
    )
    columns: dict[int, tuple[str, dict]] = {}
    for i in range(1, len(groups)):
        if i == kldb_col:
            continue
        label = _text(sub[i]) if i < len(sub) else ""
        found = _column(product, groups[i], label or groups[i])
        if found:
            columns[i] = found
    if not columns:
        raise ImportRejected([RowProblem(top_line, None, "Keine bekannte Wertspalte in den Kopfzeilen.")])
    values = []
    problems: list[RowProblem] = []
    regions = _Regions()
    data_rows = []
    started = False
    previous = ""
    for line, row in rows[start + 2 :]:
        first = _text(row[0]) if row else ""
        if not any(_text(c) for c in row):
            if started:
                break
            continue
        if first.startswith("©") or first.lower().startswith(("quelle", "hinweis", "fußnote", "erstellungsdatum")):
            break
        if not first and previous:
            # Custom orders by occupation name the region only in the first row of its block.
            first = previous
        started, previous = True, first
        data_rows.append((line, row, first))
    known = (
        set(
            Region.objects.filter(
                code__in={REGION_KEY.match(f)[1] for _, _, f in data_rows if REGION_KEY.match(f)}
            ).values_list("code", flat=True)
        )
        | set(regions.agencies.values())
        | {"DG"}
    )
    kldb = KldbColumn()
    for line, row, first in data_rows:
        code = regions.code(first, known)
        if code is None or code not in known:
            problems.append(RowProblem(line, "A", f"Gebiet „{first}“ ist unbekannt."))
            continue
        extra = {}
        if kldb_col is not None:
            try:
                extra = kldb.read(_text(row[kldb_col]) if kldb_col < len(row) else "")
            except ValueError as exc:
                problems.append(RowProblem(line, _col_letter(kldb_col), str(exc)))
                continue
        for i, (stat, cats) in columns.items():
            cell = _text(row[i]) if i < len(row) else ""
            if not cell:
                continue
            try:
                value, flag = _number(cell)
            except ValueError as exc:
                problems.append(RowProblem(line, _col_letter(i), str(exc)))
                continue
            values.append(
                {
                    "statistic": stat,
                    "region": code,
                    "period": period,
                    "categories": {**cats, **extra},
                    "value": value,
                    "flag": flag,
                    "line": line,
                }
            )
    if problems:
        raise ImportRejected(problems)
    synthetic = any(w in " ".join(titles).lower() for w in ("nachgebaut", "synthetisch"))
    return _dataset(product, values, titles, kldb.breakdown(), synthetic)


def _long_csv(rows, header) -> Dataset:
    index = {h: i for i, h in enumerate(header)}
    key_col = index.get("regionalschlüssel", index.get("region"))
    problems, values = [], []
    regions = _Regions()
    known = set(
        Region.objects.filter(code__in={r[key_col].strip() for _, r in rows[1:] if len(r) > key_col}).values_list(
            "code", flat=True
        )
    ) | set(regions.agencies.values())
    products = set()
    for line, row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        cell = row[key_col].strip()
        code = regions.code(cell, known)
        if code is None or code not in known:
            problems.append(RowProblem(line, "Regionalschlüssel", f"Gebiet „{cell}“ ist unbekannt."))
            continue
        merkmal = row[index["merkmal"]].strip()
        group, _, label = merkmal.partition("|")
        product = _product([], [group])
        found = _column(product, group, label or group) if product else None
        if found is None:
            problems.append(RowProblem(line, "Merkmal", f"Unbekanntes Merkmal „{merkmal}“."))
            continue
        products.add(product)
        period = _period([row[index["zeit"]]] if "zeit" in index else [], product) or row[index["zeit"]].strip()
        try:
            value, flag = _number(row[index["wert"]])
        except ValueError as exc:
            problems.append(RowProblem(line, "Wert", str(exc)))
            continue
        stat, cats = found
        values.append(
            {
                "statistic": stat,
                "region": code,
                "period": period,
                "categories": dict(cats),
                "value": value,
                "flag": flag,
                "line": line,
            }
        )
    if problems:
        raise ImportRejected(problems)
    product = sorted(products)[0] if products else "ausbildungsmarkt"
    return _dataset(product, values, [], None, False)


def _col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _dataset(product: str, values: list[dict], titles: list[str], occupations, synthetic: bool) -> Dataset:
    from ..catalogue import BREAKDOWNS, STATISTICS

    publisher, title, attribution = PUBLISHERS.get(product, BA_PUBLISHER)
    shown = [
        t
        for t in titles
        if not t.lower().startswith(("zeichen", "erstellung", "hinweis"))
        and "nachgebaut" not in t.lower()
        and "synthetisch" not in t.lower()
    ][:2]
    title_text = " – ".join(shown) or title or f"BA-Tabelle ({product})"
    if synthetic:
        title_text += " (NACHGEBAUT – keine amtlichen Zahlen)"
    # One source per product (not per month), a constructed file its own.
    code = f"ba-{product}-tabelle" if product != "bibb" else "bibb-naa-agenturbezirke"
    if synthetic:
        code += "-nachgebaut"
    dataset = Dataset(
        format="ba-statistik",
        source={
            "code": code[:80],
            "publisher": publisher,
            "title": title_text[:500],
            "attribution": attribution,
            "licence": "Nutzung mit Quellenangabe",
            "url": "https://statistik.arbeitsagentur.de" if product != "bibb" else "https://www.bibb.de",
            "is_synthetic": synthetic,
        },
    )
    dataset.values = values
    used = {v["statistic"] for v in values}
    for bcode in ("ba-status", "stellenart", "altersgruppe", "sgb2-status"):
        dataset.breakdowns[bcode] = BREAKDOWNS[bcode]
    if occupations:
        dataset.breakdowns["kldb"] = occupations
        dataset.notes.append(KLDB_NOTE)
    for scode, name, unit, aggregation, breakdowns, description in STATISTICS:
        if scode in used:
            dataset.statistics.append(
                {
                    "code": scode,
                    "name": name,
                    "unit": unit,
                    "aggregation": aggregation,
                    "description": description,
                    "breakdowns": breakdowns + (["kldb"] if occupations else []),
                }
            )
    dataset.notes.append("BA-Tabelle wie geliefert – Leser noch nicht an einer Originaldatei geprüft.")
    if synthetic:
        dataset.notes.append("Die Datei ist als nachgebaut gekennzeichnet: keine amtlichen Zahlen.")
    return dataset
