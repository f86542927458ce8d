"""The public JSON API of the Lernortkarte (``/api/lernorte/…``) and the open-data exports.

Every answer with data names its source and licence. Read-only, no login.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from bildungskette.core.exports import csv_text, csvw_column, csvw_metadata
from bildungskette.regions.geojson import position

from .selectors import (
    PlaceFilter,
    attribution_lines,
    bbox_parse,
    boundaries,
    offer_list,
    place_detail,
    place_list,
    places_clustered,
    places_public,
)

EXPORT_LICENCE = (
    "Zusammenstellung: Datenlizenz Deutschland – Namensnennung 2.0 (dl-de/by-2-0); "
    "je Eintrag gelten Quelle und Lizenz der Spalten „quelle“ und „lizenz“."
)
JSON_OPTIONS = {"ensure_ascii": False}


def _json(data, status=200, cache_seconds=60) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params=JSON_OPTIONS)
    response["Cache-Control"] = f"public, max-age={cache_seconds}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _zoom(request) -> int:
    value = request.GET.get("zoom", "")
    return max(0, min(int(value), 20)) if value.isdigit() else 6


def place_as_dict(place, request=None) -> dict:
    url = reverse("places:detail", args=[place.pk])
    return {
        "id": place.pk,
        "name": place.name,
        "kategorie": place.category.code,
        "kategorie_name": place.category.name,
        "schulformen": place.school_forms,
        "adresse": {"strasse": place.street, "plz": place.postcode, "ort": place.city},
        "lat": place.latitude,
        "lon": place.longitude,
        "gemeinde": place.region.code if place.region_id and place.region else None,
        "gemeinde_name": place.region.name if place.region_id and place.region else None,
        "kreis": place.kreis_code or None,
        "stadtteil": place.stadtteil.name if place.stadtteil_id and place.stadtteil else None,
        "telefon": place.phone,
        "email": place.email,
        "website": place.website,
        "zuletzt_bestaetigt": place.last_verified.isoformat() if place.last_verified else None,
        "externe_kennung": place.external_id,
        "synthetisch": place.is_synthetic,
        "quelle": place.source,
        "lizenz": place.licence,
        "url": request.build_absolute_uri(url) if request else url,
    }


@require_GET
def api_places(request):
    """Paginated list of public places, same filters as the list page; optional bbox."""
    place_filter = PlaceFilter.from_query(request.GET)
    qs = place_list(place_filter)
    bbox = bbox_parse(request.GET.get("bbox", ""))
    if bbox:
        west, south, east, north = bbox
        qs = qs.filter(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)
    size = min(int(request.GET["anzahl"]), 200) if request.GET.get("anzahl", "").isdigit() else 50
    page = Paginator(qs, max(size, 1)).get_page(request.GET.get("seite"))
    items = [place_as_dict(p, request) for p in page]
    return _json({
        "anzahl": page.paginator.count,
        "seite": page.number,
        "seiten": page.paginator.num_pages,
        "ergebnisse": items,
        "quellen": sorted({p["quelle"] for p in items if p["quelle"]}),
    })


@require_GET
def api_place(request, pk: int):
    place = place_detail(pk)
    if place is None:
        raise Http404
    data = place_as_dict(place, request)
    data["angebote"] = [{"id": o.pk, "titel": o.title, "themen": [t.code for t in o.topics.all()],
                         "url": request.build_absolute_uri(reverse("places:offer", args=[o.pk]))}
                        for o in place.offers.all()]
    return _json(data)


@require_GET
def api_map(request):
    """Clusters or single places in a bounding box at a zoom level (for the map)."""
    bbox = bbox_parse(request.GET.get("bbox", ""))
    if bbox is None:
        return _json({"fehler": "bbox=west,süd,ost,nord fehlt oder ist ungültig"}, status=400)
    data = places_clustered(places_public(PlaceFilter.from_query(request.GET)), bbox=bbox, zoom=_zoom(request))
    return _json(data, cache_seconds=30)


@require_GET
def api_boundaries(request):
    bbox = bbox_parse(request.GET.get("bbox", ""))
    if bbox is None:
        return _json({"fehler": "bbox=west,süd,ost,nord fehlt oder ist ungültig"}, status=400)
    return _json(boundaries(bbox=bbox, zoom=_zoom(request), highlight=request.GET.get("gebiet", "")[:12]),
                 cache_seconds=3600)


@require_GET
def api_offers(request):
    place_filter = PlaceFilter.from_query(request.GET)
    page = Paginator(offer_list(place_filter), 50).get_page(request.GET.get("seite"))
    return _json({
        "anzahl": page.paginator.count,
        "seite": page.number,
        "ergebnisse": [{
            "id": o.pk, "titel": o.title, "beschreibung": o.description,
            "lernort": o.place_id, "anbieter": str(o.provider) if o.provider else None,
            "themen": [t.code for t in o.topics.all()], "alter_von": o.age_min, "alter_bis": o.age_max,
            "kosten": o.cost, "beginn": o.starts_on.isoformat() if o.starts_on else None,
            "synthetisch": o.is_synthetic, "quelle": o.source, "lizenz": o.licence,
            "url": request.build_absolute_uri(reverse("places:offer", args=[o.pk])),
        } for o in page],
    })


EXPORT_COLUMNS = ["id", "name", "kategorie", "schulformen", "strasse", "plz", "ort", "lat", "lon", "gemeinde",
                  "kreis", "telefon", "email", "website", "zuletzt_bestaetigt", "externe_kennung", "synthetisch",
                  "quelle", "lizenz"]


def _export_rows(request):
    qs = places_public(PlaceFilter.from_query(request.GET)).select_related("category", "region").order_by("id")
    return qs.iterator(chunk_size=2000)


@require_GET
def export_geojson(request):
    features = []
    for place in _export_rows(request):
        props = place_as_dict(place, request)
        lat, lon = props.pop("lat"), props.pop("lon")
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": position(lon, lat)} if lat is not None else None,
                         "properties": props})
    qs = places_public(PlaceFilter.from_query(request.GET))
    response = JsonResponse({
        "type": "FeatureCollection",
        "licence": EXPORT_LICENCE,
        "attribution": attribution_lines(qs),
        "features": features,
    }, json_dumps_params=JSON_OPTIONS)
    response["Content-Type"] = "application/geo+json; charset=utf-8"
    response["Content-Disposition"] = 'attachment; filename="lernorte.geojson"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _export_csv_rows(request):
    for place in _export_rows(request):
        d = place_as_dict(place, request)
        yield [d["id"], d["name"], d["kategorie_name"], ", ".join(d["schulformen"]),
               d["adresse"]["strasse"], d["adresse"]["plz"], d["adresse"]["ort"], d["lat"], d["lon"],
               d["gemeinde"] or "", d["kreis"] or "", d["telefon"], d["email"], d["website"],
               d["zuletzt_bestaetigt"] or "", d["externe_kennung"], d["synthetisch"], d["quelle"], d["lizenz"]]


@require_GET
def export_csv(request):
    """All public places: semicolon CSV with decimal points (machine-readable), every cell escaped
    against spreadsheet formulas; its CSVW metadata at ``export.csv-metadata.json``."""
    text = csv_text(_export_csv_rows(request), header=EXPORT_COLUMNS, decimal_mark=".")
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lernorte-maschinenlesbar.csv"'
    response["X-Licence"] = EXPORT_LICENCE.encode("ascii", "replace").decode()
    response["Access-Control-Allow-Origin"] = "*"
    meta = reverse("places_api:export_csv_metadata")
    if request.GET:
        meta += "?" + request.GET.urlencode()
    response["Link"] = f'<{request.build_absolute_uri(meta)}>; rel="describedby"; type="application/csvm+json"'
    return response


EXPORT_KINDS = {"id": "integer", "plz": "key", "gemeinde": "key", "kreis": "key", "lat": "decimal",
                "lon": "decimal", "zuletzt_bestaetigt": "date", "synthetisch": "boolean"}
EXPORT_UNITS = {"lat": "Grad (WGS84, Breite)", "lon": "Grad (WGS84, Länge)"}


@require_GET
def export_csv_metadata(request):
    """CSVW metadata (W3C CSV on the Web) of ``export.csv``: keys are text, decimal point."""
    columns = []
    for name in EXPORT_COLUMNS:
        kind = EXPORT_KINDS.get(name, "string")
        column = csvw_column(name, datatype="string" if kind in ("key", "boolean") else kind,
                             unit=EXPORT_UNITS.get(name, ""), key=kind == "key", decimal_mark=".")
        if kind == "boolean":
            column["datatype"] = {"base": "boolean", "format": "ja|nein"}
        columns.append(column)
    columns = [c | ({"null": ""} if c["name"] in ("lat", "lon", "zuletzt_bestaetigt") else {}) for c in columns]
    csv_url = reverse("places_api:export_csv") + ("?" + request.GET.urlencode() if request.GET else "")
    meta = csvw_metadata(url=request.build_absolute_uri(csv_url), title="Lernorte (offene Daten)", columns=columns,
                         decimal_mark=".", sources=[EXPORT_LICENCE], primary_key=["id"],
                         licence="https://www.govdata.de/dl-de/by-2-0")
    return _json(meta)


_FILTER_PARAMS = [
    {"name": n, "in": "query", "required": False, "schema": {"type": t}, "description": d}
    for n, t, d in [
        ("q", "string", "Freitext (Name, Ort, Straße, PLZ)"),
        ("kategorie", "string", "Kategorie-Kürzel, schließt Unterkategorien ein (z. B. weiterfuehrend)"),
        ("zielgruppe", "string", "Zielgruppen-Kürzel (Lernort oder eines seiner Angebote)"),
        ("alter", "integer", "Alter in Jahren"),
        ("thema", "string", "Themen-Kürzel eines Angebots (z. B. bne, klimaberufe)"),
        ("gebiet", "string", "Gebietsschlüssel: Land (05), Kreis (05911), Gemeinde (05911000), Stadtteil"),
    ]
]
_BBOX = {"name": "bbox", "in": "query", "required": True, "schema": {"type": "string"},
         "description": "west,süd,ost,nord in Grad (WGS84)"}
_ZOOM = {"name": "zoom", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0,
                                                                      "maximum": 20}}

OPENAPI_SCHEMAS = {
    "Lernort": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "kategorie": {"type": "string"},
            "kategorie_name": {"type": "string"}, "schulformen": {"type": "array", "items": {"type": "string"}},
            "adresse": {"type": "object"}, "lat": {"type": ["number", "null"]}, "lon": {"type": ["number", "null"]},
            "gemeinde": {"type": ["string", "null"]}, "kreis": {"type": ["string", "null"]},
            "zuletzt_bestaetigt": {"type": ["string", "null"], "format": "date"},
            "synthetisch": {"type": "boolean"}, "quelle": {"type": "string"}, "lizenz": {"type": "string"},
            "url": {"type": "string"},
        },
        "required": ["id", "name", "kategorie", "quelle", "lizenz"],
    },
}


def _get(summary, params, description, schema=None, content_type="application/json"):
    response = {"description": description}
    if schema:
        response["content"] = {content_type: {"schema": schema}}
    return {"get": {"tags": ["Lernortkarte"], "summary": summary, "parameters": params,
                    "responses": {"200": response}}}


OPENAPI_PATHS = {
    "/api/lernorte/": _get("Lernorte (öffentlich, seitenweise)", _FILTER_PARAMS + [
        {"name": "bbox", "in": "query", "required": False, "schema": {"type": "string"}},
        {"name": "seite", "in": "query", "required": False, "schema": {"type": "integer"}},
        {"name": "anzahl", "in": "query", "required": False, "schema": {"type": "integer", "maximum": 200}},
    ], "Liste mit Quellen", {"type": "object", "properties": {
        "anzahl": {"type": "integer"},
        "ergebnisse": {"type": "array", "items": {"$ref": "#/components/schemas/Lernort"}},
        "quellen": {"type": "array", "items": {"type": "string"}}}}),
    "/api/lernorte/{id}/": {"get": {"tags": ["Lernortkarte"], "summary": "Ein Lernort mit Angeboten",
                                    "parameters": [{"name": "id", "in": "path", "required": True,
                                                    "schema": {"type": "integer"}}],
                                    "responses": {"200": {"description": "Lernort", "content": {
                                        "application/json": {"schema": {"$ref": "#/components/schemas/Lernort"}}}},
                                        "404": {"description": "nicht gefunden oder nicht veröffentlicht"}}}},
    "/api/lernorte/karte/": _get("Cluster oder Einzelorte im Kartenausschnitt (GeoJSON)",
                                 _FILTER_PARAMS + [_BBOX, _ZOOM],
                                 "FeatureCollection; Cluster haben properties.count, Einzelorte properties.id"),
    "/api/lernorte/grenzen/": _get("Gebietsgrenzen im Kartenausschnitt (Länder, Kreise, Stadtteile; vereinfacht)",
                                   [_BBOX, _ZOOM], "FeatureCollection mit attribution"),
    "/api/lernorte/angebote/": _get("Angebote (öffentlich, seitenweise)", _FILTER_PARAMS, "Liste"),
    "/api/lernorte/export.geojson": _get("Offene Daten: alle öffentlichen Lernorte als GeoJSON",
                                         _FILTER_PARAMS, "FeatureCollection mit licence und attribution",
                                         {"type": "object"}, "application/geo+json"),
    "/api/lernorte/export.csv": _get("Offene Daten: alle öffentlichen Lernorte als CSV (Semikolon, UTF-8)",
                                     _FILTER_PARAMS, "CSV mit Spalten quelle und lizenz", {"type": "string"},
                                     "text/csv"),
}
