"""Lernortkarte pages: the public map, list, details and widget; providers' self-service;
coordination's review queue and file upload."""

from __future__ import annotations

import json
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST

from bildungskette.core.audit import audit_actor
from bildungskette.core.importing import ImportRejected, importer_for
from bildungskette.core.language import translated
from bildungskette.regions.maps import MapPoint, MapShape, svg_map_data

from .forms import ImportForm, OfferForm, PlaceForm, ReviewForm
from .models import ChangeProposal, LearningPlace, Offer, PublicationStatus
from .selectors import (
    BOUNDARY_ATTRIBUTION,
    NEAR_RADIUS_KM,
    PlaceFilter,
    attribution_lines,
    filter_choices,
    kreis_with_boundary,
    offer_detail,
    offer_list,
    offer_place_choices,
    offer_region_choices,
    offers_for_region,
    operator_choices,
    picker_boundary,
    place_detail,
    place_list,
    places_extent,
    places_near,
    places_public,
    proposal_diff,
    provider_entries,
    region_extent,
    regions_for_filter,
    review_queue,
    verification_due_date,
)
from .services import (
    entry_change,
    entry_confirm,
    entry_publish,
    entry_withdraw,
    offer_create,
    place_create,
    place_position_from_address,
    proposal_approve,
    proposal_reject,
)

PAGE_SIZE = 25


def _filter_context(request) -> dict:
    place_filter = PlaceFilter.from_query(request.GET)
    return {"filter": place_filter, "query": place_filter.as_query(), "regions": regions_for_filter(),
            "filter_region": place_filter.region(), **filter_choices()}


def _map_config(request, place_filter: PlaceFilter, qs, *, widget: bool = False) -> str:
    region = place_filter.region()
    extent = (region_extent(region) if region else None) or places_extent(qs) or [5.8, 47.2, 15.1, 55.1]
    return json.dumps({
        "api": reverse("places_api:map"),
        "boundaries": reverse("places_api:boundaries"),
        "list": reverse("places_api:places"),
        "detail": reverse("places:detail", args=[0]).replace("/0/", "/{id}/"),
        "query": place_filter.as_query(),
        "extent": extent,
        "region": place_filter.gebiet,
        "tiles": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "widget": widget,
        "labels": {
            "cluster": _("%(n)s Lernorte – hineinzoomen"),
            "inView": _("%(n)s Lernorte im Kartenausschnitt"),
            "more": _("Die ersten %(shown)s von %(n)s; die vollständige Liste zeigt alle."),
            "empty": _("Im Kartenausschnitt gibt es keine Lernorte zu diesem Filter."),
            "map": _("Karte der Lernorte"),
            "error": _("Die Karte konnte nicht geladen werden. Die Liste funktioniert weiterhin."),
        },
    })


def place_map(request):
    context = _filter_context(request)
    qs = places_public(context["filter"])
    context.update({
        "count": qs.count(),
        "map_config": _map_config(request, context["filter"], qs),
        "attribution": attribution_lines(qs),
    })
    return render(request, "places/map.html", context)


def place_index(request):
    context = _filter_context(request)
    qs = place_list(context["filter"])
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update({"page": page, "attribution": attribution_lines(places_public(context["filter"]))})
    return render(request, "places/list.html", context)


def offer_index(request):
    context = _filter_context(request)
    page = Paginator(offer_list(context["filter"]), PAGE_SIZE).get_page(request.GET.get("page"))
    context["page"] = page
    return render(request, "places/offers.html", context)


def _json_ld(data: dict) -> str:
    # "<", ">" and "&" escaped as in json_script, so no text can close the script element.
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


def _place_json_ld(request, place: LearningPlace) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": place.category.schema_type or "EducationalOrganization",
        "@id": request.build_absolute_uri(),
        "name": place.name,
        "url": place.website or request.build_absolute_uri(),
        "address": {"@type": "PostalAddress", "streetAddress": place.street, "postalCode": place.postcode,
                    "addressLocality": place.city, "addressCountry": "DE"},
    }
    if place.latitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": place.latitude, "longitude": place.longitude}
    if place.phone:
        data["telephone"] = place.phone
    if place.email:
        data["email"] = place.email
    if place.description:
        data["description"] = place.description
    if place.opening_hours:
        data["openingHours"] = place.opening_hours
    features = [(place.step_free, "stufenloser Zugang"), (place.accessible_toilet, "barrierefreies WC"),
                (place.induction_loop, "Induktionsschleife")]
    amenities = [{"@type": "LocationFeatureSpecification", "name": n, "value": v} for v, n in features
                 if v is not None]
    if amenities:
        data["amenityFeature"] = amenities
    if place.operator_id and place.operator and place.operator.name != place.name:
        data["parentOrganization"] = {"@type": "Organization", "name": place.operator.name}
    offers = list(place.offers.all())
    if offers:
        data["hasOfferCatalog"] = {"@type": "OfferCatalog", "name": _("Angebote"), "itemListElement": [
            {"@type": "Course", "name": o.title,
             "url": request.build_absolute_uri(reverse("places:offer", args=[o.pk]))} for o in offers]}
    return data


def _place_svg(place: LearningPlace):
    if place.latitude is None or not place.kreis_code:
        return None
    kreis = kreis_with_boundary(place.kreis_code)
    if kreis is None or not kreis.boundary:
        return None
    return svg_map_data([MapShape(kreis.boundary, kreis.name, "area")],
                        [MapPoint(place.latitude, place.longitude, place.name)], width=420)


def place_page(request, pk: int):
    place = place_detail(pk, include_unpublished=request.user.is_authenticated)
    if place is None or not request.user.has_perm("places.view_learningplace", place):
        raise Http404(_("Lernort nicht gefunden"))
    return render(request, "places/detail.html", {
        "place": place,
        "offers": list(place.offers.all()),
        "region_offers": list(offers_for_region(place)[:20]),
        "json_ld": _json_ld(_place_json_ld(request, place)),
        "svg": _place_svg(place),
        "boundary_attribution": BOUNDARY_ATTRIBUTION,
        "can_edit": request.user.has_perm("places.change_learningplace", place),
        "verification_due": place.last_verified is None or place.last_verified < verification_due_date(),
    })


def offer_page(request, pk: int):
    offer = offer_detail(pk)
    if offer is None:
        raise Http404(_("Angebot nicht gefunden"))
    data = {"@context": "https://schema.org", "@type": "Course", "name": offer.title,
            "description": offer.description or offer.title, "url": request.build_absolute_uri()}
    if offer.provider:
        data["provider"] = {"@type": "Organization", "name": offer.provider.name}
    if offer.place:
        data["location"] = {"@type": "Place", "name": offer.place.name, "address": offer.place.address}
    if offer.starts_on:
        data["startDate"] = offer.starts_on.isoformat()
    if offer.cost:
        data["offers"] = {"@type": "Offer", "description": offer.cost}
    return render(request, "places/offer_detail.html", {
        "offer": offer, "json_ld": _json_ld(data),
        "can_edit": request.user.has_perm("places.change_offer", offer),
    })


def widget_frame_ancestors(tenant=None) -> list[str]:
    """Origins allowed to frame the widget: the tenant's allowed websites (set by its administration,
    ``opendata.EmbedOrigin``) plus the operator-wide fallback ``settings.PLACES_WIDGET_ORIGINS``
    (from BILDUNGSKETTE_WIDGET_ORIGINS). Without a tenant only the fallback applies."""
    from django.apps import apps

    origins = []
    if tenant is not None and apps.is_installed("bildungskette.opendata"):
        # Looked up by name: opendata builds on places, not the other way round.
        embed_origin = apps.get_model("opendata", "EmbedOrigin")
        origins = list(embed_origin.objects.filter(tenant=tenant).values_list("origin", flat=True))
    origins += [o for o in settings.PLACES_WIDGET_ORIGINS if o not in origins]
    return ["'self'", *origins]


def _widget_tenant(slug: str | None):
    if slug is None:
        return None
    from bildungskette.core.models import Tenant

    return get_object_or_404(Tenant, slug=slug)


@xframe_options_exempt
def place_widget(request, slug: str | None = None):
    """A compact map and list for the municipal website, embedded as an iframe
    (``/lernorte/widget/<mandant>/`` may be framed by that tenant's allowed websites)."""
    tenant = _widget_tenant(slug)
    place_filter = PlaceFilter.from_query(request.GET)
    qs = places_public(place_filter)
    page = Paginator(place_list(place_filter), 10).get_page(request.GET.get("page"))
    response = render(request, "places/widget.html", {
        "filter": place_filter, "query": place_filter.as_query(), "count": page.paginator.count, "page": page,
        "map_config": _map_config(request, place_filter, qs, widget=True),
        "attribution": attribution_lines(qs), "filter_region": place_filter.region(),
    })
    # django-csp 4: replace frame-ancestors for this response only (as csp_replace would).
    response._csp_replace = {"frame-ancestors": widget_frame_ancestors(tenant)}
    return response


def widget_snippet(request):
    """The iframe code; signed in, it points at the tenant's widget, which the tenant's own allowed
    websites may frame."""
    context = _filter_context(request)
    tenant = request.tenant
    url = request.build_absolute_uri(reverse("places:widget_tenant", args=[tenant.slug]) if tenant
                                     else reverse("places:widget"))
    if context["query"]:
        url += "?" + context["query"]
    can_manage_origins = tenant is not None and request.user.has_perm("core.manage_users", tenant)
    context.update({"widget_url": url, "origins": widget_frame_ancestors(tenant)[1:], "tenant": tenant,
                    "can_manage_origins": can_manage_origins,
                    "snippet": f'<iframe src="{url}" title="{_("Lernortkarte")}" width="100%" height="640" '
                               f'style="border:0" loading="lazy"></iframe>'})
    return render(request, "places/embed.html", context)


# ---------------------------------------------------------------------------------------------
# Providers' self-service


def _tenant_or_403(request, perm: str):
    if request.tenant is None or not request.user.has_perm(perm, request.tenant):
        raise PermissionDenied
    return request.tenant


def _operator_choices(request):
    return operator_choices(request.user, request.tenant,
                            whole_tenant=request.user.has_perm("places.review_changeproposal", request.tenant))


@login_required
def provider_home(request):
    if request.tenant is None:
        raise PermissionDenied
    entries = provider_entries(request.user, request.tenant)
    return render(request, "places/mine.html", {
        **entries,
        "can_add": request.user.has_perm("places.add_learningplace", request.tenant),
        "can_review": request.user.has_perm("places.review_changeproposal", request.tenant),
        "open_proposals": ChangeProposal.objects.filter(submitted_by=request.user,
                                                        status=ChangeProposal.Status.OPEN)
        .select_related("place", "offer"),
    })


def _changed(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.changed_data}


def _picker_boundary(tenant, place: LearningPlace | None = None):
    return picker_boundary(tenant, place)


@login_required
def place_new(request):
    tenant = _tenant_or_403(request, "places.add_learningplace")
    form = PlaceForm(request.POST or None, operator_choices=_operator_choices(request))
    if request.method == "POST" and form.is_valid():
        fields, gemeinde = place_position_from_address(fields=form.cleaned_data, tenant=tenant)
        place = place_create(tenant=tenant, user=request.user, source=_("Eintrag von %(t)s") % {"t": tenant.name},
                             **fields)
        if place.status == PublicationStatus.PENDING:
            messages.success(request, _("Lernort gespeichert. Er erscheint nach der Prüfung durch die Koordination."))
        else:
            messages.success(request, _("Lernort veröffentlicht."))
        if gemeinde is not None:
            messages.info(request, _("Die Position ist vorläufig der Mittelpunkt von %(g)s. Bitte setzen Sie den "
                                     "Lernort jetzt genau auf der Karte.") % {"g": gemeinde.name})
            return redirect(reverse("places:edit", args=[place.pk]) + "#ort-auf-karte")
        if place.latitude is None:
            messages.warning(request, _("Der Lernort ist noch nicht auf der Karte. Bitte setzen Sie seine Position."))
            return redirect(reverse("places:edit", args=[place.pk]) + "#ort-auf-karte")
        return redirect("places:detail", pk=place.pk)
    return render(request, "places/form.html", {"form": form, "title": _("Neuer Lernort"),
                                                "picker_boundary": _picker_boundary(tenant)})


@login_required
def place_edit(request, pk: int):
    place = get_object_or_404(LearningPlace.objects.select_related("category", "operator"), pk=pk)
    if request.tenant is None or not request.user.has_perm("places.change_learningplace", place):
        raise PermissionDenied
    form = PlaceForm(request.POST or None, instance=place, operator_choices=_operator_choices(request))
    if request.method == "POST" and form.is_valid():
        # The form wrote to the instance while validating; reload so a proposal leaves it untouched.
        place = LearningPlace.objects.get(pk=pk)
        proposal = entry_change(entry=place, tenant=request.tenant, user=request.user, changes=_changed(form))
        if proposal is not None:
            messages.success(request, _("Ihre Änderung wurde zur Prüfung eingereicht. Bis zur Freigabe bleibt "
                                        "der bisherige Eintrag sichtbar."))
        else:
            messages.success(request, _("Änderungen gespeichert."))
        return redirect("places:detail", pk=place.pk)
    return render(request, "places/form.html", {"form": form, "title": place.name, "entry": place,
                                                "picker_boundary": _picker_boundary(request.tenant, place)})


def _offer_form(request, instance=None):
    return OfferForm(request.POST or None, instance=instance,
                     place_choices=offer_place_choices(request.user, request.tenant, instance),
                     region_choices=offer_region_choices(request.tenant),
                     provider_choices=_operator_choices(request))


@login_required
def offer_new(request):
    tenant = _tenant_or_403(request, "places.add_offer")
    form = _offer_form(request)
    if request.method == "POST" and form.is_valid():
        offer = offer_create(tenant=tenant, user=request.user, source=_("Eintrag von %(t)s") % {"t": tenant.name},
                             **form.cleaned_data)
        messages.success(request, _("Angebot gespeichert.") if offer.status == PublicationStatus.PUBLISHED else
                         _("Angebot gespeichert. Es erscheint nach der Prüfung durch die Koordination."))
        return redirect("places:mine")
    return render(request, "places/form.html", {"form": form, "title": _("Neues Angebot")})


@login_required
def offer_edit(request, pk: int):
    offer = get_object_or_404(Offer, pk=pk)
    if request.tenant is None or not request.user.has_perm("places.change_offer", offer):
        raise PermissionDenied
    form = _offer_form(request, instance=offer)
    if request.method == "POST" and form.is_valid():
        offer = Offer.objects.get(pk=pk)
        proposal = entry_change(entry=offer, tenant=request.tenant, user=request.user, changes=_changed(form))
        messages.success(request, _("Ihre Änderung wurde zur Prüfung eingereicht.") if proposal else
                         _("Änderungen gespeichert."))
        return redirect("places:mine")
    return render(request, "places/form.html", {"form": form, "title": offer.title, "entry": offer})


@login_required
@require_POST
def entry_confirm_view(request, pk: int, kind: str):
    model, perm = (LearningPlace, "places.change_learningplace") if kind == "place" else (Offer,
                                                                                         "places.change_offer")
    entry = get_object_or_404(model, pk=pk)
    if not request.user.has_perm(perm, entry):
        raise PermissionDenied
    entry_confirm(entry=entry)
    messages.success(request, _("Danke! „%(name)s“ ist als aktuell bestätigt.") % {"name": entry})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("places:mine")
    return redirect(target)


# ---------------------------------------------------------------------------------------------
# Coordination: review queue and upload


@login_required
def review_index(request):
    tenant = _tenant_or_403(request, "places.review_changeproposal")
    queue = review_queue(tenant)
    proposals = [{"proposal": p, "diff": proposal_diff(p)} for p in queue["proposals"]]
    return render(request, "places/review.html", {**queue, "proposals": proposals, "form": ReviewForm()})


@login_required
@require_POST
def review_decide(request, kind: str, pk: int):
    tenant = _tenant_or_403(request, "places.review_changeproposal")
    form = ReviewForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    approve = request.POST.get("decision") == "approve"
    if kind == "proposal":
        proposal = get_object_or_404(ChangeProposal, pk=pk, tenant=tenant, status=ChangeProposal.Status.OPEN)
        if approve:
            proposal_approve(proposal=proposal, user=request.user, note=note)
        elif not note:
            messages.error(request, _("Bitte begründen Sie die Ablehnung."))
            return redirect("places:review")
        else:
            proposal_reject(proposal=proposal, user=request.user, note=note)
    elif kind in {"place", "offer"}:
        model = LearningPlace if kind == "place" else Offer
        entry = get_object_or_404(model, pk=pk, tenant=tenant, status=PublicationStatus.PENDING)
        if approve:
            entry_publish(entry=entry)
        else:
            entry_withdraw(entry=entry)
    else:
        raise Http404
    messages.success(request, _("Übernommen und veröffentlicht.") if approve else _("Abgelehnt."))
    return redirect("places:review")


def _import_in_background(request, tenant, form, suffix: str):
    """Keep the upload (streamed in chunks, never whole in memory) and hand it to a task."""
    from .models import BackgroundImport
    from .tasks import places_import_run

    upload = form.cleaned_data["file"]
    folder = Path(settings.MEDIA_ROOT) / "lernort-importe"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{suffix}"
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    job = BackgroundImport.objects.create(
        tenant=tenant, created_by=request.user, file_name=upload.name[:300], stored_path=str(path),
        format=form.cleaned_data["format"], mapping=form.cleaned_data["mapping"])
    places_import_run.enqueue(job.pk)
    messages.info(request, _("Die Datei ist groß und wird im Hintergrund eingelesen. Diese Seite zeigt das Ergebnis, "
                             "sobald es vorliegt."))
    return job


@login_required
def import_status(request, pk):
    from .models import BackgroundImport

    tenant = _tenant_or_403(request, "places.import_learningplace")
    job = get_object_or_404(BackgroundImport, pk=pk, tenant=tenant)
    return render(request, "places/import_status.html", {"job": job})


@login_required
def import_upload(request):
    tenant = _tenant_or_403(request, "places.import_learningplace")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = problems = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()[:10]
        if upload.size > settings.PLACES_IMPORT_INLINE_LIMIT:
            return redirect("places:import_status", pk=_import_in_background(request, tenant, form, suffix).pk)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(upload.read())
            try:
                importer = importer_for(path, form.cleaned_data["format"])
                if not importer.format.startswith("places-"):
                    raise ImportRejected(_("Diese Datei ist keine Lernort-Datei."))
                with audit_actor(request.user, str(request.user)):
                    report = importer.run(path, tenant=tenant, mapping=form.cleaned_data["mapping"])
            except ImportRejected as exc:
                problems = exc.problems
        if report is not None:
            report.source = upload.name
            messages.success(request, report.summary())
    return render(request, "places/import.html", {"form": form, "report": report, "problems": problems})


# ---------------------------------------------------------------------------------------------
# "In meiner Nähe"


def _coordinate(raw: str | None, limit: float) -> float | None:
    import math

    try:
        value = float((raw or "").replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and -limit <= value <= limit else None


@translated
def places_nearby(request):
    """Places sorted by distance from a point. The point comes only in this GET request's address
    (from the browser's geolocation, rounded there, or the centre of a Gemeinde typed in); the
    server keeps nothing of it: no session, no database row, no log line."""
    from django.utils.cache import add_never_cache_headers

    from bildungskette.regions.selectors import gemeinde_centre_find

    lat = _coordinate(request.GET.get("lat"), 90)
    lon = _coordinate(request.GET.get("lon"), 180)
    place_name = (request.GET.get("ort") or "").strip()[:80]
    origin_label, error, status = "", "", 200
    if (request.GET.get("lat") or request.GET.get("lon")) and (lat is None or lon is None):
        error, status = _("Die Position ist ungültig: Breite zwischen -90 und 90, Länge zwischen -180 und 180."), 400
        lat = lon = None
    elif lat is None and place_name:
        centre = gemeinde_centre_find(place_name)
        if centre is None:
            error = _("Zu „%(ort)s“ kennen wir keine Gemeinde und keine Postleitzahl.") % {"ort": place_name}
        else:
            lat, lon, origin_label = centre.centre_lat, centre.centre_lon, centre.name
    elif lat is not None:
        origin_label = _("Ihrem Standort")
    near = places_near(lat, lon) if lat is not None else []
    page = Paginator(near, PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(request, "places/nearby.html", {
        "page": page, "origin_label": origin_label, "error": error, "place_name": place_name,
        "searched": lat is not None, "radius": NEAR_RADIUS_KM,
    }, status=status)
    add_never_cache_headers(response)  # no shared cache keeps a page made for one position
    return response
