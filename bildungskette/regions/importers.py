"""Import of the official region files: Länder and Kreise (VG250 GeoJSON), Gemeinden with their
official names (Gemeindeverzeichnis, Auszug GV-ISys 4. Quartal 2020) and former Kreise (documented
in ``regions/kreise_frueher.csv`` with the regions that cover their territory today).

Files are read from the data folder, plain or gzip-compressed (see ``core.datafiles``).
Idempotent: regions are matched by their official key and updated in place.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from bildungskette.core.audit import audit_record_import
from bildungskette.core.datafiles import data_path, data_text
from bildungskette.core.importing import Importer, ImportRejected, ImportReport, RowProblem

from .models import Region, RegionKind

BKG_ATTRIBUTION = "© GeoBasis-DE / BKG 2019 (Daten verändert), dl-de/by-2-0"
DESTATIS_ATTRIBUTION = "© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis 31.12.2020, dl-de/by-2-0"
# Gebietsstand of the Gemeindeverzeichnis and date of its population figures.
TERRITORY_DATE = datetime.date(2020, 12, 31)
REFERENCE_DATE = datetime.date(2019, 12, 31)

# Textkennzeichen of a Gemeinde row (Satzart 60) in the Gemeindeverzeichnis.
GEMEINDE_DESIGNATIONS = {
    "60": "Markt", "61": "Kreisfreie Stadt", "62": "Stadtkreis", "63": "Stadt", "64": "Gemeinde",
    "65": "gemeindefreies Gebiet, bewohnt", "66": "gemeindefreies Gebiet, unbewohnt", "67": "Große Kreisstadt",
}

# The 19 Regierungsbezirke in force on 31.12.2018 (names as the statistical offices print them).
REGIERUNGSBEZIRKE = {
    "051": "Düsseldorf", "053": "Köln", "055": "Münster", "057": "Detmold", "059": "Arnsberg",
    "064": "Darmstadt", "065": "Gießen", "066": "Kassel",
    "081": "Stuttgart", "082": "Karlsruhe", "083": "Freiburg", "084": "Tübingen",
    "091": "Oberbayern", "092": "Niederbayern", "093": "Oberpfalz", "094": "Oberfranken",
    "095": "Mittelfranken", "096": "Unterfranken", "097": "Schwaben",
}

FILES = {
    "laender": Path("geo/laender_vg250_2018.geojson"),
    "kreise": Path("geo/kreise_vg250_2018.geojson"),
    "gemeinden": Path("regions/gemeinden_gvauszug_2020q4.csv"),
}
FORMER_KREISE = Path("regions/kreise_frueher.csv")  # optional in an installation's own data folder


def _bbox(geometry) -> dict:
    west, south, east, north = geometry.bounds
    return {"bbox_west": west, "bbox_south": south, "bbox_east": east, "bbox_north": north}


def _rounded(geom, ndigits: int = 5) -> dict:
    """GeoJSON with coordinates rounded to ~1 m: smaller pages, same picture."""

    def r(coords):
        if isinstance(coords[0], (int, float)):
            return [round(coords[0], ndigits), round(coords[1], ndigits)]
        return [r(c) for c in coords]

    data = mapping(geom)
    return {"type": data["type"], "coordinates": r(data["coordinates"])}


def _land_features(path: Path) -> list[dict]:
    try:
        data = json.loads(data_text(path))
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            f"{path.name}: Zeile {exc.lineno}, Spalte {exc.colno}: kein gültiges JSON ({exc.msg})"
        ) from exc
    return [f for f in data.get("features", []) if f.get("properties", {}).get("GF") == 4]


def _int(text: str) -> int | None:
    digits = (text or "").replace(" ", "").replace(".", "")
    return int(digits) if digits.isdigit() else None


def gemeinden_read(path: Path) -> list[dict]:
    """The Gemeinde rows (Satzart 60) of the Gemeindeverzeichnis as CSV (Destatis "Auszug GV", one
    column per field): AGS, ARS, name, designation, area, population, PLZ, centre point."""
    reader = csv.DictReader(io.StringIO(data_text(path)))
    needed = {"satzart", "textkennzeichen", "land", "rb", "kreis", "vb", "gemeinde", "gemeindename"}
    missing = needed - set(reader.fieldnames or [])
    if missing:
        raise ImportRejected(f"{path.name}: Zeile 1: Spalten fehlen: {', '.join(sorted(missing))}")
    rows, problems = [], []
    for line, row in enumerate(reader, start=2):
        if row["satzart"] != "60":
            continue
        ags = f"{row['land']}{row['rb']}{row['kreis']}{row['gemeinde']}"
        if len(ags) != 8 or not ags.isdigit():
            problems.append(RowProblem(line, "gemeinde", f"„{ags}“ ist kein achtstelliger Gemeindeschlüssel"))
            continue
        official = row["gemeindename"].strip()
        name, _, suffix = official.partition(",")
        area = (row.get("flaeche") or "").strip().replace(",", ".")
        rows.append({
            "ags": ags, "ars": f"{row['land']}{row['rb']}{row['kreis']}{row['vb']}{row['gemeinde']}",
            "name": name.strip(), "official_name": official,
            "designation": (
                GEMEINDE_DESIGNATIONS[row["textkennzeichen"]] if row["textkennzeichen"] in ("65", "66")
                else suffix.strip() or GEMEINDE_DESIGNATIONS.get(row["textkennzeichen"], "Gemeinde")
            ),
            "kind_key": row["textkennzeichen"],
            "area": area or None, "population": _int(row.get("bevoelkerung")),
            "population_m": _int(row.get("maennlich")), "population_w": _int(row.get("weiblich")),
            "zip": (row.get("postleitzahl") or "").strip(),
            "center_lon": row.get("laengengrad"), "center_lat": row.get("breitengrad"),
        })
    if problems:
        raise ImportRejected(problems)
    return rows


def former_kreise_read(path: Path) -> list[dict]:
    """Former Kreise: code;name;designation;valid_from;valid_until;successors (space-separated);note."""
    if not path.is_file():
        return []
    rows = []
    for line, row in enumerate(csv.DictReader(io.StringIO(data_text(path)), delimiter=";"), start=2):
        try:
            until = datetime.date.fromisoformat(row["valid_until"])
            since = datetime.date.fromisoformat(row["valid_from"]) if row.get("valid_from") else None
        except (ValueError, TypeError, KeyError) as exc:
            raise ImportRejected([RowProblem(line, "valid_until", "kein Datum (JJJJ-MM-TT)")]) from exc
        rows.append({**row, "valid_until": until, "valid_from": since, "successors": row["successors"].split()})
    return rows


def _decimal_comma(value: str | float | None) -> float | None:
    if value in (None, ""):
        return None
    return float(str(value).replace(",", "."))


class _Upserter:
    """Collects wanted region rows and writes them with as few queries as possible."""

    FIELDS = [
        "ars", "name", "kind", "designation", "parent_id", "population", "population_male", "population_female",
        "population_date", "area_km2", "postcode", "centre_lat", "centre_lon", "boundary", "bbox_west",
        "bbox_south", "bbox_east", "bbox_north", "nuts", "source", "valid_from", "valid_until",
    ]

    def __init__(self, report: ImportReport):
        self.report = report
        self.existing = {r.code: r for r in Region.objects.filter(tenant__isnull=True).only("id", "code", *[
            f for f in self.FIELDS if f != "parent_id"] + ["parent"])}

    def save(self, rows: list[dict]) -> dict[str, Region]:
        create, update = [], []
        for row in rows:
            current = self.existing.get(row["code"])
            if current is None:
                obj = Region(code=row["code"], **{k: row.get(k) for k in self.FIELDS if k in row})
                for k in self.FIELDS:
                    if getattr(obj, k, None) is None and k in {"ars", "designation", "postcode", "nuts", "source"}:
                        setattr(obj, k, "")
                create.append(obj)
                continue
            changed = False
            for key in self.FIELDS:
                if key not in row:
                    continue
                new = row[key]
                old = getattr(current, key)
                if isinstance(old, Decimal) and new is not None:
                    new = Decimal(str(new)).quantize(Decimal("0.01"))
                if old != new:
                    setattr(current, key, new)
                    changed = True
            if changed:
                update.append(current)
            else:
                self.report.unchanged += 1
        if create:
            Region.objects.bulk_create(create, batch_size=1000)
            self.report.created += len(create)
        if update:
            Region.objects.bulk_update(update, [f for f in self.FIELDS], batch_size=500)
            self.report.updated += len(update)
        codes = [r["code"] for r in rows]
        fresh = {r.code: r for r in Region.objects.filter(code__in=codes, tenant__isnull=True)}
        self.existing.update(fresh)
        return fresh


def regions_import(data_dir: Path | None = None) -> ImportReport:
    """Import Bund, Länder, Regierungsbezirke, Kreise (with boundaries) and Gemeinden."""
    data_dir = Path(data_dir or settings.DATA_DIR)
    paths = {key: data_path(rel, data_dir) for key, rel in FILES.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise ImportRejected(f"Gebietsdateien nicht gefunden: {', '.join(missing)}")
    report = ImportReport(importer="regions", source=str(data_dir))

    laender = _land_features(paths["laender"])
    kreise = _land_features(paths["kreise"])
    gemeinden = gemeinden_read(paths["gemeinden"])
    former = former_kreise_read(data_path(FORMER_KREISE, data_dir))

    # Population sums upward from the Gemeinden (the only file that has it).
    pop: dict[str, list[int]] = {}
    for row in gemeinden:
        ags = row["ags"]
        for prefix in (ags[:2], ags[:3], ags[:5], "DG"):
            acc = pop.setdefault(prefix, [0, 0, 0, 0.0])
            acc[0] += int(row.get("population") or 0)
            acc[1] += int(row.get("population_m") or 0)
            acc[2] += int(row.get("population_w") or 0)
            acc[3] += float(row.get("area") or 0)

    def pop_fields(key: str) -> dict:
        p = pop.get(key)
        if not p:
            return {}
        return {
            "population": p[0], "population_male": p[1], "population_female": p[2],
            "population_date": REFERENCE_DATE, "area_km2": round(p[3], 2),
        }

    with transaction.atomic():
        up = _Upserter(report)
        land_geoms = {}
        for f in laender:
            code = f["properties"]["AGS"]
            land_geoms.setdefault(code, []).append(shape(f["geometry"]))
        bund_geom = unary_union([g for gs in land_geoms.values() for g in gs]).simplify(0.01)
        centroid = bund_geom.representative_point()
        bund = up.save([{
            "code": "DG", "ars": "000000000000", "name": "Deutschland", "kind": RegionKind.BUND,
            "designation": "Bundesrepublik", "boundary": _rounded(bund_geom, 3), **_bbox(bund_geom),
            "centre_lat": centroid.y, "centre_lon": centroid.x, "source": BKG_ATTRIBUTION, "nuts": "DE",
            "parent_id": None, **pop_fields("DG"),
        }])["DG"]

        land_rows = []
        for f in laender:
            p = f["properties"]
            geom = unary_union(land_geoms[p["AGS"]])
            pt = geom.representative_point()
            land_rows.append({
                "code": p["AGS"], "ars": p.get("ARS") or p.get("RS_0") or "", "name": p["GEN"], "kind": RegionKind.LAND,
                "designation": p.get("BEZ", ""), "parent_id": bund.id, "boundary": _rounded(geom.simplify(0.002), 4),
                **_bbox(geom), "centre_lat": pt.y, "centre_lon": pt.x, "nuts": p.get("NUTS", ""),
                "source": BKG_ATTRIBUTION, **pop_fields(p["AGS"]),
            })
        lands = up.save(land_rows)

        rb_rows = [
            {"code": code, "name": name, "kind": RegionKind.REGIERUNGSBEZIRK, "designation": "Regierungsbezirk",
             "parent_id": lands[code[:2]].id, "source": "Amtliches Gemeindeverzeichnis (Destatis)",
             **pop_fields(code)}
            for code, name in REGIERUNGSBEZIRKE.items()
        ]
        rbs = up.save(rb_rows)

        former_by_code = {row["code"]: row for row in former}
        kreis_rows = []
        for f in kreise:
            p = f["properties"]
            code = p["AGS"]
            geom = shape(f["geometry"])
            parent = rbs.get(code[:3]) or lands[code[:2]]
            pt = geom.representative_point()
            kreis_rows.append({
                "code": code, "ars": p.get("RS_0", ""), "name": p["GEN"], "kind": RegionKind.KREIS,
                "designation": p.get("BEZ", ""), "parent_id": parent.id, "boundary": _rounded(geom),
                **_bbox(geom), "centre_lat": pt.y, "centre_lon": pt.x, "nuts": p.get("NUTS", ""),
                "source": BKG_ATTRIBUTION, **pop_fields(code),
                "valid_from": former_by_code.get(code, {}).get("valid_from"),
                "valid_until": former_by_code.get(code, {}).get("valid_until"),
            })
        kreise_by_code = up.save(kreis_rows)

        # Former Kreise the boundary file does not have (it has Eisenach, which got its dates above).
        former_rows = []
        for row in former:
            code = row["code"]
            if code in kreise_by_code:
                continue
            parent = rbs.get(code[:3]) or lands[code[:2]]
            former_rows.append({
                "code": code, "name": row["name"], "kind": RegionKind.KREIS, "designation": row["designation"],
                "valid_from": row["valid_from"], "valid_until": row["valid_until"], "parent_id": parent.id,
                "source": f"Gebietsänderung: {row['note']}",
            })
        saved = {**up.save(former_rows), **kreise_by_code} if former_rows else dict(kreise_by_code)
        by_code = {r.code: r for r in Region.objects.filter(
            code__in={s for row in former for s in row["successors"]}, tenant__isnull=True)}
        # Through-table rows in bulk: the import is audited once as a whole (audit_record_import below),
        # not with one m2m entry per former Kreis.
        through = Region.successors.through
        links = through.objects.filter(from_region_id__in=[saved[r["code"]].pk for r in former])
        have = set(links.values_list("from_region_id", "to_region_id"))
        wanted = {
            (saved[row["code"]].pk, by_code[s].pk) for row in former for s in row["successors"] if s in by_code
        }
        if have - wanted:
            stale = have - wanted
            links.filter(pk__in=[pk for pk, a, b in links.values_list("pk", "from_region_id", "to_region_id")
                                 if (a, b) in stale]).delete()
        if wanted - have:
            through.objects.bulk_create([through(from_region_id=a, to_region_id=b) for a, b in wanted - have])

        gemeinde_rows = []
        for row in gemeinden:
            ags = row["ags"]
            kreis = kreise_by_code.get(ags[:5])
            if kreis is None and row["kind_key"] == "66":
                # Unbewohnte Gebiete outside any Kreis (coastal waters, the German-Luxembourg condominium).
                report.notes.append(f"{ags} {row['official_name']}: gehört zu keinem Kreis, nicht übernommen")
                continue
            if kreis is None:
                report.rejected.append(_problem(row["ars"], "Kreis des Regionalschlüssels ist unbekannt"))
                continue
            gemeinde_rows.append({
                "code": ags, "ars": row["ars"], "name": row["name"],
                "kind": RegionKind.GEMEINDE, "designation": row["designation"][:80], "parent_id": kreis.id,
                "population": row.get("population"), "population_male": row.get("population_m"),
                "population_female": row.get("population_w"), "population_date": REFERENCE_DATE,
                "area_km2": Decimal(str(row.get("area") or 0)).quantize(Decimal("0.01")),
                "postcode": str(row.get("zip") or "")[:5], "centre_lat": _decimal_comma(row.get("center_lat")),
                "centre_lon": _decimal_comma(row.get("center_lon")), "source": DESTATIS_ATTRIBUTION,
                "valid_from": None, "valid_until": None,
            })
        up.save(gemeinde_rows)

        report.notes.append(
            f"{len(lands)} Länder, {len(rbs)} Regierungsbezirke, {len(kreise_by_code)} Kreise, "
            f"{len(gemeinde_rows)} Gemeinden, {len(former)} frühere Kreise"
        )
        audit_record_import(model_label="regions.Region", summary=report.as_dict(), description="Amtliche Gebiete")
    return report


def _problem(rs: str, message: str) -> RowProblem:
    return RowProblem(None, "RS", f"{rs}: {message}")


def _looks_like_region_source(path: Path) -> bool:
    if path.is_dir():
        return all(data_path(rel, path).is_file() for rel in FILES.values())
    return False


REGION_IMPORTER = Importer(
    format="regions",
    label="Amtliche Gebiete (VG250 + Gemeindeverzeichnis), Ordner mit geo/ und regions/",
    detect=_looks_like_region_source,
    run=lambda path, **options: regions_import(path),
    priority=10,
)
