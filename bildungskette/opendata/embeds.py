"""Embeddable charts, maps and tables for a Kommune's own website.

``/einbetten/<mandant>/…``: no login, no navigation, the source line kept, the data table as a
tab before the chart. The tenant names the websites that may frame them (``EmbedOrigin``); each
response carries ``Content-Security-Policy: frame-ancestors 'self' <origins>``, so browsers refuse
the iframe on every other website. The SVG of a chart is an image that any page may link to.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bildungskette.core.models import Tenant

from . import services
from .models import EmbedOrigin
from .selectors import embed_origins


def _tenant(slug: str) -> Tenant:
    return get_object_or_404(Tenant, slug=slug)


def _framed(response: HttpResponse, tenant: Tenant) -> HttpResponse:
    """Allow framing by the tenant's origins only (CSP frame-ancestors via django-csp)."""
    response._csp_replace = {"frame-ancestors": ["'self'", *embed_origins(tenant)]}
    response.xframe_options_exempt = True  # X-Frame-Options cannot list origins; CSP decides
    return response


def _region(request, tenant):
    from bildungskette.regions.models import Region
    from bildungskette.regions.selectors import tenant_regions

    code = request.GET.get("gebiet", "")
    region = None
    if code:
        region = Region.objects.defer("boundary").filter(code=code, tenant__isnull=True).first()
        if region is None:
            raise Http404(_("Unbekanntes Gebiet"))
    if region is None:
        region = next((r for r in tenant_regions(tenant) if r.code.isdigit()), None)
    if region is None:
        region = Region.objects.defer("boundary").filter(code="DG").first()
    return region


def _public_indicator(code: str):
    from bildungskette.monitoring.selectors import indicators_visible_to

    return get_object_or_404(indicators_visible_to(None, None), code=code)


def indicator_figure(request, tenant, code):
    """Series of the indicator for a region and its parents: chart spec, table rows, sources."""
    from bildungskette.monitoring import figures
    from bildungskette.monitoring.selectors import indicator_periods, indicators_evaluate

    indicator = _public_indicator(code)
    region = _region(request, tenant)
    parents = figures.parent_regions(region)
    periods = indicator_periods(indicator=indicator)
    regions = [region, *parents]
    results = indicators_evaluate(indicators=[indicator], regions=regions, periods=periods)
    rows, chart_rows = [], []
    for who in regions:
        for p in periods:
            r = results[(indicator.code, who.pk, p.pk)]
            rows.append({"region": who, "period": p, "result": r})
            chart_rows.append({"Gebiet": who.name, "Zeitraum": p.label, "Jahr": p.year,
                               "Wert": figures._float(r.rounded_value)})
    sources = figures.sources_for(results.values())
    return indicator, region, rows, figures.series_spec(indicator, chart_rows), sources


def _snippet(request, embed_url: str, svg_url: str | None, title: str) -> dict:
    frame = request.build_absolute_uri(embed_url)
    snippet = {
        "iframe": f'<iframe src="{frame}" title="{title}" width="640" height="520" loading="lazy" '
                  f'style="border:0"></iframe>',
    }
    if svg_url:
        image = request.build_absolute_uri(svg_url)
        snippet["image"] = f'<a href="{frame}"><img src="{image}" alt="{title}" width="640"></a>'
    return snippet


def embed_snippets(request, *, tenant, indicator_code: str, query: str = "") -> dict:
    """Copy-paste snippets (iframe and image link) for the indicator page."""
    base = reverse("opendata_embed:indicator", args=[tenant.slug, indicator_code])
    svg = reverse("opendata_embed:indicator_svg", args=[tenant.slug, indicator_code])
    suffix = f"?{query}" if query else ""
    return _snippet(request, base + suffix, svg + suffix, _("Diagramm"))


@require_GET
def indicator(request, slug, code):
    tenant = _tenant(slug)
    from bildungskette.core.charts import chart_svg

    ind, region, rows, spec, sources = indicator_figure(request, tenant, code)
    svg = chart_svg(spec, title=f"{ind.name}: {region.name}",
                    description=_("Zeitreihe; alle Werte stehen in der Tabelle."))
    page = reverse("monitoring:indicator", args=[ind.code]) + f"?gebiet={region.code}"
    response = render(request, "opendata/embed_indicator.html", {
        "tenant": tenant, "indicator": ind, "region": region, "rows": rows, "svg": svg, "sources": sources,
        "page_url": request.build_absolute_uri(page),
    })
    return _framed(response, tenant)


@require_GET
def indicator_svg(request, slug, code):
    """The chart as an SVG image (for the no-iframe snippet); any site may show it."""
    tenant = _tenant(slug)
    from bildungskette.core.charts import chart_svg

    ind, region, _rows, spec, sources = indicator_figure(request, tenant, code)
    svg = chart_svg(spec, title=f"{ind.name}: {region.name}",
                    description=" · ".join(s.line for s in sources))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_GET
def indicator_map(request, slug, code):
    tenant = _tenant(slug)
    from bildungskette.monitoring import figures
    from bildungskette.monitoring.selectors import indicator_periods, indicators_evaluate
    from bildungskette.regions.models import Region, RegionKind

    ind = _public_indicator(code)
    land_code = request.GET.get("land") or tenant.land_code or "DG"
    parent = Region.objects.defer("boundary").filter(code=land_code, tenant__isnull=True,
                                                     kind__in=[RegionKind.LAND, RegionKind.BUND]).first()
    if parent is None:
        raise Http404(_("Unbekanntes Land"))
    periods = indicator_periods(indicator=ind)
    period = next((p for p in periods if p.code == request.GET.get("zeitraum")), None) or (
        periods[-1] if periods else None)
    kreise = figures.kreise_for_map(parent)
    results = {}
    if period:
        evaluated = indicators_evaluate(indicators=[ind], regions=kreise, periods=[period])
        results = {rid: r for (_c, rid, _p), r in evaluated.items()}
    response = render(request, "opendata/embed_map.html", {
        "tenant": tenant, "indicator": ind, "parent": parent, "period": period,
        "map": figures.choropleth_build(ind, kreise, results), "sources": figures.sources_for(results.values()),
        "page_url": request.build_absolute_uri(reverse("monitoring:indicator_map", args=[ind.code])
                                               + f"?land={parent.code}"),
    })
    return _framed(response, tenant)


@require_GET
def places(request, slug):
    tenant = _tenant(slug)
    from bildungskette.places.selectors import PlaceFilter, attribution_lines, places_public

    qs = places_public(PlaceFilter.from_query(request.GET))
    rows = list(qs.select_related("category").order_by("name")[:200])
    response = render(request, "opendata/embed_places.html", {
        "tenant": tenant, "places": rows, "total": qs.count(), "attribution": attribution_lines(qs),
        "page_url": request.build_absolute_uri(reverse("places:list") + (f"?{request.GET.urlencode()}"
                                                                         if request.GET else "")),
    })
    return _framed(response, tenant)


@login_required
def origins(request):
    """Tenant administrators name the websites that may embed the tenant's charts."""
    tenant = request.tenant
    if tenant is None or not request.user.has_perm("core.manage_users", tenant):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        if "remove" in request.POST:
            services.embed_origin_remove(tenant=tenant, pk=int(request.POST["remove"]))
            messages.success(request, _("Website entfernt."))
            return redirect("opendata_embed:origins")
        try:
            services.embed_origin_add(tenant=tenant, origin=request.POST.get("origin", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Website gespeichert. Sie darf jetzt Diagramme einbetten."))
            return redirect("opendata_embed:origins")
    example = None
    from bildungskette.monitoring.selectors import indicators_visible_to

    first = indicators_visible_to(None, None).order_by("theme", "order").first()
    if first is not None:
        example = embed_snippets(request, tenant=tenant, indicator_code=first.code)
    return render(request, "opendata/origins.html", {
        "tenant": tenant, "origins": EmbedOrigin.objects.filter(tenant=tenant), "error": error,
        "value": request.POST.get("origin", ""), "example": example, "example_indicator": first,
    })
