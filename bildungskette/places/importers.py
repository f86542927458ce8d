"""Importers for Lernorte: the official school lists (organisation and place in one transaction)
and generic CSV / GeoJSON files with a column mapping.

Column mapping (CLI ``--format places-csv:name=Einrichtung,kategorie=Art`` or the upload form):
target field = source column; a value that is not a column but a category code is used as a
constant (``kategorie=bibliothek``). Without a mapping, columns named like the targets (or
common aliases such as lat/lon) are used.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from bildungskette.core.audit import audit_record_import
from bildungskette.core.importing import Importer, ImportRejected, ImportReport, RowProblem
from bildungskette.core.parsing import csv_rows, json_parse, text_lines
from bildungskette.organisations.importers import (
    HESSEN_SCHOOLS_IMPORTER,
    NRW_SCHOOLS_IMPORTER,
    hessen_schools_import,
    nrw_schools_import,
)
from bildungskette.organisations.models import Organisation

from .models import Category, SchoolFormMapping
from .services import (
    GERMANY_BBOX,
    PlaceLocator,
    PlaceRow,
    coordinates_plausible,
    places_sync_from_organisations,
    places_upsert,
)

WEST, SOUTH, EAST, NORTH = GERMANY_BBOX

# ---------------------------------------------------------------------------------------------
# Official school lists


def nrw_places_import(path: Path, **options) -> ImportReport:
    """NRW school directory → shared organisations (foundation importer) and Lernorte."""
    with transaction.atomic():
        organisations = nrw_schools_import(path)
        report = ImportReport(importer="places-schools-nrw", source=path.name)
        places_sync_from_organisations(
            Organisation.objects.filter(tenant__isnull=True, external_id__startswith="NRW-"),
            report=report, description="Lernorte aus dem Schulverzeichnis NRW",
        )
    report.notes.insert(0, f"Organisationen – {organisations.summary()}")
    return report


def hessen_places_import(path: Path, **options) -> ImportReport:
    """Hessen school list (one row per school type) → one organisation and one Lernort per school."""
    with transaction.atomic():
        organisations = hessen_schools_import(path)
        report = ImportReport(importer="places-schools-hessen", source=path.name)
        places_sync_from_organisations(
            Organisation.objects.filter(tenant__isnull=True, external_id__startswith="HE-"),
            report=report, description="Lernorte aus der Schulliste Hessen",
        )
    report.notes.insert(0, f"Organisationen – {organisations.summary()}")
    return report


# ---------------------------------------------------------------------------------------------
# Generic files with a column mapping

TARGETS = {
    "name": ("name", "bezeichnung", "einrichtung", "title"),
    "kategorie": ("kategorie", "category", "art", "typ", "type"),
    "id": ("id", "kennung", "nummer", "external_id"),
    "strasse": ("strasse", "straße", "street", "adresse"),
    "plz": ("plz", "postleitzahl", "postcode", "zip"),
    "ort": ("ort", "stadt", "city"),
    "breite": ("breite", "lat", "latitude", "y"),
    "laenge": ("laenge", "länge", "lon", "lng", "longitude", "x"),
    "telefon": ("telefon", "phone", "tel"),
    "email": ("email", "e-mail", "mail"),
    "website": ("website", "url", "homepage", "internet"),
    "beschreibung": ("beschreibung", "description"),
    "oeffnungszeiten": ("oeffnungszeiten", "öffnungszeiten", "opening_hours"),
    "sprachen": ("sprachen", "languages"),
    "quelle": ("quelle", "source"),
    "lizenz": ("lizenz", "licence", "license"),
}
REQUIRED = ("name", "kategorie")


def column_mapping_parse(spec: str) -> dict[str, str]:
    """``name=Einrichtung, kategorie=Art`` → {"name": "Einrichtung", "kategorie": "Art"}."""
    mapping = {}
    for part in re.split(r"[,;\n]", spec or ""):
        if not part.strip():
            continue
        if "=" not in part:
            raise ImportRejected(f"Zuordnung „{part.strip()}“ hat die Form Ziel=Spalte.")
        target, column = (p.strip() for p in part.split("=", 1))
        if target not in TARGETS:
            raise ImportRejected(f"Unbekanntes Zielfeld „{target}“. Bekannt: {', '.join(TARGETS)}.")
        mapping[target] = column
    return mapping


def _resolve_columns(headers: list[str], mapping: dict[str, str], categories: dict[str, Category]):
    """For each target: ("column", name) or ("constant", value)."""
    lower = {h.strip().lower(): h for h in headers}
    resolved = {}
    for target, aliases in TARGETS.items():
        if target in mapping:
            wanted = mapping[target]
            if wanted in headers:
                resolved[target] = ("column", wanted)
            elif wanted.lower() in lower:
                resolved[target] = ("column", lower[wanted.lower()])
            elif target == "kategorie" and wanted in categories:
                resolved[target] = ("constant", wanted)
            elif target in {"quelle", "lizenz"}:
                resolved[target] = ("constant", wanted)
            else:
                raise ImportRejected([RowProblem(1, wanted, f"Spalte für „{target}“ nicht gefunden")])
            continue
        for alias in aliases:
            if alias in lower:
                resolved[target] = ("column", lower[alias])
                break
    missing = [t for t in REQUIRED if t not in resolved]
    if missing:
        raise ImportRejected([RowProblem(1, t, "keine Spalte zugeordnet (Zuordnung z. B. "
                                               f"{t}=Spaltenname)") for t in missing])
    return resolved


def _category_lookup() -> dict[str, Category]:
    lookup: dict[str, Category] = {}
    for category in Category.objects.all():
        lookup[category.code] = category
        lookup[category.name.lower()] = category
    for mapping in SchoolFormMapping.objects.select_related("category"):
        lookup[mapping.label.lower()] = mapping.category
    return lookup


def _coordinate(value: str, line: int, column: str, low: float, high: float, problems: list) -> float | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        problems.append(RowProblem(line, column, f"keine Zahl: „{value}“"))
        return None
    if not low <= number <= high:
        problems.append(RowProblem(line, column, f"{number} liegt außerhalb von {low}…{high}"))
        return None
    return number


# Rows are written in batches inside one transaction: a large file never becomes one list of places.
STORE_BATCH = 2000
# More problems than this are counted, not listed (a wrong file has one per line).
MAX_PROBLEMS = 1000


def _records_rows(records, *, tenant, mapping: dict[str, str], source_name: str, headers: list[str],
                  problems: list[RowProblem]):
    """records: iterable of (line, dict, (lat, lon) or None) → PlaceRows, one at a time.

    A bad row is added to ``problems`` and skipped; whoever stores the rows refuses the whole file
    if there is any (``_store``)."""
    if tenant is None:
        raise ImportRejected("Lernorte aus eigenen Dateien gehören einem Mandanten: bitte --tenant angeben.")
    categories = _category_lookup()
    columns = _resolve_columns(headers, mapping, categories)
    locator = PlaceLocator()
    seen = {}

    def get(rec, target):
        how, what = columns.get(target, (None, None))
        if how == "column":
            value = rec.get(what)
            return "" if value is None else str(value).strip()
        if how == "constant":
            return what
        return ""

    for line, rec, point in records:
        name = get(rec, "name")
        if not name:
            problems.append(RowProblem(line, columns["name"][1], "Name fehlt"))
            continue
        category_value = get(rec, "kategorie")
        category = categories.get(category_value) or categories.get(category_value.lower())
        if category is None:
            problems.append(RowProblem(line, columns["kategorie"][1],
                                       f"unbekannte Kategorie „{category_value}“"))
            continue
        if point is None:
            lat = _coordinate(get(rec, "breite"), line, columns.get("breite", ("", "Breite"))[1], SOUTH, NORTH,
                              problems)
            lon = _coordinate(get(rec, "laenge"), line, columns.get("laenge", ("", "Länge"))[1], WEST, EAST,
                              problems)
        else:
            lat, lon = point
        key = get(rec, "id") or f"{slugify(name)}-{get(rec, 'plz')}"
        external_id = f"{tenant.slug}:{key}"[:80]
        if external_id in seen:
            problems.append(RowProblem(line, columns.get("id", ("", "id"))[1],
                                       f"doppelte Kennung „{key}“ (schon in Zeile {seen[external_id]})"))
            continue
        seen[external_id] = line
        if problems:
            continue  # the file will be refused: only look for further problems
        location = locator.locate(lat, lon)
        yield PlaceRow(external_id, {
            "name": name[:300], "category_id": category.id, "school_forms": [], "operator_id": None,
            "street": get(rec, "strasse")[:200], "postcode": get(rec, "plz")[:5], "city": get(rec, "ort")[:120],
            "latitude": lat, "longitude": lon,
            "region_id": location.gemeinde.id if location.gemeinde else None, "kreis_code": location.kreis_code,
            "stadtteil_id": location.stadtteil.id if location.stadtteil else None,
            "region_approximate": location.approximate,
            "phone": get(rec, "telefon")[:60], "email": get(rec, "email")[:254], "website": get(rec, "website")[:200],
            "source": (get(rec, "quelle") or f"{tenant.name}: {source_name}")[:300],
            "licence": get(rec, "lizenz")[:120], "age_min": category.age_min, "age_max": category.age_max,
            "facts": {}, "description": get(rec, "beschreibung"), "opening_hours": get(rec, "oeffnungszeiten")[:300],
            "languages": get(rec, "sprachen")[:200], "tenant_id": tenant.id,
        }, [category])


class _Problems(list):
    """Collects row problems up to MAX_PROBLEMS and counts the rest."""

    more = 0

    def append(self, problem):
        if len(self) < MAX_PROBLEMS:
            super().append(problem)
        else:
            self.more += 1

    def rejected(self) -> ImportRejected:
        listed = list(self)
        if self.more:
            listed.append(RowProblem(None, None, f"… und {self.more} weitere Probleme"))
        return ImportRejected(listed)


def _store(rows, *, problems: _Problems, tenant, importer: str, source: str) -> ImportReport:
    """Write the rows in batches in one transaction; any problem in the file rolls all of it back."""
    report = ImportReport(importer=importer, source=source)
    with transaction.atomic():
        batch: list[PlaceRow] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= STORE_BATCH:
                places_upsert(batch, report)
                batch = []
        if problems:
            raise problems.rejected()
        places_upsert(batch, report)
        audit_record_import(tenant=tenant, model_label="places.LearningPlace", summary=report.as_dict(),
                            description=f"Lernorte aus {source}")
    return report


def _mapping_from(options) -> dict[str, str]:
    if options.get("mapping") is not None:
        spec = options["mapping"]
    else:
        fmt = options.get("format") or ""
        spec = fmt.split(":", 1)[1] if ":" in fmt else ""
    return column_mapping_parse(spec)


def places_csv_import(path: Path, *, tenant=None, **options) -> ImportReport:
    """CSV (UTF-8 or Windows-1252, comma or semicolon) with one Lernort per row, read line by line."""
    with text_lines(path) as lines:
        first = next(lines, "")
        dialect_delimiter = ";" if first.count(";") > first.count(",") else ","
        rows_in = csv_rows(itertools.chain([first], lines), delimiter=dialect_delimiter)
        headers = next(rows_in, None) or []
        if not headers:
            raise ImportRejected("Die Datei ist leer.")
        records = ((line, dict(zip(headers, values, strict=False)), None)
                   for line, values in enumerate(rows_in, start=2) if values)
        problems = _Problems()
        rows = _records_rows(records, tenant=tenant, mapping=_mapping_from(options), source_name=path.name,
                             headers=headers, problems=problems)
        return _store(rows, problems=problems, tenant=tenant, importer="places-csv", source=path.name)


def places_geojson_import(path: Path, *, tenant=None, **options) -> ImportReport:
    """GeoJSON FeatureCollection of points; the properties are mapped like CSV columns."""
    data = json_parse(path.read_bytes())
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ImportRejected("Erwartet wird eine GeoJSON-FeatureCollection.")
    headers: list[str] = []
    records, problems = [], _Problems()
    for index, feature in enumerate(features, start=1):
        feature = feature or {}
        props = feature.get("properties") or {} if isinstance(feature, dict) else None
        geometry = feature.get("geometry") or {} if isinstance(feature, dict) else None
        if not isinstance(props, dict) or not isinstance(geometry, dict):
            problems.append(RowProblem(index, "feature", "kein GeoJSON-Feature mit properties und geometry"))
            continue
        headers += [k for k in props if k not in headers]
        point = None
        if geometry.get("type") == "Point":
            try:
                lon, lat = (float(v) for v in geometry["coordinates"][:2])
            except (TypeError, ValueError, KeyError):
                problems.append(RowProblem(index, "geometry", "ungültige Koordinaten"))
                continue
            if not coordinates_plausible(lat, lon):
                problems.append(RowProblem(index, "geometry", f"Punkt {lat}, {lon} liegt nicht in Deutschland"))
                continue
            point = (lat, lon)
        elif geometry:
            problems.append(RowProblem(index, "geometry", f"erwartet Punkt, nicht {geometry.get('type')}"))
            continue
        records.append((index, props, point if point else (None, None)))
    if problems:
        raise ImportRejected(problems)
    rows = _records_rows(records, tenant=tenant, mapping=_mapping_from(options), source_name=path.name,
                         headers=headers, problems=problems)
    return _store(rows, problems=problems, tenant=tenant, importer="places-geojson", source=path.name)


def _is_point_geojson(path: Path) -> bool:
    if path.suffix.lower() not in {".geojson", ".json"}:
        return False
    with path.open("rb") as fh:
        head = fh.read(4000).decode("utf-8", errors="replace")
    return '"FeatureCollection"' in head and '"Point"' in head


def _is_places_csv(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    with path.open("rb") as fh:
        head = fh.read(1000).decode("utf-8-sig", errors="replace").split("\n", 1)[0].lower()
    columns = {c.strip().strip('"') for c in re.split(r"[;,]", head)}
    return bool(columns & set(TARGETS["kategorie"])) and bool(columns & set(TARGETS["name"]))


# Lower priority numbers are asked first: the school lists land in both organisations and places.
NRW_PLACES_IMPORTER = Importer(
    format="places-schools-nrw", label="Schulverzeichnis NRW → Organisationen und Lernorte",
    detect=NRW_SCHOOLS_IMPORTER.detect, run=nrw_places_import, priority=15,
)
HESSEN_PLACES_IMPORTER = Importer(
    format="places-schools-hessen", label="Schulliste Hessen → Organisationen und Lernorte",
    detect=HESSEN_SCHOOLS_IMPORTER.detect, run=hessen_places_import, priority=15,
)
PLACES_CSV_IMPORTER = Importer(
    format="places-csv", label="Lernorte aus CSV (Spaltenzuordnung: places-csv:name=…,kategorie=…)",
    detect=_is_places_csv, run=places_csv_import, priority=60,
)
PLACES_GEOJSON_IMPORTER = Importer(
    format="places-geojson", label="Lernorte aus GeoJSON-Punkten (Zuordnung wie CSV)",
    detect=_is_point_geojson, run=places_geojson_import, priority=60,
)
PLACE_IMPORTERS = [NRW_PLACES_IMPORTER, HESSEN_PLACES_IMPORTER, PLACES_CSV_IMPORTER, PLACES_GEOJSON_IMPORTER]
