"""Any CSV/XLSX through a named column mapping the user builds once (``--format mapping:NAME``).

Definition (JSON, stored in ``ColumnMapping.definition``)::

    {"region_column": "AGS",             # official key (leading zeros restored to 5 or 8 digits)
     "period_column": "Jahr",             # or "period": "2022/23" for the whole file
     "period_kind": "school_year",        # optional: plain years in the column mean school years
     "delimiter": ";",                    # optional (sniffed otherwise)
     "stadtteile_of": "06611000",         # optional: the region column names the tenant's own
                                          # Stadtteile of this Gemeinde (by name or key), e.g. a
                                          # Kommune's own small-area statistics
     "values": [{"column": "Anzahl", "statistic": "kita.kinder", "name": "Kinder in Kitas",
                 "unit": "Anzahl", "categories": {"altersgruppe": "u3"}}],
     "source": {"code": "…", "publisher": "…", "title": "…", "attribution": "…", "licence": "…",
                "is_synthetic": false}}
"""

from __future__ import annotations

import re
from pathlib import Path

from bildungskette.core.importing import ImportRejected, RowProblem
from bildungskette.regions.models import Region, RegionKind

from ..models import ColumnMapping
from ..periods import period_parse, school_year_code
from ..services import slug_code, value_parse
from . import Dataset
from .tabular import column_key, header_index, table_rows


def mapping_definition_check(definition: dict) -> list[str]:
    problems = []
    if not definition.get("region_column"):
        problems.append("Die Spalte mit dem Regionalschlüssel fehlt.")
    if not (definition.get("period_column") or definition.get("period")):
        problems.append("Zeitraum fehlt: eine Spalte oder ein fester Zeitraum.")
    if definition.get("period"):
        try:
            period_parse(definition["period"])
        except ValueError as exc:
            problems.append(str(exc))
    values = definition.get("values") or []
    if not values:
        problems.append("Mindestens eine Wertspalte angeben.")
    for v in values:
        if not v.get("column") or not v.get("statistic"):
            problems.append("Jede Wertspalte braucht „column“ und „statistic“.")
    source = definition.get("source") or {}
    for key in ("code", "publisher", "title", "attribution"):
        if not source.get(key):
            problems.append(f"Quelle: „{key}“ fehlt.")
    return problems


def mapping_detect(path: Path) -> bool:
    return False


def _region_code(raw: str) -> str:
    raw = raw.strip()
    if raw.isdigit() and len(raw) in (1, 4, 7):
        return raw.zfill(len(raw) + 1)
    return raw


def _name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def stadtteil_codes(tenant, gemeinde_code: str) -> dict[str, str]:
    """The tenant's Stadtteile of one Gemeinde: name and key (last part of the code) -> code."""
    if tenant is None:
        raise ImportRejected("Stadtteil-Statistiken gehören einem Mandanten: bitte mit Mandant importieren.")
    out = {}
    for code, name in Region.objects.filter(tenant=tenant, kind=RegionKind.STADTTEIL,
                                            parent__code=gemeinde_code).values_list("code", "name"):
        out[_name_key(name)] = code
        out[_name_key(code.rsplit(":", 1)[-1])] = code
    if not out:
        raise ImportRejected(f"Für die Gemeinde {gemeinde_code} sind keine Stadtteile angelegt.")
    return out


def mapping_dataset(path: Path, *, tenant=None, fmt: str = "mapping", **options) -> Dataset:
    name = fmt.split(":", 1)[1] if ":" in fmt else options.get("mapping", "")
    mapping = (
        ColumnMapping.objects.filter(name=name).filter(tenant=tenant).first()
        or ColumnMapping.objects.filter(name=name, tenant__isnull=True).first()
    )
    if mapping is None:
        raise ImportRejected(f"Spaltenzuordnung „{name}“ ist unbekannt.")
    d = mapping.definition
    rows = table_rows(path, delimiter=d.get("delimiter") or None, sheet=d.get("sheet") or None)
    if not rows:
        raise ImportRejected("Die Datei ist leer.")
    header_line, header = rows[0]
    index = header_index(header)
    needed = (
        [d["region_column"]]
        + ([d["period_column"]] if d.get("period_column") else [])
        + [v["column"] for v in d["values"]]
    )
    missing = [c for c in needed if column_key(c) not in index]
    if missing:
        raise ImportRejected([RowProblem(header_line, c, "Spalte fehlt") for c in missing])
    dataset = Dataset(format=f"mapping:{mapping.name}", source={**d["source"], "tenant_owned": True})
    problems = []
    region_pos = index[column_key(d["region_column"])]
    for line, row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        region = _region_code(row[region_pos] if region_pos < len(row) else "")
        if d.get("period"):
            period = d["period"]
        else:
            period_pos = index[column_key(d["period_column"])]
            raw = row[period_pos].strip() if period_pos < len(row) else ""
            period = (
                school_year_code(int(raw))
                if d.get("period_kind") == "school_year" and re.fullmatch(r"\d{4}", raw)
                else raw
            )
            try:
                period_parse(period)
            except ValueError as exc:
                problems.append(RowProblem(line, d["period_column"], str(exc)))
                continue
        for v in d["values"]:
            pos = index[column_key(v["column"])]
            try:
                value, flag = value_parse(row[pos] if pos < len(row) else "", official=False)
            except ValueError as exc:
                problems.append(RowProblem(line, v["column"], str(exc)))
                continue
            dataset.values.append(
                {
                    "statistic": v["statistic"],
                    "region": region,
                    "period": period,
                    "categories": v.get("categories") or {},
                    "value": value,
                    "flag": flag,
                    "line": line,
                }
            )
    if d.get("stadtteile_of"):
        by_name = stadtteil_codes(tenant, d["stadtteile_of"])
        for v in dataset.values:
            v["region"] = by_name.get(_name_key(v["region"]), v["region"])
    known = set(Region.objects.filter(code__in={v["region"] for v in dataset.values}).values_list("code", flat=True))
    for v in dataset.values:
        if v["region"] not in known:
            problems.append(
                RowProblem(v["line"], d["region_column"], f"Regionalschlüssel „{v['region']}“ ist unbekannt.")
            )
    if problems:
        raise ImportRejected(problems)
    for v in d["values"]:
        cats = v.get("categories") or {}
        for b, c in cats.items():
            existing = dataset.breakdowns.setdefault(b, (b.replace("-", " ").title(), []))
            if c not in {x[0] for x in existing[1]}:
                existing[1].append((c, c))
        if v["statistic"] not in {s["code"] for s in dataset.statistics}:
            dataset.statistics.append(
                {
                    "code": v["statistic"],
                    "name": v.get("name") or v["statistic"],
                    "unit": v.get("unit") or "Anzahl",
                    "breakdowns": list(cats),
                }
            )
    dataset.notes.append(f"Spaltenzuordnung „{mapping}“")
    return dataset


def mapping_values_parse(text: str) -> list[dict]:
    """The editor's value lines: ``Spalte = merkmal.code [aufgliederung=ausprägung …] | Name | Einheit``."""
    values = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        if "=" not in line:
            raise ValueError(f"Zeile {number}: erwartet „Spalte = merkmal.code“.")
        column, rest = line.split("=", 1)
        parts = [p.strip() for p in rest.split("|")]
        tokens = parts[0].split()
        cats = dict(t.split("=", 1) for t in tokens[1:] if "=" in t)
        values.append(
            {
                "column": column.strip(),
                "statistic": tokens[0] if tokens else "",
                "categories": {slug_code(k): slug_code(v) for k, v in cats.items()},
                "name": parts[1] if len(parts) > 1 else "",
                "unit": parts[2] if len(parts) > 2 else "Anzahl",
            }
        )
    return values
