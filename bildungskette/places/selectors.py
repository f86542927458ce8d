"""Reads of the Lernortkarte: the public filter, server-side clustering, boundaries, exports,
the providers' own entries and the review queue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from urllib.parse import urlencode

from django.db.models import Avg, Count, F, Max, Min, Prefetch, Q, QuerySet
from django.db.models.functions import Floor
from django.utils import timezone
from shapely.geometry import shape

from bildungskette.core.models import Role
from bildungskette.core.selectors import user_organisation_ids
from bildungskette.regions.geojson import position, rfc7946_geometry
from bildungskette.regions.models import Region, RegionKind

from .models import Category, ChangeProposal, LearningPlace, Offer, PublicationStatus, TargetGroup, Topic

BOUNDARY_ATTRIBUTION = "Grenzen: © GeoBasis-DE / BKG 2019 (Daten verändert), dl-de/by-2-0"
VERIFY_EVERY_DAYS = 365
# Below this many places in view the map shows every marker instead of clusters.
CLUSTER_THRESHOLD = 400


@dataclass
class PlaceFilter:
    """The public filter. Field names are the German URL parameters, so links can be shared."""

    q: str = ""
    kategorie: str = ""
    zielgruppe: str = ""
    alter: int | None = None
    thema: str = ""
    gebiet: str = ""
    # Looked up once per request, however often the filter is applied.
    _resolved: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_query(cls, params) -> PlaceFilter:
        age = (params.get("alter") or "").strip()
        return cls(
            q=(params.get("q") or "").strip()[:100],
            kategorie=(params.get("kategorie") or "").strip()[:60],
            zielgruppe=(params.get("zielgruppe") or "").strip()[:60],
            alter=int(age) if age.isdigit() and int(age) < 130 else None,
            thema=(params.get("thema") or "").strip()[:60],
            gebiet=(params.get("gebiet") or "").strip()[:40],
        )

    def as_dict(self) -> dict[str, str]:
        values = {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}
        return {k: str(v) for k, v in values.items() if v not in ("", None)}

    def as_query(self) -> str:
        return urlencode(self.as_dict())

    @property
    def is_empty(self) -> bool:
        return not self.as_dict()

    def region(self) -> Region | None:
        if "region" not in self._resolved:
            self._resolved["region"] = region_for_filter(self.gebiet)
        return self._resolved["region"]

    def category_ids(self) -> list[int]:
        if "categories" not in self._resolved:
            self._resolved["categories"] = _category_ids(self.kategorie) if self.kategorie else []
        return self._resolved["categories"]


def _category_ids(code: str) -> list[int]:
    """A category and its sub-categories (the taxonomy is two levels deep)."""
    return list(Category.objects.filter(Q(code=code) | Q(parent__code=code)).values_list("id", flat=True))


def region_for_filter(code: str) -> Region | None:
    if not code:
        return None
    return Region.objects.filter(code=code).defer("boundary").first()


def _region_q(region: Region | None) -> Q:
    if region is None:
        return Q(pk__in=[])
    if region.kind == RegionKind.STADTTEIL:
        return Q(stadtteil=region)
    if region.kind == RegionKind.GEMEINDE:
        return Q(region=region)
    if region.kind in {RegionKind.GROUP, RegionKind.AGENTURBEZIRK}:
        q = Q(pk__in=[])
        for member in region.members.values_list("code", flat=True):
            q |= Q(kreis_code__startswith=member[:5]) if len(member) <= 5 else Q(region__code=member)
        return q
    if region.kind == RegionKind.BUND:
        return Q()
    return Q(kreis_code__startswith=region.code)


def current_q(prefix: str = "") -> Q:
    """Not past its ``visible_until`` (a training place disappears once it has started)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}visible_until__isnull": True}) | Q(**{f"{prefix}visible_until__gte": today})


def offers_public() -> QuerySet[Offer]:
    return Offer.objects.filter(current_q(), status=PublicationStatus.PUBLISHED).filter(
        Q(place__isnull=True) | (Q(place__status=PublicationStatus.PUBLISHED) & current_q("place__"))
    )


def places_public(place_filter: PlaceFilter | None = None) -> QuerySet[LearningPlace]:
    """Published places matching the filter (no ordering, no joins: callers add what they need)."""
    qs = LearningPlace.objects.filter(current_q(), status=PublicationStatus.PUBLISHED)
    f = place_filter or PlaceFilter()
    if f.kategorie:
        through = LearningPlace.categories.through
        qs = qs.filter(pk__in=through.objects.filter(category_id__in=f.category_ids())
                       .values("learningplace_id"))
    if f.zielgruppe:
        via_offers = offers_public().filter(target_groups__code=f.zielgruppe, place__isnull=False).values("place_id")
        direct = LearningPlace.target_groups.through.objects.filter(targetgroup__code=f.zielgruppe)
        qs = qs.filter(Q(pk__in=direct.values("learningplace_id")) | Q(pk__in=via_offers))
    if f.thema:
        qs = qs.filter(pk__in=offers_public().filter(topics__code=f.thema, place__isnull=False).values("place_id"))
    if f.alter is not None:
        a = f.alter
        offer_ages = offers_public().filter(place__isnull=False).filter(
            Q(age_min__lte=a) | Q(age_min__isnull=True), Q(age_max__gte=a) | Q(age_max__isnull=True),
        ).exclude(age_min__isnull=True, age_max__isnull=True).values("place_id")
        qs = qs.filter(
            Q(Q(age_min__lte=a) | Q(age_min__isnull=True), Q(age_max__gte=a) | Q(age_max__isnull=True))
            | Q(pk__in=offer_ages)
        )
    if f.gebiet:
        qs = qs.filter(_region_q(f.region()))
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(city__icontains=f.q) | Q(street__icontains=f.q)
                       | Q(postcode__startswith=f.q))
    return qs


def place_list(place_filter: PlaceFilter) -> QuerySet[LearningPlace]:
    return (places_public(place_filter).select_related("category", "region", "stadtteil")
            .order_by("name", "id"))


def place_detail(pk: int, *, include_unpublished: bool = False) -> LearningPlace | None:
    qs = LearningPlace.objects.select_related("category", "category__parent", "operator", "region", "stadtteil",
                                              "tenant")
    if not include_unpublished:
        qs = qs.filter(current_q(), status=PublicationStatus.PUBLISHED)
    return qs.prefetch_related(
        "categories", "target_groups",
        Prefetch("offers", queryset=offers_public().select_related("provider").prefetch_related("topics",
                                                                                                 "target_groups")),
    ).filter(pk=pk).first()


def offer_detail(pk: int) -> Offer | None:
    return (offers_public().select_related("place", "provider", "region")
            .prefetch_related("topics", "target_groups").filter(pk=pk).first())


def offers_for_region(place: LearningPlace) -> QuerySet[Offer]:
    """Region-wide offers that reach a place's Kreis."""
    if not place.kreis_code:
        return Offer.objects.none()
    return (offers_public().filter(place__isnull=True)
            .filter(Q(region__code=place.kreis_code) | Q(region__code=place.kreis_code[:2])
                    | Q(region__members__code=place.kreis_code) | Q(region__code=getattr(place.region, "code", "-")))
            .select_related("provider").distinct())


def offer_list(place_filter: PlaceFilter) -> QuerySet[Offer]:
    qs = offers_public().select_related("place", "provider").prefetch_related("topics")
    f = place_filter
    if f.thema:
        qs = qs.filter(topics__code=f.thema)
    if f.zielgruppe:
        qs = qs.filter(target_groups__code=f.zielgruppe)
    if f.alter is not None:
        qs = qs.filter(Q(age_min__lte=f.alter) | Q(age_min__isnull=True),
                       Q(age_max__gte=f.alter) | Q(age_max__isnull=True))
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(description__icontains=f.q))
    if f.gebiet or f.kategorie:
        qs = qs.filter(place__in=places_public(PlaceFilter(gebiet=f.gebiet, kategorie=f.kategorie)))
    return qs.distinct().order_by("title", "id")


def filter_choices() -> dict:
    return {
        "categories": list(Category.objects.select_related("parent").order_by("order", "name")),
        "target_groups": list(TargetGroup.objects.all()),
        "topics": list(Topic.objects.all()),
    }


def attribution_lines(qs: QuerySet[LearningPlace]) -> list[str]:
    """The distinct source lines of the places shown, and the boundaries' line."""
    sources = sorted(s for s in qs.order_by().values_list("source", flat=True).distinct() if s)
    return sources + [BOUNDARY_ATTRIBUTION]


def places_extent(qs: QuerySet[LearningPlace]) -> list[float] | None:
    box = qs.order_by().aggregate(w=Min("longitude"), s=Min("latitude"), e=Max("longitude"), n=Max("latitude"))
    if box["w"] is None:
        return None
    return [box["w"], box["s"], box["e"], box["n"]]


# ---------------------------------------------------------------------------------------------
# Map: clusters and boundaries


def bbox_parse(value: str) -> tuple[float, float, float, float] | None:
    try:
        west, south, east, north = (float(v) for v in (value or "").split(","))
    except ValueError:
        return None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    return west, south, east, north


def cell_size(zoom: int) -> float:
    """Grid cell in degrees: about 80 screen pixels at this zoom level."""
    return 360.0 / (2 ** max(0, min(zoom, 20)) * 256) * 80


def places_clustered(qs: QuerySet[LearningPlace], *, bbox, zoom: int) -> dict:
    """GeoJSON of clusters (grid aggregation in the database) or, when few, of single places."""
    west, south, east, north = bbox
    in_view = qs.filter(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)
    # One pass: aggregate first; the total is the sum of the cells, so no separate COUNT(*).
    cell = cell_size(min(zoom, 15))
    cells = list(in_view.order_by()
                 .annotate(cx=Floor(F("longitude") / cell), cy=Floor(F("latitude") / cell))
                 .values("cx", "cy")
                 .annotate(n=Count("id"), lat=Avg("latitude"), lon=Avg("longitude"), first=Min("id")))
    total = sum(c["n"] for c in cells)
    features = []
    if total <= CLUSTER_THRESHOLD or zoom >= 16:
        for p in in_view.order_by("id").values("id", "name", "latitude", "longitude", "category__code",
                                               "category__name", "category__colour", "city"):
            features.append(_point_feature(p))
        return {"type": "FeatureCollection", "features": features, "total": total, "clustered": False}
    singles = []
    for c in cells:
        if c["n"] == 1:
            singles.append(c["first"])
            continue
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(c["lon"], 5),
                                                                                          round(c["lat"], 5)]},
                         "properties": {"count": c["n"]}})
    if singles:
        for p in LearningPlace.objects.filter(pk__in=singles).values(
                "id", "name", "latitude", "longitude", "category__code", "category__name", "category__colour",
                "city"):
            features.append(_point_feature(p))
    return {"type": "FeatureCollection", "features": features, "total": total, "clustered": True}


def _point_feature(p: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": position(p["longitude"], p["latitude"])},
            "properties": {"id": p["id"], "name": p["name"], "city": p["city"], "category": p["category__code"],
                           "category_name": p["category__name"], "colour": p["category__colour"]}}


_SIMPLIFIED: dict[tuple[int, int, tuple], dict] = {}


def _simplified(region: Region, zoom: int) -> dict:
    key = (region.id, zoom, (region.bbox_west, region.bbox_south, region.bbox_east, region.bbox_north))
    geometry = _SIMPLIFIED.get(key)
    if geometry is None:
        if len(_SIMPLIFIED) > 4000:
            _SIMPLIFIED.clear()
        tolerance = cell_size(zoom) / 80 * 1.5  # about 1.5 pixels
        simple = shape(region.boundary).simplify(tolerance, preserve_topology=True)
        geometry = _SIMPLIFIED[key] = rfc7946_geometry(simple, decimals=4)
    return geometry


def boundaries(*, bbox, zoom: int, highlight: str = "") -> dict:
    """Länder when zoomed out, Kreise from zoom 7, and uploaded Stadtteile from zoom 11."""
    west, south, east, north = bbox
    kinds = [RegionKind.LAND] if zoom < 7 else [RegionKind.KREIS]
    if zoom >= 11:
        kinds.append(RegionKind.STADTTEIL)
    qs = Region.objects.filter(kind__in=kinds, boundary__isnull=False, bbox_west__lte=east, bbox_east__gte=west,
                               bbox_south__lte=north, bbox_north__gte=south)
    features = []
    for region in qs.only("id", "code", "name", "kind", "boundary", "bbox_west", "bbox_south", "bbox_east",
                          "bbox_north"):
        features.append({"type": "Feature", "geometry": _simplified(region, zoom),
                         "properties": {"code": region.code, "name": region.name, "kind": region.kind,
                                        "highlight": bool(highlight) and region.code.startswith(highlight)}})
    return {"type": "FeatureCollection", "features": features, "attribution": BOUNDARY_ATTRIBUTION}


def region_extent(region: Region) -> list[float] | None:
    if region.bbox_west is not None:
        return [region.bbox_west, region.bbox_south, region.bbox_east, region.bbox_north]
    members = region.members.exclude(bbox_west__isnull=True).aggregate(
        w=Min("bbox_west"), s=Min("bbox_south"), e=Max("bbox_east"), n=Max("bbox_north"))
    if members["w"] is not None:
        return [members["w"], members["s"], members["e"], members["n"]]
    if region.centre_lat is not None:
        d = 0.08
        return [region.centre_lon - d, region.centre_lat - d, region.centre_lon + d, region.centre_lat + d]
    return None


def regions_for_filter() -> list[Region]:
    """Regions offered in the filter: the Kreise that have places, and every tenant's Stadtteile."""
    codes = (LearningPlace.objects.filter(status=PublicationStatus.PUBLISHED).exclude(kreis_code="")
             .order_by().values_list("kreis_code", flat=True).distinct())
    return list(Region.objects.filter(Q(code__in=codes) | Q(kind=RegionKind.STADTTEIL))
                .defer("boundary").order_by("kind", "name"))


# ---------------------------------------------------------------------------------------------
# Providers and review


def operator_choices(user, tenant, *, whole_tenant: bool) -> QuerySet:
    """Whom an entry may belong to: the provider's own organisations; coordination: also the tenant's."""
    from bildungskette.organisations.models import Organisation

    q = Q(pk__in=provider_organisation_ids(user, tenant))
    if whole_tenant:
        q |= Q(tenant=tenant)
    return Organisation.objects.filter(q).order_by("name")


def offer_place_choices(user, tenant, offer: Offer | None = None) -> QuerySet[LearningPlace]:
    """Places an offer can be attached to: the provider's own, the tenant's, and the current one."""
    q = Q(status=PublicationStatus.PUBLISHED, operator_id__in=provider_organisation_ids(user, tenant)) | Q(
        tenant=tenant)
    if offer is not None and offer.place_id:
        q |= Q(pk=offer.place_id)
    return LearningPlace.objects.filter(q).select_related("category").order_by("name")


def offer_region_choices(tenant) -> QuerySet[Region]:
    """The tenant's area, its own areas (Stadtteile) and the neighbouring Kreise, not all of Germany."""
    from bildungskette.regions.selectors import tenant_kreis_codes, tenant_neighbour_kreis_codes

    codes = tenant_kreis_codes(tenant) | tenant_neighbour_kreis_codes(tenant)
    return (Region.objects.filter(Q(code__in=codes) | Q(tenant=tenant))
            .defer("boundary").order_by("name"))


def kreis_with_boundary(code: str) -> Region | None:
    return Region.objects.filter(code=code, kind=RegionKind.KREIS).only("name", "boundary").first()


def picker_boundary(tenant, place: LearningPlace | None = None):
    """The position picker's background: the place's Kreis, else the tenant's first Kreis (GeoJSON geometry)."""
    from bildungskette.regions.selectors import tenant_kreis_codes

    codes = [place.kreis_code] if place is not None and place.kreis_code else sorted(
        c for c in tenant_kreis_codes(tenant) if len(c) == 5) if tenant else []
    kreis = kreis_with_boundary(codes[0]) if codes else None
    return kreis.boundary if kreis is not None else None


def verification_due_date() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=VERIFY_EVERY_DAYS)


def provider_organisation_ids(user, tenant) -> set[int]:
    return user_organisation_ids(user, tenant, role=Role.PARTNER) | user_organisation_ids(
        user, tenant, role=Role.TRANSITION_MANAGER)


def _created_by(user, tenant, model_label: str) -> list[int]:
    """Ids of the entries ``user`` created in ``tenant`` (from the audit log: the model stores no author)."""
    from bildungskette.core.models import AuditEntry

    ids = AuditEntry.objects.filter(tenant=tenant, actor=user, action=AuditEntry.Action.CREATE,
                                    model_label=model_label).values_list("object_id", flat=True)
    return [int(i) for i in ids if i.isdigit()]


def provider_entries(user, tenant) -> dict:
    """What the user maintains (for their organisations) or created themselves."""
    org_ids = provider_organisation_ids(user, tenant)
    mine_places = Q(operator_id__in=org_ids) | Q(tenant=tenant,
                                                 pk__in=_created_by(user, tenant, "places.LearningPlace"))
    mine_offers = Q(provider_id__in=org_ids) | Q(tenant=tenant, pk__in=_created_by(user, tenant, "places.Offer"))
    places = (LearningPlace.objects.filter(mine_places).exclude(status=PublicationStatus.WITHDRAWN)
              .select_related("category").order_by("name"))
    offers = (Offer.objects.filter(mine_offers).exclude(status=PublicationStatus.WITHDRAWN)
              .select_related("place").order_by("title"))
    return {"places": places, "offers": offers, "due": verification_due_date()}


def entries_due_for_verification(*, remind_again_after_days: int = 30):
    """Published places and offers not confirmed for a year and not reminded recently."""
    due = verification_due_date()
    recent = timezone.now() - datetime.timedelta(days=remind_again_after_days)
    stale = Q(last_verified__lt=due) | Q(last_verified__isnull=True)
    not_reminded = Q(verification_reminded_at__isnull=True) | Q(verification_reminded_at__lte=recent)
    places = LearningPlace.objects.filter(stale, not_reminded, status=PublicationStatus.PUBLISHED,
                                          operator__isnull=False)
    offers = Offer.objects.filter(stale, not_reminded, status=PublicationStatus.PUBLISHED, provider__isnull=False)
    return places, offers


def review_queue(tenant) -> dict:
    proposals = (ChangeProposal.objects.filter(tenant=tenant, status=ChangeProposal.Status.OPEN)
                 .select_related("place", "offer", "submitted_by").order_by("submitted_at"))
    pending_places = (LearningPlace.objects.filter(tenant=tenant, status=PublicationStatus.PENDING)
                      .select_related("category", "operator").order_by("created_at"))
    pending_offers = (Offer.objects.filter(tenant=tenant, status=PublicationStatus.PENDING)
                      .select_related("place", "provider").order_by("created_at"))
    return {"proposals": proposals, "pending_places": pending_places, "pending_offers": pending_offers}


def review_queue_count(tenant) -> int:
    return (ChangeProposal.objects.filter(tenant=tenant, status=ChangeProposal.Status.OPEN).count()
            + LearningPlace.objects.filter(tenant=tenant, status=PublicationStatus.PENDING).count()
            + Offer.objects.filter(tenant=tenant, status=PublicationStatus.PENDING).count())


def proposal_diff(proposal: ChangeProposal) -> list[dict]:
    """Field label, current value, proposed value – for the reviewer."""
    entry = proposal.target
    rows = []
    for name, new in proposal.changes.items():
        field = entry._meta.get_field(name)
        if field.many_to_many:
            old = ", ".join(str(o) for o in getattr(entry, name).all())
            new = ", ".join(str(o) for o in field.related_model.objects.filter(pk__in=new or []))
        elif field.is_relation:
            old = str(getattr(entry, name) or "–")
            new = str(field.related_model.objects.filter(pk=new).first() or "–") if new else "–"
        else:
            old = getattr(entry, name)
            if field.choices:
                old = dict(field.choices).get(old, old)
                new = dict(field.choices).get(new, new)
        rows.append({"label": field.verbose_name, "old": "–" if old in (None, "") else old,
                     "new": "–" if new in (None, "") else new})
    return rows


# ---------------------------------------------------------------------------------------------
# The start page: search and "in meiner Nähe"


def _tenant_area_code(tenant) -> str:
    from bildungskette.regions.selectors import tenant_regions

    regions = tenant_regions(tenant) if tenant is not None else []
    return regions[0].code if regions else ""


def places_search(query: str, tenant, limit: int):
    """Published places by name, street, town or postcode; on a tenant's page within its area."""
    from django.urls import reverse

    from bildungskette.core.search import SearchGroup, SearchHit

    place_filter = PlaceFilter(q=query, gebiet=_tenant_area_code(tenant))
    qs = place_list(place_filter)
    hits = [SearchHit(p.name, reverse("places:detail", args=[p.pk]),
                      " · ".join(x for x in (p.category.name, p.city) if x)) for p in qs[:limit]]
    return SearchGroup("", "", hits=hits, total=qs.count(),
                       more_url=reverse("places:list") + "?" + place_filter.as_query())


def offers_search(query: str, tenant, limit: int):
    from django.urls import reverse

    from bildungskette.core.search import SearchGroup, SearchHit

    place_filter = PlaceFilter(q=query, gebiet=_tenant_area_code(tenant))
    qs = offer_list(place_filter)
    hits = [SearchHit(o.title, reverse("places:offer", args=[o.pk]),
                      (o.place.name if o.place else (o.provider.name if o.provider else ""))) for o in qs[:limit]]
    return SearchGroup("", "", hits=hits, total=qs.count(),
                       more_url=reverse("places:offers") + "?" + place_filter.as_query())


EARTH_RADIUS_KM = 6371.0088
NEAR_RADIUS_KM = 30


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def places_near(lat: float, lon: float, *, radius_km: float = NEAR_RADIUS_KM,
                place_filter: PlaceFilter | None = None) -> list[tuple[LearningPlace, float]]:
    """Published places within ``radius_km`` of a point, nearest first, with their distance in km.
    The database narrows to a box around the point; the exact distance is computed here."""
    import math

    dlat = radius_km / 111.2
    dlon = radius_km / (111.2 * max(math.cos(math.radians(lat)), 0.01))
    qs = places_public(place_filter).filter(
        latitude__gte=lat - dlat, latitude__lte=lat + dlat, longitude__gte=lon - dlon, longitude__lte=lon + dlon,
    ).select_related("category")
    near = [(p, distance_km(lat, lon, p.latitude, p.longitude)) for p in qs]
    return sorted((item for item in near if item[1] <= radius_km), key=lambda item: (item[1], item[0].name))
