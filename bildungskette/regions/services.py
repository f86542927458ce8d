"""Writes for regions: a tenant's own Stadtteile/Sozialräume and groupings."""

from __future__ import annotations

import json

from django.db import transaction
from shapely.errors import GEOSException
from shapely.geometry import shape

from bildungskette.core.importing import ImportRejected, ImportReport, RowProblem
from bildungskette.core.parsing import json_parse

from .maps import geometry_within_wgs84
from .models import Region, RegionKind, TenantArea


def stadtteile_import_geojson(
    *, tenant, gemeinde: Region, content: bytes, name_property: str = "name", key_property: str = ""
) -> ImportReport:
    """Create or update the tenant's Stadtteile of one Gemeinde from a GeoJSON FeatureCollection."""
    report = ImportReport(importer="stadtteile", source=f"GeoJSON für {gemeinde.name}")
    data = json_parse(content)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise ImportRejected("Erwartet wird eine GeoJSON-FeatureCollection mit mindestens einem Feature.")
    problems, rows = [], []
    for index, feature in enumerate(features, start=1):
        props = feature.get("properties") or {} if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            problems.append(RowProblem(index, "properties", "kein GeoJSON-Feature mit Eigenschaften"))
            continue
        name = str(props.get(name_property) or "").strip()
        key = str(props.get(key_property) or "").strip() if key_property else ""
        if not name:
            problems.append(RowProblem(index, name_property, "Feature ohne Namen"))
            continue
        try:
            geom = shape(feature.get("geometry") or {})
        except (GEOSException, ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError):
            problems.append(RowProblem(index, "geometry", f"„{name}“ hat keine gültige Geometrie"))
            continue
        if geom.geom_type not in {"Polygon", "MultiPolygon"} or geom.is_empty:
            problems.append(RowProblem(index, "geometry", f"„{name}“ ist keine Fläche ({geom.geom_type})"))
            continue
        if not geometry_within_wgs84(geom.bounds):
            problems.append(RowProblem(index, "geometry", f"„{name}“: Koordinaten liegen außerhalb von WGS84 "
                                       "(Länge −180…180, Breite −90…90) oder sind keine endlichen Zahlen"))
            continue
        rows.append((key or name, name, geom))
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        for key, name, geom in rows:
            west, south, east, north = geom.bounds
            pt = geom.representative_point()
            code = f"{tenant.slug}:{gemeinde.code}:{key}"[:40]
            _, created = Region.objects.update_or_create(
                code=code,
                defaults={
                    "name": name, "kind": RegionKind.STADTTEIL, "parent": gemeinde, "tenant": tenant,
                    "designation": "Stadtteil", "boundary": json.loads(json.dumps(geom.__geo_interface__)),
                    "bbox_west": west, "bbox_south": south, "bbox_east": east, "bbox_north": north,
                    "centre_lat": pt.y, "centre_lon": pt.x, "source": f"Hochgeladen von {tenant.name}",
                },
            )
            if created:
                report.created += 1
            else:
                report.updated += 1
    return report


def region_group_create(*, tenant, code: str, name: str, members: list[Region], kind: str = RegionKind.GROUP) -> Region:
    """A grouping outside the AGS tree (OloV region, Kreistyp, Agenturbezirk) with explicit members."""
    with transaction.atomic():
        group, _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "tenant": tenant, "designation": ""}
        )
        group.members.set(members)
    return group


def tenant_area_set(*, tenant, regions: list[Region], primary: Region | None = None) -> None:
    with transaction.atomic():
        TenantArea.objects.filter(tenant=tenant).exclude(region__in=regions).delete()
        for region in regions:
            TenantArea.objects.update_or_create(
                tenant=tenant, region=region, defaults={"is_primary": primary is not None and region == primary}
            )


def official_region_create(*, code: str, label: str, kind: str, parent_id: int, source: str) -> Region:
    """An official region a statistics table names but the region files do not have (a Statistische
    Region, a Gemeinde of another Gebietsstand, a former Kreis not in ``kreise_frueher.csv``).

    Importers call this instead of creating regions themselves, so that names are split the same way
    everywhere ("Göttingen, Landkreis" → name "Göttingen", designation "Landkreis") and former Kreise
    documented in the package data are found by key before anything is created."""
    existing = Region.objects.filter(code=code, tenant__isnull=True).first()
    if existing is not None:
        return existing
    text = label.strip()
    name, _, designation = text.partition(",")
    if kind == RegionKind.GEMEINDE:
        name, designation = text, ""
    return Region.objects.create(
        code=code, name=name.strip(), kind=kind, designation=designation.strip()[:80], parent_id=parent_id,
        tenant=None, source=source[:300],
    )


def tenant_onboard(*, name: str, slug: str, regions: list[Region], modules: list[str], admin_email: str):
    """A new Kommune in one step: the tenant, its area (first region primary) and its first administrator.

    The administrator's account has no password yet; pass it to ``core.invitations.invitation_path``.
    Returns ``(tenant, administrator)``.
    """
    from bildungskette.core.models import Role, Tenant
    from bildungskette.core.services import user_invite

    if not regions:
        raise ValueError("at least one region")
    with transaction.atomic():
        tenant = Tenant.objects.create(
            name=name, slug=slug, modules=sorted(modules),
            kind=Tenant.Kind.AUTHORITY if len(regions) == 1 else Tenant.Kind.REGION_GROUP,
            land_code=regions[0].code[:2] if regions[0].code[:2].isdigit() else "",
        )
        tenant_area_set(tenant=tenant, regions=regions, primary=regions[0])
        admin, _needs_link = user_invite(tenant=tenant, email=admin_email, role=Role.TENANT_ADMIN)
    return tenant, admin
