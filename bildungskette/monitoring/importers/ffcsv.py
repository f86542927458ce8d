"""GENESIS flat file (ffcsv), both generations.

- old: German columns ``Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;
  1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;…;CODE__Label__Einheit;…`` (one column per
  value variable);
- new: English columns ``statistics_code;…;time;1_variable_code;1_variable_label;
  1_variable_attribute_code;1_variable_attribute_label;…;value;value_unit;value_variable_code;
  value_variable_label`` (one value per row), UTF-8, often delivered as ZIP.

The regional variable (DINSG, DLAND, REGBEZ, KREISE, GEMEIN, GEO…) gives the region key; month
and quarter variables refine the time; every other variable becomes a breakdown named by its label.
Special values are kept as flags. The records go through the same conversion as a classic table.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from bildungskette.core.importing import ImportRejected, RowProblem
from bildungskette.core.parsing import HEAD_BYTES, file_head, head_first_line, stream_encoding

from ..services import slug_code, value_parse
from . import Dataset
from .genesis import (
    LICENCE,
    ParsedTable,
    Record,
    Role,
    _containing_mark,
    _is_total,
    _month_of,
    _quarter_of,
    _school_year,
    time_parse,
)
from .genesis_reader import genesis_table_dataset
from .tabular import text_decode

REGION_VARIABLES = {"DINSG", "DLAND", "REGBEZ", "KREISE", "GEMEIN"}


def _member(zf: zipfile.ZipFile) -> str:
    names = [n for n in zf.namelist() if n.lower().endswith(".csv")]
    if not names:
        raise ImportRejected("Das ZIP-Archiv enthält keine CSV-Datei.")
    return names[0]


@contextlib.contextmanager
def _lines(path: Path) -> Iterator[Iterable[str]]:
    """The flat file's text line by line (the first CSV of a ZIP), never the whole file in memory.

    UTF-8 if the whole file decodes as UTF-8 (checked chunk by chunk), otherwise ISO-8859-1;
    UTF-16 or binary content is refused by its first 4000 bytes, as ``text_decode`` does.
    """
    path = Path(path)
    with contextlib.ExitStack() as stack:
        if zipfile.is_zipfile(path):
            archive = stack.enter_context(zipfile.ZipFile(path))
            member = _member(archive)

            def opener():
                return archive.open(member)
        else:

            def opener():
                return path.open("rb")

        with opener() as fh:
            text_decode(fh.read(4000))
        encoding = stream_encoding(opener, ("utf-8-sig", "iso-8859-1"))
        yield stack.enter_context(io.TextIOWrapper(opener(), encoding=encoding, newline=""))


def _head(path: Path) -> bytes:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf, zf.open(_member(zf)) as fh:
            return fh.read(HEAD_BYTES)
    return file_head(path)


def ffcsv_detect(path: Path) -> bool:
    """Reads only a bounded prefix (of the first CSV of a ZIP), whatever the file's size."""
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".zip"):
        return False
    try:
        first = head_first_line(_head(path), "iso-8859-1").lstrip("\ufeffï»¿")
    except (ImportRejected, zipfile.BadZipFile):
        return False
    return first.startswith("Statistik_Code") or first.startswith("statistics_code")


def _table_code(path: Path, options: dict) -> str:
    """The table code (e.g. 12411-01-01-4) from the options or the file name ("" → the statistic code)."""
    if options.get("table_code"):
        return str(options["table_code"])
    if m := re.match(r"^(\d{5}-[0-9A-Z]{1,4}(?:-[0-9A-Z]{1,4})*)", Path(path).name):
        return m.group(1)
    return ""


def ffcsv_parse(text: str | Iterable[str], *, table_code: str = "") -> ParsedTable:
    """Flat file (old German or 2020 English columns) → the same records a classic table gives.

    Breakdown and category names are the labels (as the classic table shows them), so a table stores
    identical values whichever form was downloaded. Stable entry point for other readers.
    """
    # Lines may come straight from the file; equal texts (regions, periods, category sets) are kept
    # once, so a flat file of 250,000 rows holds 250,000 small records, not 250,000 copies of each text.
    reader = csv.DictReader(io.StringIO(text) if isinstance(text, str) else text, delimiter=";")
    shared: dict = {}

    fields = [f.strip() for f in (reader.fieldnames or [])]
    reader.fieldnames = fields
    new = "statistics_code" in fields
    if not new and "Statistik_Code" not in fields:
        raise ImportRejected(
            [RowProblem(1, None, "Kein GENESIS-Flatfile: Spalte „Statistik_Code“ bzw. „statistics_code“ fehlt.")]
        )
    if new:
        var = re.compile(r"^(\d+)_variable_code$")
        value_cols = []
    else:
        var = re.compile(r"^(\d+)_Merkmal_Code$")
        value_cols = [f for f in fields if f.count("__") >= 2]
        if not value_cols:
            raise ImportRejected([RowProblem(1, None, "Keine Wertspalte der Form CODE__Bezeichnung__Einheit.")])
    numbers = sorted(int(m.group(1)) for f in fields if (m := var.match(f)))
    table = ParsedTable(table_code=table_code, title="")
    problems = table.problems
    for rec in reader:
        line = reader.line_num
        statistic_code = (rec.get("statistics_code") or rec.get("Statistik_Code") or "").strip()
        if not table.table_code:
            table.table_code = statistic_code
        if not table.title:
            table.title = (rec.get("statistics_label") or rec.get("Statistik_Label") or "").strip()
        region, region_name, cats = "", "", {}
        month = sub = None
        for n in numbers:
            if new:
                code, label = rec.get(f"{n}_variable_code", ""), rec.get(f"{n}_variable_label", "")
                attr, attr_label = (
                    rec.get(f"{n}_variable_attribute_code", ""),
                    rec.get(f"{n}_variable_attribute_label", ""),
                )
            else:
                code, label = rec.get(f"{n}_Merkmal_Code", ""), rec.get(f"{n}_Merkmal_Label", "")
                attr, attr_label = rec.get(f"{n}_Auspraegung_Code", ""), rec.get(f"{n}_Auspraegung_Label", "")
            code, attr = (code or "").strip(), (attr or "").strip()
            label, attr_label = (label or "").strip(), (attr_label or "").strip()
            if code in REGION_VARIABLES or code.startswith("GEO"):
                region = "DG" if code == "DINSG" else attr
                region_name = attr_label
            elif code.startswith("MONAT") and _month_of(attr_label):
                month = _month_of(attr_label)
            elif code.startswith("QUART") and _quarter_of(attr_label):
                sub = _quarter_of(attr_label)
            elif code and attr and not _is_total(attr_label):
                name = label or code
                cats[name] = attr_label or attr
                table.category_add(name, cats[name], Role.PART)
            elif code:
                table.breakdowns.setdefault(label or code, {})
        raw_time = (rec.get("time") or rec.get("Zeit") or "").strip()
        period = time_parse(raw_time)
        if period is None:
            problems.append(RowProblem(line, "time" if new else "Zeit", f"„{raw_time}“ ist keine Zeitangabe."))
            continue
        if month and re.fullmatch(r"\d{4}", period):
            period = f"{period}-{month:02d}"
        elif sub and re.fullmatch(r"\d{4}", period):
            period = f"{period}-{sub}"
        cells = []
        if new:
            cells.append(
                (
                    "value",
                    (rec.get("value_variable_label") or rec.get("value_variable_code") or "").strip(),
                    (rec.get("value_unit") or "").strip(),
                    rec.get("value", ""),
                    (rec.get("value_q") or "").strip(),
                )
            )
        else:
            for col in value_cols:
                vcode, vlabel, unit = (col.split("__") + ["", ""])[:3]
                cells.append((col, (vlabel or vcode).strip(), unit.strip(), rec.get(col, ""), ""))
        for column, statistic, unit, raw, quality in cells:
            try:
                value, flag = value_parse(raw)
            except ValueError as exc:
                problems.append(RowProblem(line, column, str(exc)))
                continue
            if quality and not flag and quality in {"p", "r", "s", "e", "/", "."}:
                flag = quality
                if quality in {"/", "."}:
                    value = None
            key = tuple(cats.items())
            name = region_name or ("Deutschland" if not region else "")
            table.records.append(
                Record(
                    line=line,
                    column=shared.setdefault(column, column),
                    statistic=shared.setdefault(statistic, statistic),
                    unit=shared.setdefault(unit or "Anzahl", unit or "Anzahl"),
                    region=shared.setdefault(region or "DG", region or "DG"),
                    region_name=shared.setdefault(name, name),
                    period=shared.setdefault(("period", period), _school_year(period, table.title)),
                    categories=shared.setdefault(key, dict(cats)),
                    value=value,
                    flag=shared.setdefault(flag, flag),
                )
            )
    for cats in table.breakdowns.values():
        _containing_mark(cats)
    return table


def ffcsv_dataset(path: Path, *, tenant=None, fmt: str = "ffcsv", **options) -> Dataset:
    with _lines(path) as lines:
        table = ffcsv_parse(lines, table_code=_table_code(path, options))
    if table.problems:
        raise ImportRejected(table.problems)
    dataset = genesis_table_dataset(
        table,
        consume=True,
        fmt="ffcsv",
        source={
            "code": f"genesis-{slug_code(table.table_code)}",
            "publisher": "Statistische Ämter des Bundes und der Länder",
            "table_code": table.table_code,
            "title": table.title or f"GENESIS-Flatfile {table.table_code}",
            "attribution": "© Statistische Ämter des Bundes und der Länder",
            "licence": LICENCE,
        },
    )
    return dataset
