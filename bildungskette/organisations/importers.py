"""Importers for official school directories: NRW (IT.NRW/MSB) and Hessen (JedeSchule, 2016).

Schools become shared organisations (no tenant) keyed by their external id, so a second import
updates instead of duplicating. Each keeps its source and licence line.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction

from bildungskette.core.audit import audit_record_import
from bildungskette.core.importing import Importer, ImportRejected, ImportReport, RowProblem
from bildungskette.core.parsing import csv_dict_rows, csv_rows, json_parse
from bildungskette.regions.models import Region, RegionKind
from bildungskette.regions.selectors import RegionLocator

from .models import Organisation, OrganisationType

NRW_SOURCE = (
    "IT.NRW, Statistisches Landesamt, 2025; MSB NRW (dl-de/by-2-0); "
    "Koordinaten © OpenStreetMap contributors (ODbL)"
)
HESSEN_SOURCE = (
    "Hessisches Statistisches Landesamt via JedeSchule (OKF DE), CC0, Stand 2016; "
    "Koordinaten © OpenStreetMap contributors (ODbL)"
)
NRW_REQUIRED = ["Schulform", "Amtlicher Gemeindeschlüssel", "Schulnummer", "Amtliche Bezeichnung 1"]
BERUFLICH = re.compile(r"berufskolleg|berufliche|berufsschule|fachschule", re.IGNORECASE)


def _school_type(label: str) -> str:
    return OrganisationType.BERUFLICHE_SCHULE if BERUFLICH.search(label or "") else OrganisationType.SCHULE


def _float(value) -> float | None:
    try:
        return float(str(value).replace(",", ".")) if value not in (None, "") else None
    except ValueError:
        return None


def _upsert(rows: list[dict], report: ImportReport) -> None:
    """Create or update organisations by external id, in bulk."""
    ids = [r["external_id"] for r in rows]
    existing = {o.external_id: o for o in Organisation.objects.filter(external_id__in=ids)}
    fields = ["name", "type", "subtypes", "region_id", "street", "postcode", "city", "latitude", "longitude",
              "email", "phone", "source", "facts"]
    create, update = [], []
    for row in rows:
        current = existing.get(row["external_id"])
        if current is None:
            create.append(Organisation(**row))
            continue
        changed = [f for f in fields if getattr(current, f) != row.get(f, getattr(current, f))]
        for f in changed:
            setattr(current, f, row[f])
        if changed:
            update.append(current)
        else:
            report.unchanged += 1
    Organisation.objects.bulk_create(create, batch_size=1000)
    Organisation.objects.bulk_update(update, fields, batch_size=500)
    report.created += len(create)
    report.updated += len(update)


def nrw_schools_import(path: Path) -> ImportReport:
    """NRW school directory CSV (UTF-8, comma). The AGS lost its leading zero: 5911000 → 05911000."""
    report = ImportReport(importer="schools-nrw", source=path.name)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected("Die Datei ist nicht UTF-8-kodiert (erwartet: NRW-Schulverzeichnis, UTF-8).") from exc
    reader = csv_dict_rows(text)
    fieldnames = next(csv_rows(text.split("\n", 1)[0]), [])
    missing = [c for c in NRW_REQUIRED if c not in fieldnames]
    if missing:
        raise ImportRejected([RowProblem(1, c, "Spalte fehlt") for c in missing])
    gemeinden = {g.code: g for g in Region.objects.filter(kind=RegionKind.GEMEINDE, code__startswith="05")
                 .only("id", "code")}
    kreise = {k.code: k for k in Region.objects.filter(kind=RegionKind.KREIS, code__startswith="05")
              .only("id", "code")}
    problems, rows = [], []
    for line, rec in enumerate(reader, start=2):
        number = (rec.get("Schulnummer") or "").strip()
        ags_raw = (rec.get("Amtlicher Gemeindeschlüssel") or "").strip()
        if not number.isdigit():
            problems.append(RowProblem(line, "Schulnummer", f"keine gültige Schulnummer: „{number}“"))
            continue
        if not ags_raw.isdigit():
            problems.append(RowProblem(line, "Amtlicher Gemeindeschlüssel", f"ungültig: „{ags_raw}“"))
            continue
        ags = ags_raw.zfill(8)
        region = gemeinden.get(ags) or kreise.get(ags[:5])
        if region is None:
            problems.append(RowProblem(line, "Amtlicher Gemeindeschlüssel", f"Gemeinde {ags} ist unbekannt"))
            continue
        names = [rec.get(f"Amtliche Bezeichnung {i}", "").strip() for i in (1, 2, 3)]
        name = " ".join(n for n in names[:2] if n and not n.startswith("-"))
        rows.append({
            "external_id": f"NRW-{number}",
            "name": name[:300],
            "type": _school_type(rec["Schulform"]),
            "subtypes": [rec["Schulform"]],
            "region_id": region.id,
            "street": rec.get("Straße und Hausnummer", "")[:200],
            "postcode": (rec.get("Postleitzahl") or "")[:5],
            "city": rec.get("Ort", "")[:120],
            "latitude": _float(rec.get("latitude")),
            "longitude": _float(rec.get("longitude")),
            "email": (rec.get("Offizielle E-Mail-Adresse") or "")[:254],
            "phone": _phone(rec.get("Telefonnummer Vorwahl"), rec.get("Telefonnummer Durchwahl")),
            "source": NRW_SOURCE,
            "facts": {
                "schuljahr": rec.get("Schuljahr", ""),
                "rechtsstatus": rec.get("Rechtsstatus", ""),
                "schueler_gerundet": rec.get("Anzahl", ""),
                "sozialindex": rec.get("Sozialindex", ""),
                "startchancen": rec.get("Startchancen-Schule", "") == "1",
            },
        })
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        _upsert(rows, report)
        audit_record_import(model_label="organisations.Organisation", summary=report.as_dict(),
                            description="Schulverzeichnis NRW")
    return report


def _phone(prefix, number) -> str:
    def clean(v):
        v = str(v or "").strip()
        return v[:-2] if v.endswith(".0") else v

    p, n = clean(prefix), clean(number)
    return f"0{p} {n}" if p and n else ""


ADDRESS = re.compile(r"^(?P<street>.*?),?\s*(?P<plz>\d{5})\s+(?P<city>.+)$")


def hessen_schools_import(path: Path) -> ImportReport:
    """Hessen school list (JSON). One row per school type: merged into one organisation per id."""
    report = ImportReport(importer="schools-hessen", source=path.name)
    data = json_parse(path.read_bytes())
    if not isinstance(data, list):
        raise ImportRejected("Erwartet wird eine JSON-Liste von Schulen.")
    merged: dict[str, dict] = {}
    problems = []
    for index, rec in enumerate(data, start=1):
        if not isinstance(rec, dict):
            problems.append(RowProblem(index, None, "Eintrag ist kein JSON-Objekt"))
            continue
        sid = str(rec.get("id") or "").strip()
        if not sid or not rec.get("name"):
            problems.append(RowProblem(index, "id" if not sid else "name", "Eintrag ohne Kennung oder Namen"))
            continue
        entry = merged.setdefault(sid, {"rec": rec, "types": []})
        if rec.get("school_type") and rec["school_type"] not in entry["types"]:
            entry["types"].append(rec["school_type"])
    if problems:
        raise ImportRejected(problems)

    hessen_gemeinden_by_plz: dict[str, Region] = {}
    for g in Region.objects.filter(kind=RegionKind.GEMEINDE, code__startswith="06").only("id", "code", "postcode",
                                                                                       "parent_id"):
        if g.postcode:
            hessen_gemeinden_by_plz.setdefault(g.postcode, g)
    locator = RegionLocator(code_prefix="06")
    rows = []
    unlocated = 0
    for sid, entry in merged.items():
        rec = entry["rec"]
        loc = rec.get("location") or {}
        lat, lon = _float(loc.get("lat")), _float(loc.get("lon"))
        match = ADDRESS.match(rec.get("address") or "")
        street, plz, city = (match["street"], match["plz"], match["city"]) if match else (rec.get("address", ""), "",
                                                                                            "")
        found = locator.place(lat, lon)
        region = found["gemeinde"] or found["kreis"]
        if region is None and plz:
            region = hessen_gemeinden_by_plz.get(plz)
        if region is None:
            unlocated += 1
        types = entry["types"]
        rows.append({
            "external_id": sid,
            "name": rec["name"][:300],
            "type": OrganisationType.SCHULE,
            "subtypes": types,
            "region_id": region.id if region else None,
            "street": street.strip()[:200],
            "postcode": plz,
            "city": city.strip()[:120],
            "latitude": lat,
            "longitude": lon,
            "email": "",
            "phone": _hessen_phone(rec.get("phone")),
            "source": HESSEN_SOURCE,
            "facts": {"fax": _hessen_phone(rec.get("fax"))},
        })
    with transaction.atomic():
        _upsert(rows, report)
        audit_record_import(model_label="organisations.Organisation", summary=report.as_dict(),
                            description="Schulliste Hessen 2016")
    report.notes.append(
        f"{len(data)} Zeilen zu {len(merged)} Schulen zusammengeführt; {unlocated} ohne Gebietszuordnung "
        "(weder Koordinaten noch bekannte PLZ). Gemeinde nach nächstgelegenem Gemeindemittelpunkt im Kreis."
    )
    return report


def _hessen_phone(value) -> str:
    value = str(value or "").strip()
    return f"0{value}" if value and not value.startswith("0") else value


def _is_nrw_csv(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    with path.open("rb") as fh:
        head = fh.read(2000).decode("utf-8-sig", errors="replace")
    return "Schulnummer" in head and "Amtlicher Gemeindeschlüssel" in head


def _is_hessen_json(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    with path.open("rb") as fh:
        head = fh.read(600).decode("utf-8", errors="replace")
    return '"school_type"' in head and '"HE-' in head


NRW_SCHOOLS_IMPORTER = Importer(
    format="schools-nrw", label="Schulverzeichnis NRW (CSV)", detect=_is_nrw_csv,
    run=lambda path, **options: nrw_schools_import(path), priority=20,
)
HESSEN_SCHOOLS_IMPORTER = Importer(
    format="schools-hessen", label="Schulliste Hessen (JSON, JedeSchule)", detect=_is_hessen_json,
    run=lambda path, **options: hessen_schools_import(path), priority=20,
)
