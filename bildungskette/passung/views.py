"""Passung pages: the matrix of an occupation group, where to recruit (list, map, CSV), Messe allocation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bildungskette.monitoring.documents import table_csv
from bildungskette.regions.maps import MapPoint, MapShape, svg_map_data
from bildungskette.regions.models import Region

from . import selectors, services
from .models import Messe, OccupationGroup
from .selectors import MEASURES


def _tenant(request, perm: str = "passung.view"):
    if not request.user.is_authenticated or request.tenant is None:
        raise PermissionDenied
    if not request.user.has_perm(perm, request.tenant):
        raise PermissionDenied
    return request.tenant


def _group(request, tenant) -> OccupationGroup | None:
    groups = selectors.groups_for(tenant)
    wanted = request.GET.get("gruppe", "")
    for g in groups:
        if str(g.pk) == wanted:
            return g
    return groups[0] if groups else None


def _level(request, tenant) -> Region | None:
    home, agency = selectors.home_regions(tenant)
    if request.GET.get("ebene") == "kreis" and home is not None:
        return home
    return agency or home


@login_required
def index(request):
    tenant = _tenant(request)
    group = _group(request, tenant)
    region = _level(request, tenant)
    home, agency = selectors.home_regions(tenant)
    sort = request.GET.get("sortierung", "-unbesetzt")
    matrix = selectors.passung_matrix(codes=group.kldb_codes, region=region, sort=sort) if group and region else None
    return render(request, "passung/index.html", {
        "groups": selectors.groups_for(tenant), "group": group, "matrix": matrix, "region": region,
        "home": home, "agency": agency, "measures": MEASURES, "sort": sort,
        "level": "kreis" if region is not None and region == home and home != agency else "agentur",
        "can_steer": request.user.has_perm("passung.change", tenant),
    })


@login_required
@require_POST
def group_save(request):
    tenant = _tenant(request, "passung.change")
    group = None
    if request.POST.get("gruppe"):
        group = get_object_or_404(OccupationGroup, pk=request.POST["gruppe"], tenant=tenant)
    try:
        group = services.occupation_group_save(
            tenant=tenant, name=request.POST.get("name", ""), group=group,
            codes=request.POST.get("kldb", "").replace(";", ",").replace(" ", ",").split(","),
        )
    except services.GroupInvalid as exc:
        messages.error(request, str(exc))
        return redirect("passung:index")
    messages.success(request, _("Berufsgruppe „%(name)s“ gespeichert.") % {"name": group.name})
    return redirect(f"{reverse('passung:index')}?gruppe={group.pk}")


def _recruit(request):
    tenant = _tenant(request)
    group = _group(request, tenant)
    home, agency = selectors.home_regions(tenant)
    region = agency or home
    if group is None or region is None:
        return tenant, group, region, None, []
    matrix = selectors.passung_matrix(codes=group.kldb_codes, region=region)
    unfilled = matrix.total.counts.get("unbesetzt") if matrix.total else None
    targets = selectors.recruit_targets(codes=group.kldb_codes, home=region) if unfilled else []
    return tenant, group, region, matrix, targets


def _source_lines(matrix, targets) -> list[str]:
    lines = list(matrix.sources) if matrix else []
    if any(t.synthetic for t in targets) or (matrix and matrix.synthetic):
        lines.insert(0, "SYNTHETISCHE DEMODATEN – keine amtlichen Zahlen")
    lines.append("Entfernung: Luftlinie zwischen den Mittelpunkten der Kreise (Agenturbezirk: Mittel seiner Kreise)")
    return lines


@login_required
def recruit(request):
    tenant, group, region, matrix, targets = _recruit(request)
    svg = None
    if region is not None and targets:
        shapes = []
        top = {t.region.pk: t for t in targets[:5]}
        from bildungskette.monitoring.sources.selectors import agency_kreise

        for t in targets:
            for k in agency_kreise(t.region) if t.region.kind == "agenturbezirk" else [t.region]:
                if k.boundary:
                    css = "area area--target" if t.region.pk in top else "area area--other"
                    shapes.append(MapShape(k.boundary, f"{t.rank}. {t.region.name}", css))
        home_kreise = agency_kreise(region) if region.kind == "agenturbezirk" else [region]
        shapes += [MapShape(k.boundary, f"{region.name} (Heimatregion)", "area area--home")
                   for k in home_kreise if k.boundary]
        points = []
        for t in targets[:5]:
            centre = selectors.region_centre(t.region)
            if centre:
                points.append(MapPoint(centre[0], centre[1], str(t.rank), "point"))
        svg = svg_map_data(shapes, points, width=560)
    return render(request, "passung/recruit.html", {
        "groups": selectors.groups_for(tenant), "group": group, "region": region, "matrix": matrix,
        "targets": targets, "svg": svg, "sources": _source_lines(matrix, targets),
    })


@login_required
def recruit_csv(request):
    tenant, group, region, matrix, targets = _recruit(request)
    header = ["Rang", "Agenturbezirk", "unversorgte Bewerber*innen", "noch suchend (unversorgt + Alternative)",
              "Versorgungsprobleme (%)", "Entfernung (km, Luftlinie)"]
    rows = [[t.rank, t.region.name, t.unversorgt, t.suchend,
             t.versorgung.value if t.versorgung.ok else f"kein Wert – {t.versorgung.reason}",
             round(t.distance) if t.distance is not None else ""] for t in targets]
    lines = [f"Berufsgruppe: {group.name if group else '–'}; Heimatregion: {region.name if region else '–'}"]
    body = table_csv(header, rows, lines + _source_lines(matrix, targets))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="azubi-recruiting-zielregionen.csv"'
    return response


@never_cache
@login_required
def messe_detail(request, pk):
    tenant = _tenant(request)
    messe = get_object_or_404(Messe, pk=pk, tenant=tenant)
    companies = list(messe.companies.all())
    names = {c.pk: c.name for c in companies}
    assignments = {}
    for a in messe.assignments.select_related("pupil", "company"):
        assignments.setdefault(a.pupil.pseudonym, []).append(a)
    pupils = []
    unmet = (messe.summary or {}).get("unmet", {})
    for p in messe.pupils.all():
        pupils.append({"pseudonym": p.pseudonym, "wishes": [names.get(w, "?") for w in p.wishes],
                       "got": assignments.get(p.pseudonym, []), "unmet": unmet.get(p.pseudonym, [])})
    load = {c.pk: 0 for c in companies}
    for got in assignments.values():
        for a in got:
            load[a.company_id] += 1
    demand = {c.pk: 0 for c in companies}
    for p in messe.pupils.all():
        for w in p.wishes:
            if w in demand:
                demand[w] += 1
    rows = [{"company": c, "load": load[c.pk], "demand": demand[c.pk]} for c in companies]
    return render(request, "passung/messe.html", {
        "messe": messe, "companies": rows, "pupils": pupils, "summary": messe.summary or {},
        "capacity": sum(c.capacity for c in companies),
        "can_steer": request.user.has_perm("passung.change", tenant),
    })


@login_required
@require_POST
def messe_run(request, pk):
    tenant = _tenant(request, "passung.change")
    messe = get_object_or_404(Messe, pk=pk, tenant=tenant)
    plan = services.messe_allocate(messe=messe)
    messages.success(request, _("Zuteilung berechnet: %(s)d von %(w)d Wünschen erfüllt, %(t)d Gespräche.")
                     % {"s": plan.satisfied, "w": messe.summary["wishes"], "t": plan.total})
    return redirect("passung:messe", pk=messe.pk)


@login_required
def messe_index(request):
    tenant = _tenant(request)
    return render(request, "passung/messe_index.html", {"messen": Messe.objects.filter(tenant=tenant)})
