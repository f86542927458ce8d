"""Reads about regions: lookups by key, the tree, a tenant's areas, point-in-polygon."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Case, F, Q, QuerySet, Value, When
from shapely.geometry import Point, shape
from shapely.prepared import prep

from .models import TREE_LEVEL, Region, RegionKind, TenantArea


def region_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=code, tenant__isnull=True).first()


def regions_visible_to(tenant) -> QuerySet[Region]:
    """Official regions plus the tenant's own Stadtteile and groups."""
    if tenant is None:
        return Region.objects.filter(tenant__isnull=True)
    return Region.objects.filter(Q(tenant__isnull=True) | Q(tenant=tenant))


def region_ancestors(region: Region) -> list[Region]:
    """From the Bund down to the region's parent (a few small queries; the tree is at most 6 deep)."""
    chain = []
    current = region.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    return list(reversed(chain))


def region_children(region: Region, tenant=None) -> QuerySet[Region]:
    return regions_visible_to(tenant).filter(parent=region).order_by("name").defer("boundary")


def tenant_regions(tenant, *, with_boundary: bool = True) -> list[Region]:
    """The regions a tenant is responsible for, primary first (``with_boundary=False``: without
    their outlines, which are large and needed only for maps)."""
    areas = TenantArea.objects.filter(tenant=tenant).select_related("region").order_by("-is_primary", "region__code")
    if not with_boundary:
        areas = areas.defer("region__boundary")
    return [a.region for a in areas]


def tenant_kreis_codes(tenant) -> set[str]:
    codes = set()
    for region in tenant_regions(tenant):
        if region.kind == RegionKind.GROUP:
            codes |= set(region.members.values_list("code", flat=True))
        else:
            codes.add(region.code)
    return codes


def tenant_neighbour_kreis_codes(tenant) -> set[str]:
    """The Kreise around the tenant's area (sharing a boundary, see regions/neighbours.py); for an area
    that is a Gemeinde also its own Kreis. Not the area's own Kreise."""
    from .neighbours import kreis_neighbour_codes

    area = tenant_kreis_codes(tenant)
    kreise = {code[:5] for code in area}
    return (kreis_neighbour_codes(kreise) | kreise) - area


_PREPARED: dict[tuple, object] = {}


def _prepared(region: Region):
    """Prepared geometry, cached per region and boundary extent (a new upload changes the key)."""
    key = (region.id, region.bbox_west, region.bbox_south, region.bbox_east, region.bbox_north)
    geom = _PREPARED.get(key)
    if geom is None:
        if len(_PREPARED) > 5000:
            _PREPARED.clear()
        geom = _PREPARED[key] = prep(shape(region.boundary))
    return geom


def region_locate(
    lat: float, lon: float, *, kind: str, tenant=None, within: Region | None = None
) -> Region | None:
    """The region of ``kind`` whose boundary contains the point (exact test after a bbox pre-filter)."""
    qs = regions_visible_to(tenant).filter(
        kind=kind, boundary__isnull=False,
        bbox_west__lte=lon, bbox_east__gte=lon, bbox_south__lte=lat, bbox_north__gte=lat,
    )
    if within is not None:
        qs = qs.filter(code__startswith=within.code) if kind != RegionKind.STADTTEIL else qs.filter(parent=within)
    point = Point(lon, lat)
    # The boundary itself is loaded only when it is not cached yet (deferred field).
    fields = ("id", "code", "name", "kind", "parent_id", "tenant_id", "designation",
              "bbox_west", "bbox_south", "bbox_east", "bbox_north")
    for region in qs.only(*fields):
        if _prepared(region).contains(point):
            return region
    return None


def gemeinde_nearest(lat: float, lon: float, kreis: Region) -> Region | None:
    """The Gemeinde of a Kreis whose centre is nearest to the point.

    The Gemeinde file has centre points but no boundaries, so this is an approximation; it is
    exact for kreisfreie Städte (one Gemeinde) and labelled as approximate where it is used.
    """
    best, best_d = None, None
    for g in Region.objects.filter(kind=RegionKind.GEMEINDE, parent=kreis).only("id", "code", "name", "centre_lat",
                                                                                 "centre_lon"):
        if g.centre_lat is None:
            continue
        d = (g.centre_lat - lat) ** 2 + ((g.centre_lon - lon) * 0.63) ** 2
        if best_d is None or d < best_d:
            best, best_d = g, d
    return best


def region_place(lat: float, lon: float, tenant=None) -> dict[str, Region | None]:
    """Kreis (exact), Gemeinde (nearest centre within the Kreis) and the tenant's Stadtteil (exact)."""
    kreis = region_locate(lat, lon, kind=RegionKind.KREIS)
    gemeinde = gemeinde_nearest(lat, lon, kreis) if kreis else None
    stadtteil = None
    if tenant is not None and gemeinde is not None:
        stadtteil = region_locate(lat, lon, kind=RegionKind.STADTTEIL, tenant=tenant, within=gemeinde)
    return {"kreis": kreis, "gemeinde": gemeinde, "stadtteil": stadtteil}


class RegionLocator:
    """Point → Kreis, Gemeinde and Stadtteil for many points at once (imports), from memory.

    Kreis and Stadtteil by exact point-in-polygon; Gemeinde by the nearest Gemeinde centre within
    the Kreis (the Gemeinde file has no boundaries), which is exact where the Kreis has one
    Gemeinde (kreisfreie Städte) and flagged ``approximate`` otherwise.
    """

    def __init__(self, *, code_prefix: str = "", tenant=None):
        kreise = Region.objects.filter(kind=RegionKind.KREIS, tenant__isnull=True, boundary__isnull=False)
        if code_prefix:
            kreise = kreise.filter(code__startswith=code_prefix[:5])
        self._kreise = [(k, prep(shape(k.boundary))) for k in kreise.only(
            "id", "code", "name", "designation", "boundary", "bbox_west", "bbox_south", "bbox_east", "bbox_north")]
        self._gemeinden: dict[int, list[Region]] = {}
        for g in Region.objects.filter(kind=RegionKind.GEMEINDE, parent_id__in=[k.id for k, _ in self._kreise],
                                       centre_lat__isnull=False).only("id", "code", "name", "parent_id",
                                                                      "centre_lat", "centre_lon"):
            self._gemeinden.setdefault(g.parent_id, []).append(g)
        self._stadtteile: dict[int, list[tuple[Region, object]]] = {}
        if tenant is not None:
            for s in Region.objects.filter(kind=RegionKind.STADTTEIL, tenant=tenant, boundary__isnull=False):
                self._stadtteile.setdefault(s.parent_id, []).append((s, prep(shape(s.boundary))))

    def kreis(self, lat: float, lon: float) -> Region | None:
        point = Point(lon, lat)
        for kreis, geometry in self._kreise:
            if kreis.bbox_west <= lon <= kreis.bbox_east and kreis.bbox_south <= lat <= kreis.bbox_north \
                    and geometry.contains(point):
                return kreis
        return None

    def place(self, lat: float | None, lon: float | None) -> dict:
        empty = {"kreis": None, "gemeinde": None, "stadtteil": None, "approximate": False}
        if lat is None or lon is None:
            return empty
        kreis = self.kreis(lat, lon)
        if kreis is None:
            return empty
        candidates = self._gemeinden.get(kreis.id, [])
        gemeinde = min(candidates, key=lambda g: (g.centre_lat - lat) ** 2 + ((g.centre_lon - lon) * 0.63) ** 2,
                       default=None)
        stadtteil = None
        if gemeinde is not None:
            point = Point(lon, lat)
            stadtteil = next((s for s, geom in self._stadtteile.get(gemeinde.id, []) if geom.contains(point)), None)
        return {"kreis": kreis, "gemeinde": gemeinde, "stadtteil": stadtteil, "approximate": len(candidates) > 1}


def gemeinde_by_address(*, postcode: str = "", city: str = "", kreis_codes: set[str] | None = None) -> Region | None:
    """The Gemeinde an address lies in, from the reference data alone (offline): by PLZ, else by name.

    The Gemeinden list carries one PLZ per Gemeinde (its main one); ``kreis_codes`` (the tenant's area)
    wins a tie between Gemeinden of the same name.
    """
    base = Region.objects.filter(kind=RegionKind.GEMEINDE, tenant__isnull=True, centre_lat__isnull=False).defer(
        "boundary")
    candidates = []
    if postcode.strip():
        candidates = list(base.filter(postcode=postcode.strip()))
    if not candidates and city.strip():
        name = city.strip()
        candidates = list(base.filter(name__iexact=name)) or list(base.filter(name__istartswith=name + ","))
    if kreis_codes:
        inside = [g for g in candidates if g.code[:5] in kreis_codes]
        candidates = inside or candidates
    return candidates[0] if len(candidates) >= 1 else None


def regions_search(query: str, tenant, limit: int):
    """Regions by name or key for the start page's search. A key (AGS, Kreis or Land key) or a name
    that matches exactly leads: the citizen gets straight to that region's page."""
    from django.urls import reverse

    from bildungskette.core.search import SearchGroup, SearchHit

    def hit(region: Region) -> SearchHit:
        return SearchHit(region.title, reverse("regions:detail", args=[region.code]),
                         f"{region.designation or region.get_kind_display()} · {region.code}")

    base = regions_visible_to(tenant).defer("boundary")
    level = Case(*[When(kind=kind, then=Value(depth)) for kind, depth in TREE_LEVEL.items()], default=Value(9))
    # Current before former, then Land before Kreis before Gemeinde, then by name.
    current_first = [F("valid_until").asc(nulls_first=True), level, "name", "code"]
    if query.isdigit():
        leading = base.filter(code=query).first()
        qs = base.filter(code__startswith=query)
    else:
        exact = list(base.filter(name__iexact=query, valid_until__isnull=True).order_by(level, "code")[:5])
        # "Kassel" is a Regierungsbezirk, a kreisfreie Stadt, a Landkreis and a Gemeinde: a Kreis leads.
        leading = next((r for r in exact if r.kind == RegionKind.KREIS), exact[0] if exact else None)
        qs = base.filter(Q(name__icontains=query) | Q(code__startswith=query))
    qs = qs.order_by(*current_first)
    total = qs.count()
    hits = [hit(r) for r in qs[: limit + 1] if leading is None or r.pk != leading.pk][:limit]
    return SearchGroup("", "", hits=hits, total=total,
                       more_url=reverse("regions:index") + "?" + urlencode({"q": query}),
                       leading=hit(leading) if leading else None)


def gemeinde_centre_find(text: str) -> Region | None:
    """A current Gemeinde by postcode or exact name, with a centre (for "in meiner Nähe" without
    the browser's position)."""
    text = text.strip()
    qs = Region.objects.defer("boundary").filter(kind=RegionKind.GEMEINDE, tenant__isnull=True,
                                                 centre_lat__isnull=False, valid_until__isnull=True)
    if text.isdigit() and len(text) == 5:
        return qs.filter(postcode=text).order_by("code").first()
    return qs.filter(name__iexact=text).order_by("-population", "code").first()
