"""Passung pages: the matrix of an occupation group, where to recruit (list, map, CSV), Messe allocation,
training places reported by companies (company pages and the live view), tours, trends and outcomes."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bildungskette.monitoring.documents import table_csv
from bildungskette.monitoring.importers.kldb import kldb_titles
from bildungskette.places.selectors import picker_boundary
from bildungskette.regions.maps import MapPoint, MapShape, svg_map_data
from bildungskette.regions.models import Region

from . import figures, selectors, services
from .forms import TourForm, TrainingPlaceForm, kldb_choices, tour_initial, training_place_initial
from .models import Messe, OccupationGroup, PassungFigure, Tour, TrainingPlace
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


# ---------------------------------------------------------------------------------------------
# Training places: companies report them through their e-mail link; schools and staff read them


def _company(request):
    from bildungskette.transitions.selectors import company_contact_for_session

    contact = company_contact_for_session(request)
    if contact is None:
        raise PermissionDenied
    return contact


def _company_actor(contact):
    """Changes a company makes are logged under its name (as in the company portal of Übergänge)."""
    from bildungskette.core.audit import audit_actor

    return audit_actor(None, _("%(org)s (Anmeldung per Link)") % {"org": contact.organisation})


def _own_place(request, pk):
    contact = _company(request)
    place = get_object_or_404(TrainingPlace.objects.select_related("site", "offer"), pk=pk)
    if not rules.test_rule("passung.company_change_trainingplace", contact, place):
        raise PermissionDenied
    return contact, place


@never_cache
def company_places(request):
    from bildungskette.transitions.selectors import company_contact_for_session

    contact = company_contact_for_session(request)
    if contact is None:
        return redirect("transitions:company_login")
    page = Paginator(selectors.training_places_of_company(contact), 25).get_page(request.GET.get("page"))
    return render(request, "passung/company_places.html", {"contact": contact, "page": page,
                                                           "today": timezone.localdate()})


def _place_form_page(request, contact, form, place=None):
    return render(request, "passung/company_place_form.html", {
        "contact": contact, "form": form, "place": place, "kldb": kldb_choices(),
        "picker_boundary": picker_boundary(contact.tenant, place.site if place else None),
    })


def _save_place(request, contact, form, place=None):
    data = form.cleaned_data
    try:
        with _company_actor(contact):
            place, gemeinde = services.training_place_save(
                contact=contact, kldb=data["occupation"], title=data["title"], starts_on=data["starts_on"],
                places=data["places"], housing_help=data["housing_help"], street=data["street"],
                postcode=data["postcode"], city=data["city"], latitude=data["latitude"],
                longitude=data["longitude"], place=place)
    except services.TrainingPlaceInvalid as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, _("Veröffentlicht: Der Ausbildungsplatz steht jetzt auf der Lernortkarte."))
    if gemeinde is not None:
        messages.info(request, _("Die Position ist vorläufig der Mittelpunkt von %(g)s. Bitte setzen Sie den "
                                 "Ausbildungsort jetzt genau auf der Karte.") % {"g": gemeinde.name})
        return redirect(reverse("passung:company_place", args=[place.pk]) + "#ort-auf-karte")
    return redirect("passung:company_places")


@never_cache
def company_place_new(request):
    contact = _company(request)
    form = TrainingPlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _save_place(request, contact, form)
        if response is not None:
            return response
    return _place_form_page(request, contact, form)


@never_cache
def company_place_edit(request, pk):
    contact, place = _own_place(request, pk)
    form = TrainingPlaceForm(request.POST or None, initial=training_place_initial(place), version_of=place)
    if request.method == "POST" and form.is_valid():
        response = _save_place(request, contact, form, place)
        if response is not None:
            return response
    return _place_form_page(request, contact, form, place)


@require_POST
def company_place_withdraw(request, pk):
    contact, place = _own_place(request, pk)
    with _company_actor(contact):
        services.training_place_withdraw(contact=contact, place=place)
    messages.success(request, _("Zurückgezogen: Der Ausbildungsplatz ist nicht mehr auf der Lernortkarte."))
    return redirect("passung:company_places")


@login_required
def training_places(request):
    """For the tenant's staff and the schools: the places companies report now (live, not official)."""
    tenant = _tenant(request, "passung.view_trainingplaces")
    page = Paginator(selectors.training_places_current(tenant), 25).get_page(request.GET.get("page"))
    titles = kldb_titles()
    for p in page.object_list:
        p.occupation = titles.get(p.kldb, p.kldb)
    return render(request, "passung/training_places.html", {
        "page": page, "can_see_passung": request.user.has_perm("passung.view", tenant)})


@login_required
def live(request):
    """The "live, not official" view: company reports by occupation, kept apart from the BIBB figures."""
    tenant = _tenant(request)
    group = _group(request, tenant)
    rows = selectors.live_counts(tenant, group.kldb_codes if group and request.GET.get("alle") != "1" else None)
    return render(request, "passung/live.html", {
        "groups": selectors.groups_for(tenant), "group": group, "rows": rows, "today": timezone.localdate(),
        "all_codes": request.GET.get("alle") == "1",
        "total": sum(r.places for r in rows),
    })


# ---------------------------------------------------------------------------------------------
# Trends, women's share, choropleth per occupation group


def _trend_context(request, tenant) -> dict:
    group = _group(request, tenant)
    home, agency = selectors.home_regions(tenant)
    region = _level(request, tenant)
    context = {"groups": selectors.groups_for(tenant), "group": group, "region": region, "home": home,
               "agency": agency, "points": [], "women": [], "map": None, "measures": figures.MAP_MEASURES}
    if group is None or region is None:
        return context
    points = figures.passung_trend(codes=group.kldb_codes, region=region)
    year = selectors.latest_year(region)
    women = figures.women_by_occupation(codes=group.kldb_codes, region=region, year=year)
    measure = request.GET.get("kennzahl", "versorgung")
    map_home = agency or home
    group_map = figures.group_choropleth(codes=group.kldb_codes, home=map_home, measure=measure,
                                         year=selectors.latest_year(map_home))
    sources = sorted({f.source for f in PassungFigure.objects.filter(region=region, kldb__in=group.kldb_codes)
                      .only("source")})
    context.update({
        "points": points, "women": women, "year": year, "map": group_map, "measure": group_map.measure,
        "sources": sources, "synthetic": any(p.synthetic for p in points) or group_map.synthetic,
        "women_title": _("Frauenanteil je Beruf, %(r)s %(y)s") % {"r": region.name, "y": year},
        "level": "kreis" if region == home and home != agency else "agentur",
    })
    return context


@login_required
def trends(request):
    from bildungskette.core.charts import chart_svg

    tenant = _tenant(request)
    context = _trend_context(request, tenant)
    if context["points"]:
        context["trend_svg"] = chart_svg(
            figures.trend_chart_spec(context["points"], region_name=context["region"].name),
            description=_("AubA und Versorgungsprobleme der Berufsgruppe je Berichtsjahr; die Tabelle darunter "
                          "enthält alle Werte."))
    if any(r.share.ok for r in context["women"]):
        context["women_svg"] = chart_svg(
            figures.women_chart_spec(context["women"], title=context["women_title"]),
            description=_("Balken je Beruf: Anteil der Frauen unter den Bewerber*innen; die Tabelle darunter "
                          "enthält alle Werte."))
    return render(request, "passung/trends.html", context)


@login_required
def trends_pdf(request):
    from .documents import trend_pdf

    tenant = _tenant(request)
    c = _trend_context(request, tenant)
    if c["group"] is None or c["region"] is None:
        raise Http404
    body = trend_pdf(group=c["group"], region=c["region"], points=c["points"], women=c["women"],
                     women_title=c["women_title"], sources=c["sources"], synthetic=c["synthetic"])
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="passung-entwicklung.pdf"'
    return response


# ---------------------------------------------------------------------------------------------
# Tours and outcomes of matching events


@login_required
def tours(request):
    """Tours of the tenant (staff and schools): route, departure points, free places; schools register
    their pupils on the tour's event page (booking with capacity and waiting list)."""
    tenant = _tenant(request, "passung.view_trainingplaces")
    page = Paginator(selectors.tours_for(tenant), 20).get_page(request.GET.get("page"))
    for tour in page.object_list:
        tour.free = max(tour.event.capacity - tour.taken, 0)
    return render(request, "passung/tours.html", {
        "page": page, "can_see_passung": request.user.has_perm("passung.view", tenant),
        "can_steer": request.user.has_perm("passung.change", tenant)})


@login_required
def outcomes(request):
    tenant = _tenant(request)
    return render(request, "passung/outcomes.html", {"outcomes": selectors.event_outcomes(tenant)})


def _tour_form_page(request, form, tour=None):
    return render(request, "passung/tour_form.html", {"form": form, "tour": tour})


def _tour_save(request, tenant, form, tour=None):
    data = form.cleaned_data
    fields = {"organiser": data["organiser"], "series": data["series"].strip(), "title": data["title"].strip(),
              "starts_at": data["starts_at"], "ends_at": data["ends_at"], "capacity": data["capacity"],
              "stops": form.stops()}
    try:
        if tour is None:
            tour = services.tour_create(tenant=tenant, **fields)
        else:
            tour = services.tour_update(tour=tour, **fields)
    except (services.TourInvalid, ValidationError) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            form.add_error(None, message)
        return None
    messages.success(request, _("Tour „%(t)s“ gespeichert.") % {"t": tour.event.title})
    return redirect(reverse("passung:tours") + f"#tour-{tour.pk}")


@never_cache
@login_required
def tour_new(request):
    tenant = _tenant(request, "passung.change")
    form = TourForm(request.POST or None, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        response = _tour_save(request, tenant, form)
        if response is not None:
            return response
    return _tour_form_page(request, form)


@never_cache
@login_required
def tour_edit(request, pk):
    tenant = _tenant(request, "passung.change")
    tour = get_object_or_404(Tour.objects.select_related("event"), pk=pk, tenant=tenant)
    form = TourForm(request.POST or None, tenant=tenant, initial=tour_initial(tour), version_of=tour)
    if request.method == "POST" and form.is_valid():
        response = _tour_save(request, tenant, form, tour)
        if response is not None:
            return response
    return _tour_form_page(request, form, tour)
