"""Reads: the Passung matrix of an occupation group in a region, and where to recruit."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from bildungskette.monitoring.importers.kldb import kldb_titles
from bildungskette.monitoring.sources.selectors import agencies_for, agency_kreise
from bildungskette.regions.models import Region, RegionKind
from bildungskette.regions.selectors import tenant_regions

from . import indicators
from .indicators import Result, Thresholds
from .models import COUNT_FIELDS, OccupationGroup, PassungFigure

MEASURES = [  # short column heads; the hint under the matrix spells them out
    ("bewerber", "Bewerber"),
    ("stellen", "Stellen"),
    ("unbesetzt", "unbesetzt"),
    ("unversorgt", "unversorgt"),
    ("alternative", "mit Alter­native"),
    ("auba", "AubA %"),
    ("versorgung", "Versorgung %"),
    ("ip", "Index"),
    ("frauen", "Frauen %"),
]


def thresholds() -> Thresholds:
    """Thresholds from settings ``PASSUNG_THRESHOLDS = {"auba": 10, "versorgung": 12}`` (documented)."""
    conf = getattr(settings, "PASSUNG_THRESHOLDS", None) or {}
    default = Thresholds()
    return Thresholds(
        auba=Decimal(str(conf.get("auba", default.auba))),
        versorgung=Decimal(str(conf.get("versorgung", default.versorgung))),
    )


def groups_for(tenant) -> list[OccupationGroup]:
    return list(OccupationGroup.objects.filter(tenant=tenant))


def home_regions(tenant) -> tuple[Region | None, Region | None]:
    """(Kreis or group, its Agenturbezirk) of the tenant's primary area."""
    regions = tenant_regions(tenant)
    if not regions:
        return None, None
    home = regions[0]
    agencies = agencies_for(home)
    return home, (agencies[0] if agencies else None)


def latest_year(region: Region | None) -> int | None:
    if region is None:
        return None
    return PassungFigure.objects.filter(region=region).order_by("-year").values_list("year", flat=True).first()


def _sum_counts(figures: list[PassungFigure]) -> dict:
    """Sum counts over occupations; a secret or missing part makes the sum secret/missing too."""
    total: dict = {}
    for f in COUNT_FIELDS + ["bewerber_weiblich"]:
        values = [fig.counts().get(f) if f != "bewerber_weiblich" else fig.bewerber_weiblich for fig in figures]
        if any(v == indicators.SECRET for v in values):
            total[f] = indicators.SECRET
        elif not values or any(v is None for v in values):
            total[f] = None
        else:
            total[f] = sum(values)
    return total


@dataclass
class MatrixRow:
    kldb: str
    title: str
    counts: dict
    auba: Result
    versorgung: Result
    ip: Result
    frauen: Result
    kind: str
    reason: str
    synthetic: bool = False

    def sort_value(self, key: str):
        if key in ("auba", "versorgung", "ip", "frauen"):
            r = getattr(self, key)
            return r.value if r.ok else Decimal(-1)
        if key == "beruf":
            return self.title
        v = self.counts.get(key)
        return v if isinstance(v, int) else -1


def _women(counts: dict) -> Result:
    w, b = counts.get("bewerber_weiblich"), counts.get("bewerber")
    if w is None or b is None:
        return Result(None, "Bewerber*innen nach Geschlecht liegen nicht vor")
    if indicators.SECRET in (w, b):
        return Result(None, "geheim gehalten (weniger als 3 Fälle)")
    if b == 0:
        return Result(None, "keine Bewerber*innen")
    return Result((Decimal(w) * 100 / Decimal(b)).quantize(Decimal("0.1")))


def _row(kldb: str, title: str, counts: dict, synthetic: bool, t: Thresholds) -> MatrixRow:
    kind, reason = indicators.classify(counts, t)
    return MatrixRow(
        kldb=kldb, title=title, counts=counts, auba=indicators.auba(counts),
        versorgung=indicators.versorgungsprobleme(counts), ip=indicators.index_passungsprobleme(counts),
        frauen=_women(counts), kind=kind, reason=reason, synthetic=synthetic,
    )


@dataclass
class Matrix:
    region: Region
    year: int | None
    rows: list[MatrixRow]
    total: MatrixRow | None
    thresholds: Thresholds
    sources: list[str] = field(default_factory=list)
    synthetic: bool = False


def passung_matrix(*, codes: list[str], region: Region, year: int | None = None, sort: str = "") -> Matrix:
    """One row per KldB code of the group in the region (and a total row), with the BIBB indicators."""
    t = thresholds()
    year = year or latest_year(region)
    titles = kldb_titles()
    figures = {
        f.kldb: f for f in PassungFigure.objects.filter(region=region, year=year, kldb__in=codes)
    }
    rows = []
    for code in codes:
        fig = figures.get(code)
        counts = _sum_counts([fig]) if fig else dict.fromkeys(COUNT_FIELDS)
        rows.append(_row(code, titles.get(code, code), counts, bool(fig and fig.is_synthetic), t))
    found = list(figures.values())
    total = _row("", "Summe der Gruppe", _sum_counts(found), any(f.is_synthetic for f in found), t) if found else None
    if sort:
        key, reverse = sort.lstrip("-"), sort.startswith("-")
        if key in {m for m, _ in MEASURES} | {"beruf"}:
            rows.sort(key=lambda r: r.sort_value(key), reverse=reverse)
    sources = sorted({f.source for f in found})
    return Matrix(region, year, rows, total, t, sources, any(f.is_synthetic for f in found))


def region_centre(region: Region) -> tuple[float, float] | None:
    """Centre of a region; for an Agenturbezirk the mean of its Kreise's centres."""
    if region.centre_lat is not None and region.centre_lon is not None:
        return region.centre_lat, region.centre_lon
    if region.kind == RegionKind.AGENTURBEZIRK:
        points = [(k.centre_lat, k.centre_lon) for k in agency_kreise(region) if k.centre_lat is not None]
        if points:
            return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    return None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (straight-line) distance in km (haversine, earth radius 6371 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@dataclass
class Target:
    region: Region
    unversorgt: int | None
    suchend: int | None
    versorgung: Result
    distance: float | None
    rank: int = 0
    score: int = 0
    synthetic: bool = False


def recruit_targets(*, codes: list[str], home: Region, year: int | None = None) -> list[Target]:
    """Regions of the same kind as ``home`` where applicants for the group lack places, ranked.

    Ranking: the sum of three ranks – by unplaced applicants (more first), by Versorgungsprobleme
    (higher first) and by distance from home (nearer first); ties by name. Only regions with
    still-searching applicants in the group are listed."""
    year = year or latest_year(home)
    figures: dict[int, list[PassungFigure]] = {}
    for f in PassungFigure.objects.filter(year=year, kldb__in=codes, region__kind=home.kind).exclude(region=home):
        figures.setdefault(f.region_id, []).append(f)
    regions = {r.pk: r for r in Region.objects.filter(pk__in=figures).defer("boundary")}
    here = region_centre(home)
    targets = []
    for rid, figs in figures.items():
        counts = _sum_counts(figs)
        unv, alt = counts.get("unversorgt"), counts.get("alternative")
        suchend = unv + alt if isinstance(unv, int) and isinstance(alt, int) else None
        if not suchend:
            continue
        centre = region_centre(regions[rid])
        dist = distance_km(here, centre) if here and centre else None
        targets.append(Target(regions[rid], unv if isinstance(unv, int) else None, suchend,
                              indicators.versorgungsprobleme(counts), dist,
                              synthetic=any(f.is_synthetic for f in figs)))

    def ranks(key, reverse):
        ordered = sorted(targets, key=lambda t: (key(t), t.region.name), reverse=False)
        if reverse:
            ordered = sorted(targets, key=lambda t: (-key(t), t.region.name))
        return {id(t): i for i, t in enumerate(ordered, start=1)}

    by_unv = ranks(lambda t: t.unversorgt or 0, True)
    by_v = ranks(lambda t: t.versorgung.value if t.versorgung.ok else Decimal(-1), True)
    by_d = ranks(lambda t: t.distance if t.distance is not None else 1e9, False)
    for t in targets:
        t.score = by_unv[id(t)] + by_v[id(t)] + by_d[id(t)]
    targets.sort(key=lambda t: (t.score, t.region.name))
    for i, t in enumerate(targets, start=1):
        t.rank = i
    return targets


# ---------------------------------------------------------------------------------------------
# Training places reported by companies: live, not official


def training_places_current(tenant):
    """Published training places of the tenant's companies (not withdrawn, start date not passed)."""
    from django.utils import timezone

    from .models import TrainingPlace

    return (TrainingPlace.objects.filter(tenant=tenant, withdrawn_at__isnull=True,
                                         starts_on__gte=timezone.localdate())
            .select_related("organisation", "site").order_by("starts_on", "kldb", "id"))


def training_places_of_company(contact):
    from .models import TrainingPlace

    return (TrainingPlace.objects.filter(tenant=contact.tenant, organisation=contact.organisation)
            .select_related("site").order_by("withdrawn_at", "starts_on", "id"))


@dataclass
class LiveRow:
    kldb: str
    title: str
    places: int
    entries: int
    companies: int
    housing: int


def live_counts(tenant, codes: list[str] | None = None) -> list[LiveRow]:
    """Places reported by companies per occupation. With ``codes`` (a group's KldB codes), a reported
    code counts towards the group code it begins with; codes of no group are left out."""
    titles = kldb_titles()
    rows: dict[str, dict] = {}
    for p in training_places_current(tenant):
        key = p.kldb
        if codes is not None:
            key = next((c for c in codes if p.kldb.startswith(c)), None)
            if key is None:
                continue
        row = rows.setdefault(key, {"places": 0, "entries": 0, "companies": set(), "housing": 0})
        row["places"] += p.places
        row["entries"] += 1
        row["companies"].add(p.organisation_id)
        row["housing"] += p.places if p.housing_help else 0
    return [LiveRow(k, titles.get(k, k), r["places"], r["entries"], len(r["companies"]), r["housing"])
            for k, r in sorted(rows.items(), key=lambda kv: (-kv[1]["places"], kv[0]))]


# ---------------------------------------------------------------------------------------------
# Tours and the outcomes of matching events


def tours_for(tenant):
    """The tenant's tours with stops and free places (registration runs through the tour's Event)."""
    from django.db.models import Count, Prefetch, Q

    from bildungskette.transitions.models import BookingStatus

    from .models import Tour, TourStop

    return (Tour.objects.filter(tenant=tenant).select_related("event", "event__organisation")
            .annotate(taken=Count("event__bookings", filter=Q(event__bookings__status__in=[
                BookingStatus.REQUESTED, BookingStatus.CONFIRMED])))
            .prefetch_related(Prefetch("stops", queryset=TourStop.objects.select_related("organisation")))
            .order_by("series", "event__starts_at", "event__title"))


@dataclass
class Encounter:
    """One matching event: which pupil met which company, from when."""

    title: str
    kind: str
    on: object  # date
    pairs: set[tuple[int, int]]  # (student id, organisation id)
    companies: int
    synthetic: bool = False


def encounters_for(tenant) -> list[Encounter]:
    """Messe talks (allocated pupils with a student record × companies with an organisation) and tour
    visits (pupils marked as attended × every company stop of the tour)."""
    from django.utils import timezone

    from .models import Messe, MesseAssignment

    out = []
    for messe in Messe.objects.filter(tenant=tenant).select_related("event").order_by("title"):
        pairs = set(MesseAssignment.objects.filter(messe=messe, pupil__student__isnull=False,
                                                   company__organisation__isnull=False)
                    .values_list("pupil__student_id", "company__organisation_id"))
        when = messe.event.starts_at if messe.event else messe.allocated_at
        if when is None:
            continue
        companies = messe.companies.count()
        out.append(Encounter(messe.title, "Messe", timezone.localtime(when).date(), pairs, companies,
                             messe.is_synthetic))
    for tour in tours_for(tenant):
        orgs = {s.organisation_id for s in tour.stops.all() if s.organisation_id}
        students = set(tour.event.bookings.filter(attended=True).values_list("student_id", flat=True))
        out.append(Encounter(tour.event.title, "Tour",
                             timezone.localtime(tour.event.starts_at).date(),
                             {(s, o) for s in students for o in orgs}, len(orgs), tour.is_synthetic))
    return out


@dataclass
class OutcomeRow:
    title: str
    kind: str
    on: object
    companies: int
    pupils: int | None
    internship: int | None
    contract: int | None
    synthetic: bool = False


@dataclass
class Outcomes:
    rows: list[OutcomeRow]
    note: str


def event_outcomes(tenant, encounters: list[Encounter] | None = None) -> Outcomes:
    """Per matching event: companies, pupils who met one, and how many of them later did a Praktikum
    (activity "Betriebspraktikum") or signed a training contract (actual next step in iABE sector I)
    with one of the companies they met. Counts of pupils pass the tenant's disclosure rule."""
    from bildungskette.transitions.disclosure import table_disclose
    from bildungskette.transitions.models import Activity, ActivityKind, Destination, DestinationKind, IabeSector
    from bildungskette.transitions.services import policy_for

    encounters = encounters_for(tenant) if encounters is None else encounters
    cells, meta = [], []
    for enc in encounters:
        students = {s for s, _ in enc.pairs}
        met = enc.pairs
        intern = {(s, o) for s, o in Activity.objects.filter(
            tenant=tenant, student_id__in=students, kind=ActivityKind.INTERNSHIP, on_date__gte=enc.on,
            provider__isnull=False).values_list("student_id", "provider_id")}
        contract = {(s, o) for s, o in Destination.objects.filter(
            tenant=tenant, student_id__in=students, kind=DestinationKind.ACTUAL, on_date__gte=enc.on,
            option__iabe_sector=IabeSector.I, provider__isnull=False).values_list("student_id", "provider_id")}
        cells.append([len(students), len({s for s, o in intern & met}), len({s for s, o in contract & met})])
        meta.append(enc)
    policy = policy_for(tenant)
    table = table_disclose(cells, method=policy.disclosure_method, min_cell=policy.min_cell)
    rows = [OutcomeRow(enc.title, enc.kind, enc.on, enc.companies, *table.cells[i], synthetic=enc.synthetic)
            for i, enc in enumerate(meta)]
    return Outcomes(rows, table.note)
