"""The public API: clusters for the map, boundaries, lists, exports with licence, OpenAPI."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bildungskette.places.models import LearningPlace

pytestmark = pytest.mark.django_db
BOCHUM_BBOX = "7.10,51.39,7.35,51.54"


def test_map_api_clusters_when_zoomed_out_and_shows_places_when_zoomed_in(client, school_places, settings):
    from bildungskette.places import selectors

    selectors.CLUSTER_THRESHOLD, old = 20, selectors.CLUSTER_THRESHOLD
    try:
        data = client.get("/api/lernorte/karte/", {"bbox": BOCHUM_BBOX, "zoom": 9}).json()
    finally:
        selectors.CLUSTER_THRESHOLD = old
    assert data["clustered"] and data["total"] == 97
    counts = [f["properties"].get("count", 1) for f in data["features"]]
    assert sum(counts) == 97 and max(counts) > 1
    single = client.get("/api/lernorte/karte/", {"bbox": BOCHUM_BBOX, "zoom": 16, "kategorie": "beruflich"}).json()
    assert not single["clustered"] and len(single["features"]) == 9
    names = {f["properties"]["name"] for f in single["features"]}
    assert all("Berufskolleg" in n or "BK" in n or "kolleg" in n.lower() for n in names)


def test_map_api_rejects_bad_bbox(client):
    response = client.get("/api/lernorte/karte/", {"bbox": "1,2,3"})
    assert response.status_code == 400 and "bbox" in response.json()["fehler"]


def test_boundaries_layer_by_zoom(client):
    laender = client.get("/api/lernorte/grenzen/", {"bbox": "5.8,47.2,15.1,55.1", "zoom": 5}).json()
    assert {f["properties"]["kind"] for f in laender["features"]} == {"land"}
    assert len(laender["features"]) == 16 and "BKG" in laender["attribution"]
    kreise = client.get("/api/lernorte/grenzen/", {"bbox": BOCHUM_BBOX, "zoom": 10, "gebiet": "05911"}).json()
    bochum = next(f for f in kreise["features"] if f["properties"]["code"] == "05911")
    assert bochum["properties"]["highlight"] and bochum["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_list_api_with_bbox_and_sources(client, school_places, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        data = client.get("/api/lernorte/", {"gebiet": "05911", "anzahl": 10}).json()
    assert data["anzahl"] == 97 and len(data["ergebnisse"]) == 10 and data["seiten"] == 10
    assert any("IT.NRW" in q for q in data["quellen"])
    first = data["ergebnisse"][0]
    assert first["kreis"] == "05911" and first["lizenz"] and first["url"].startswith("http://testserver/lernorte/")
    detail = client.get(f"/api/lernorte/{first['id']}/").json()
    assert detail["name"] == first["name"] and detail["angebote"] == []


def test_exports_carry_licence_and_attribution(client, school_places):
    geo = client.get("/api/lernorte/export.geojson", {"gebiet": "05911"})
    assert geo["Content-Type"].startswith("application/geo+json")
    data = json.loads(geo.content)
    assert len(data["features"]) == 97 and "dl-de/by-2-0" in data["licence"]
    assert any("IT.NRW" in line for line in data["attribution"])
    assert all(f["properties"]["quelle"] and f["properties"]["lizenz"] for f in data["features"])
    response = client.get("/api/lernorte/export.csv", {"gebiet": "05911", "kategorie": "beruflich"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 9 and {r["kategorie"] for r in rows} == {"berufliche Schule / Berufskolleg"}
    assert all("IT.NRW" in r["quelle"] and r["lizenz"] for r in rows)


def test_openapi_documents_the_lernort_api(client):
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/lernorte/", "/api/lernorte/karte/", "/api/lernorte/grenzen/", "/api/lernorte/export.geojson",
                 "/api/lernorte/export.csv", "/api/lernorte/{id}/"):
        assert path in spec["paths"], path
    assert "Lernort" in spec["components"]["schemas"]


def test_places_without_coordinates_stay_in_list_but_not_on_map(client, place_factory, tenant):
    place = place_factory(name="Ohne Koordinaten", tenant=tenant)
    LearningPlace.objects.filter(pk=place.pk).update(latitude=None, longitude=None)
    assert client.get("/api/lernorte/", {"q": "Ohne Koordinaten"}).json()["anzahl"] == 1
    data = client.get("/api/lernorte/karte/", {"bbox": "5.8,47.2,15.1,55.1", "zoom": 6}).json()
    assert data["total"] == 0
