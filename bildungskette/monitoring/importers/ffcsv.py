"""GENESIS flat file (ffcsv), both generations.

- old: German columns ``Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;
  1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;…;CODE__Label__Einheit;…`` (one column per
  value variable);
- new: English columns ``statistics_code;…;time;1_variable_code;1_variable_label;
  1_variable_attribute_code;1_variable_attribute_label;…;value;value_unit;value_variable_code;
  value_variable_label`` (one value per row), UTF-8, often delivered as ZIP.

The regional variable (DINSG, DLAND, REGBEZ, KREISE, GEMEIN) gives the region key; every other
variable becomes a breakdown. Special values are kept as flags.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from bildungskette.core.importing import ImportRejected, RowProblem
from bildungskette.regions.models import Region

from ..services import slug_code, value_parse
from . import Dataset
from .genesis import LICENCE
from .tabular import text_decode

REGION_VARIABLES = {"DINSG", "DLAND", "REGBEZ", "KREISE", "GEMEIN", "STAG"}


def _text(path: Path) -> str:
    path = Path(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".csv")]
            if not names:
                raise ImportRejected("Das ZIP-Archiv enthält keine CSV-Datei.")
            return text_decode(zf.read(names[0]))
    return text_decode(path.read_bytes())


def ffcsv_detect(path: Path) -> bool:
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".zip"):
        return False
    try:
        first = _text(path).split("\n", 1)[0]
    except ImportRejected:
        return False
    return first.startswith("Statistik_Code") or first.startswith("statistics_code")


def _period(time: str) -> str:
    time = time.strip()
    if m := re.fullmatch(r"(\d{2})\.(\d{2})\.(\d{4})", time):
        return f"{m[3]}-{m[2]}-{m[1]}"
    return time


def ffcsv_dataset(path: Path, *, tenant=None, fmt: str = "ffcsv", **options) -> Dataset:
    text = _text(path)
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    fields = reader.fieldnames or []
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
    dataset = Dataset(format="ffcsv", source={})
    problems: list[RowProblem] = []
    statistics: dict[str, dict] = {}
    breakdowns: dict[str, tuple[str, dict]] = {}
    table = ""
    for rec in reader:
        line = reader.line_num
        table = table or (rec.get("statistics_code") or rec.get("Statistik_Code") or "").strip()
        region, cats = None, {}
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
            if code in REGION_VARIABLES:
                region = "DG" if code == "DINSG" else attr
            elif code and attr:
                bcode = slug_code(code)
                breakdowns.setdefault(bcode, (label.strip() or code, {}))[1].setdefault(
                    slug_code(attr), attr_label.strip() or attr
                )
                cats[bcode] = slug_code(attr)
        if region is None:
            problems.append(RowProblem(line, None, "Kein regionales Merkmal (DINSG, DLAND, REGBEZ, KREISE, GEMEIN)."))
            continue
        period = _period(rec.get("time") or rec.get("Zeit") or "")
        cells = []
        if new:
            vcode = (rec.get("value_variable_code") or "").strip()
            cells.append(
                (
                    vcode,
                    rec.get("value_variable_label", ""),
                    rec.get("value_unit", ""),
                    rec.get("value", ""),
                    (rec.get("value_q") or "").strip(),
                )
            )
        else:
            for col in value_cols:
                vcode, vlabel, unit = (col.split("__") + ["", ""])[:3]
                cells.append((vcode, vlabel, unit, rec.get(col, ""), ""))
        for vcode, vlabel, unit, raw, quality in cells:
            stat = f"{table}.{slug_code(vcode)}"
            statistics.setdefault(
                stat,
                {
                    "code": stat,
                    "name": (vlabel or vcode).strip(),
                    "unit": unit or "Anzahl",
                    "aggregation": "sum",
                    "breakdowns": set(),
                },
            )["breakdowns"] |= set(cats)
            try:
                value, flag = value_parse(raw)
            except ValueError as exc:
                problems.append(RowProblem(line, vcode, str(exc)))
                continue
            if quality and not flag and quality in {"p", "r", "s", "e", "/", "."}:
                flag = quality
            dataset.values.append(
                {
                    "statistic": stat,
                    "region": region,
                    "period": period,
                    "categories": dict(cats),
                    "value": value,
                    "flag": flag,
                    "line": line,
                }
            )
    known = set(Region.objects.filter(code__in={v["region"] for v in dataset.values}).values_list("code", flat=True))
    for v in dataset.values:
        if v["region"] not in known:
            problems.append(RowProblem(v["line"], None, f"Regionalschlüssel „{v['region']}“ ist unbekannt."))
    if problems:
        raise ImportRejected(problems)
    dataset.source = {
        "code": f"genesis-{slug_code(table)}",
        "publisher": "Statistische Ämter des Bundes und der Länder",
        "table_code": table,
        "title": f"GENESIS-Flatfile {table}",
        "attribution": "© Statistische Ämter des Bundes und der Länder",
        "licence": LICENCE,
    }
    dataset.breakdowns = {code: (name, sorted(cats.items())) for code, (name, cats) in breakdowns.items()}
    dataset.statistics = [{**s, "breakdowns": sorted(s["breakdowns"])} for s in statistics.values()]
    return dataset
