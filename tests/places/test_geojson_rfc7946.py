"""Every GeoJSON the product serves follows RFC 7946: right-hand rule (exterior rings counter-
clockwise, holes clockwise), at most 6 decimal places, no ``crs`` member.

The checks here are written independently of the product code (shoelace formula on the raw
coordinates, decimal places from the JSON text), in the spirit of geojson-rewind / geojsonhint.
"""

from __future__ import annotations

import json
import re

import pytest

from bildungskette.regions.selectors import region_by_code
from bildungskette.regions.services import stadtteile_import_geojson

pytestmark = pytest.mark.django_db
KASSEL_BBOX = "9.35,51.25,9.60,51.38"


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace formula: positive for counter-clockwise rings (x = lon, y = lat)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def rfc7946_problems(text: str) -> list[str]:
    data = json.loads(text)
    problems = []
    if re.search(r'"crs"\s*:', text):
        problems.append("crs member")
    for number in re.findall(r"-?\d+\.(\d+)", json.dumps([f.get("geometry") for f in data["features"]])):
        if len(number) > 6:
            problems.append(f"{len(number)} decimal places")
            break
    for feature in data["features"]:
        geometry = feature.get("geometry")
        if not geometry:
            continue
        polygons = {"Polygon": [geometry["coordinates"]], "MultiPolygon": geometry["coordinates"]}.get(
            geometry["type"], [])
        for polygon in polygons:
            for index, ring in enumerate(polygon):
                if ring[0] != ring[-1]:
                    problems.append("ring not closed")
                area = signed_area(ring)
                if index == 0 and area <= 0:
                    problems.append(f"exterior ring clockwise in {feature['properties'].get('name')}")
                if index > 0 and area >= 0:
                    problems.append(f"hole counter-clockwise in {feature['properties'].get('name')}")
    return problems


def test_the_validator_catches_wrong_winding_and_precision():
    cw = [[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]
    bad = {"type": "FeatureCollection", "crs": {}, "features": [
        {"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Polygon", "coordinates": [cw]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [9.1234567, 51.0]}}]}
    assert rfc7946_problems(json.dumps(bad)) == ["crs member", "7 decimal places", "exterior ring clockwise in x"]


@pytest.fixture
def stadtteil_with_hole(tenant):
    """Uploaded the wrong way round: exterior clockwise, hole counter-clockwise, 8 decimal places."""
    outer = [[9.45, 51.30], [9.45, 51.33], [9.50123456, 51.33], [9.50123456, 51.30], [9.45, 51.30]]
    hole = [[9.46, 51.31], [9.48, 51.31], [9.48, 51.32], [9.46, 51.32], [9.46, 51.31]]
    content = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Mitte mit Park"},
         "geometry": {"type": "Polygon", "coordinates": [outer, hole]}},
        {"type": "Feature", "properties": {"name": "Zwei Teile"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[outer[::-1]], [[[9.40, 51.26], [9.40, 51.27],
                                                                                 [9.42, 51.27], [9.40, 51.26]]]]}},
    ]}).encode()
    stadtteile_import_geojson(tenant=tenant, gemeinde=region_by_code("06611000"), content=content)


@pytest.mark.parametrize("zoom", [5, 8, 12])
def test_boundaries_follow_rfc7946(client, stadtteil_with_hole, zoom):
    response = client.get("/api/lernorte/grenzen/", {"bbox": KASSEL_BBOX, "zoom": zoom})
    data = response.json()
    kinds = {f["properties"]["kind"] for f in data["features"]}
    assert kinds == {5: {"land"}, 8: {"kreis"}, 12: {"kreis", "stadtteil"}}[zoom]
    polygons = [f for f in data["features"] if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    assert polygons and rfc7946_problems(response.content.decode()) == []
    if zoom == 12:
        park = next(f for f in data["features"] if f["properties"]["name"] == "Mitte mit Park")
        assert len(park["geometry"]["coordinates"]) == 2  # the hole survived


def test_places_geojson_follows_rfc7946(client, place_factory):
    place_factory(lat=51.312712345678, lon=9.479712345678)
    for url, params in [("/api/lernorte/export.geojson", {}),
                        ("/api/lernorte/karte/", {"bbox": KASSEL_BBOX, "zoom": 16})]:
        response = client.get(url, params)
        data = response.json()
        assert data["features"] and rfc7946_problems(response.content.decode()) == [], url
        assert data["features"][0]["geometry"]["coordinates"] == [9.479712, 51.312712]
