"""The catalogue at documented URLs, ready for harvesting (GovData, Länder portals):

- ``/katalog/dcat.ttl`` and ``/katalog/dcat.jsonld``: the whole installation;
- ``/katalog/<mandant>/dcat.ttl`` and ``…/dcat.jsonld``: one tenant (publisher = the tenant).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bildungskette.core.models import Tenant

from .catalogue import catalogue_graph

FORMATS = {"ttl": ("turtle", "text/turtle; charset=utf-8"), "jsonld": ("json-ld", "application/ld+json")}


def _response(request, fmt: str, tenant=None) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    syntax, content_type = FORMATS[fmt]
    graph = catalogue_graph(base=request.build_absolute_uri("/")[:-1], tenant=tenant)
    options = {"auto_compact": True} if syntax == "json-ld" else {}
    response = HttpResponse(graph.serialize(format=syntax, **options), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def catalogue(request, fmt):
    return _response(request, fmt)


@require_GET
def catalogue_tenant(request, slug, fmt):
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise Http404
    return _response(request, fmt, tenant)


@require_GET
def catalogue_page(request):
    """A short human page: where the catalogue is and what it holds."""
    return render(request, "opendata/catalogue.html", {"tenants": Tenant.objects.order_by("name")})
