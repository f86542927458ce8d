"""Import of the official region files: Länder and Kreise (VG250 GeoJSON) and Gemeinden (GV-ISys).

Idempotent: regions are matched by their official key and updated in place.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from bildungskette.core.audit import audit_record_import
from bildungskette.core.importing import Importer, ImportRejected, ImportReport, RowProblem

from .models import Region, RegionKind

BKG_ATTRIBUTION = "© GeoBasis-DE / BKG 2019 (Daten verändert), dl-de/by-2-0"
DESTATIS_ATTRIBUTION = "© Statistisches Bundesamt (Destatis), 2019, dl-de/by-2-0"
REFERENCE_DATE = datetime.date(2018, 12, 31)

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
    "gemeinden": Path("regions/gemeinden_gvisys_2018.json"),
}


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
    data = json.loads(path.read_text(encoding="utf-8"))
    return [f for f in data.get("features", []) if f.get("properties", {}).get("GF") == 4]


def _decimal_comma(value: str | float | None) -> float | None:
    if value in (None, ""):
        return None
    return float(str(value).replace(",", "."))


class _Upserter:
    """Collects wanted region rows and writes them with as few queries as possible."""

    FIELDS = [
        "ars", "name", "kind", "designation", "parent_id", "population", "population_male", "population_female",
        "population_date", "area_km2", "postcode", "centre_lat", "centre_lon", "boundary", "bbox_west",
        "bbox_south", "bbox_east", "bbox_north", "nuts", "source",
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
    paths = {key: data_dir / rel for key, rel in FILES.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise ImportRejected(f"Gebietsdateien nicht gefunden: {', '.join(missing)}")
    report = ImportReport(importer="regions", source=str(data_dir))

    laender = _land_features(paths["laender"])
    kreise = _land_features(paths["kreise"])
    try:
        gemeinden = json.loads(paths["gemeinden"].read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ImportRejected(f"Zeile {exc.lineno}, Spalte {exc.colno}: kein gültiges JSON ({exc.msg})") from exc

    # Population sums upward from the Gemeinden (the only file that has it).
    pop: dict[str, list[int]] = {}
    for rs, row in gemeinden.items():
        for prefix in (rs[:2], rs[:3], rs[:5], "DG"):
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
            })
        kreise_by_code = up.save(kreis_rows)

        gemeinde_rows = []
        for rs, row in gemeinden.items():
            kreis = kreise_by_code.get(rs[:5])
            if kreis is None:
                report.rejected.append(_problem(rs, "Kreis des Regionalschlüssels ist unbekannt"))
                continue
            ags = rs[:5] + rs[9:12]
            single = kreis.designation in {"Kreisfreie Stadt", "Stadtkreis"} or ags.endswith("000")
            gemeinde_rows.append({
                "code": ags, "ars": rs,
                # The GV-ISys extract carries no names; a kreisfreie Stadt is its own single Gemeinde.
                "name": kreis.name if single else f"Gemeinde {ags}",
                "kind": RegionKind.GEMEINDE, "designation": "Gemeinde", "parent_id": kreis.id,
                "population": row.get("population"), "population_male": row.get("population_m"),
                "population_female": row.get("population_w"), "population_date": REFERENCE_DATE,
                "area_km2": Decimal(str(row.get("area") or 0)).quantize(Decimal("0.01")),
                "postcode": str(row.get("zip") or "")[:5], "centre_lat": _decimal_comma(row.get("center_lat")),
                "centre_lon": _decimal_comma(row.get("center_lon")), "source": DESTATIS_ATTRIBUTION,
            })
        up.save(gemeinde_rows)

        report.notes.append(
            f"{len(lands)} Länder, {len(rbs)} Regierungsbezirke, {len(kreise_by_code)} Kreise, "
            f"{len(gemeinde_rows)} Gemeinden"
        )
        audit_record_import(model_label="regions.Region", summary=report.as_dict(), description="Amtliche Gebiete")
    return report


def _problem(rs: str, message: str) -> RowProblem:
    return RowProblem(None, "RS", f"{rs}: {message}")


def _looks_like_region_source(path: Path) -> bool:
    if path.is_dir():
        return all((path / rel).is_file() for rel in FILES.values())
    return False


REGION_IMPORTER = Importer(
    format="regions",
    label="Amtliche Gebiete (VG250 + GV-ISys), Ordner mit geo/ und regions/",
    detect=_looks_like_region_source,
    run=lambda path, **options: regions_import(path),
    priority=10,
)
