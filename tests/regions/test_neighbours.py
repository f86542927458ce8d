"""Neighbouring Kreise (shared boundary), computed from the shipped VG250 Kreis boundaries, and the
region selects limited to the tenant's area and its neighbours."""

import json

import pytest
from django.conf import settings

from bildungskette.core.datafiles import data_path
from bildungskette.regions.models import Region
from bildungskette.regions.neighbours import (
    BOUNDARIES,
    MIN_SHARED_DEGREES,
    NEIGHBOURS,
    TOLERANCE_DEGREES,
    kreis_neighbour_codes,
    kreis_neighbours_compute,
)


def _names(codes) -> set[str]:
    return {f"{r.name} ({r.designation})" for r in Region.objects.filter(code__in=codes)}


def test_shipped_file_is_a_fresh_computation():
    shipped = json.loads((settings.DATA_DIR / NEIGHBOURS).read_text(encoding="utf-8"))
    assert shipped["command"] == "bildungskette kreis-neighbours"
    assert shipped["neighbours"] == kreis_neighbours_compute(data_path(BOUNDARIES))
    assert len(shipped["neighbours"]) == 401


def test_neighbourhood_is_symmetric_and_nobody_is_their_own_neighbour():
    shipped = json.loads((settings.DATA_DIR / NEIGHBOURS).read_text(encoding="utf-8"))["neighbours"]
    for code, found in shipped.items():
        assert code not in found
        for other in found:
            assert code in shipped[other], (code, other)


@pytest.mark.django_db
def test_kassel_city_and_landkreis_kassel():
    # Landkreis Kassel's neighbours as Wikipedia lists them ("Nachbarkreise sind … Northeim, Göttingen,
    # Werra-Meißner, Schwalm-Eder, Waldeck-Frankenberg, Höxter"), plus the city it almost encloses.
    landkreis = kreis_neighbour_codes({"06633"})
    assert _names(landkreis) == {
        "Northeim (Landkreis)", "Göttingen (Landkreis)", "Werra-Meißner-Kreis (Landkreis)",
        "Schwalm-Eder-Kreis (Landkreis)", "Waldeck-Frankenberg (Landkreis)", "Höxter (Kreis)",
        "Kassel (Kreisfreie Stadt)"}
    city = kreis_neighbour_codes({"06611"})
    assert "06633" in city
    # "fast ganz vom Landkreis Kassel umgeben": the short border with Staufenberg (Landkreis Göttingen).
    assert city == {"06633", "03159"}
    # Close, but Landkreis Kassel lies between.
    assert "06634" not in city and "06636" not in city


@pytest.mark.django_db
def test_fulda_neighbours_across_three_laender():
    assert _names(kreis_neighbour_codes({"06631"})) == {
        "Vogelsbergkreis (Landkreis)", "Main-Kinzig-Kreis (Landkreis)", "Hersfeld-Rotenburg (Landkreis)",
        "Wartburgkreis (Landkreis)", "Schmalkalden-Meiningen (Landkreis)",
        "Rhön-Grabfeld (Landkreis)", "Bad Kissingen (Landkreis)"}


def test_several_codes_give_the_ring_around_them():
    both = kreis_neighbour_codes({"06611", "06633"})
    assert "06611" not in both and "06633" not in both
    assert both == (kreis_neighbour_codes({"06611"}) | kreis_neighbour_codes({"06633"})) - {"06611", "06633"}


def _square_collection(tmp_path, squares: dict) -> object:
    features = []
    for code, (west, south, east, north) in squares.items():
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        features.append({"type": "Feature", "properties": {"AGS": code, "GF": 4},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    features.append({"type": "Feature", "properties": {"AGS": "99", "GF": 2},  # water part: ignored
                     "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [9, 0], [9, 9], [0, 0]]]}})
    path = tmp_path / "kreise.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def test_rule_shared_edge_counts_corner_does_not_and_the_minimum_length(tmp_path):
    # The rule measures boundary within the tolerance, so a shared edge of s is measured as up to
    # s + 2 × tolerance (the ends): an edge of exactly the minimum counts, one 3 tolerances shorter not.
    at_minimum, too_short = MIN_SHARED_DEGREES, MIN_SHARED_DEGREES - 3 * TOLERANCE_DEGREES
    path = _square_collection(tmp_path, {
        "A": (0, 0, 1, 1),
        "B": (1, 0, 2, 1),                 # shares A's whole east edge
        "C": (-1, 1, 0, 2),                # touches A only at the corner (0, 1)
        "D": (0.5, -1, 1.5, -0.0005),      # 55 m gap below A and B (simplified data): still neighbours
        "E": (-1, 0.5, 0, 0.5 + at_minimum),  # shares exactly the minimum of A's west edge
        "F": (-1, -1, 0, too_short),           # shares A's west edge from 0 up to too_short
    })
    found = kreis_neighbours_compute(path)
    assert "99" not in found
    assert "B" in found["A"] and "A" in found["B"]
    assert "C" not in found["A"]
    assert "D" in found["A"] and "D" in found["B"]
    assert "E" in found["A"]
    assert "F" not in found["A"]


@pytest.mark.django_db
def test_region_selects_offer_the_area_and_its_neighbours_only(tenant_factory):
    from bildungskette.places.selectors import offer_region_choices
    from bildungskette.regions.services import tenant_area_set
    from bildungskette.strategy.forms import MeasureForm

    fulda = tenant_factory("fulda", "Landkreis Fulda", land_code="06")
    tenant_area_set(tenant=fulda, regions=[Region.objects.get(code="06631")])
    expected = {"06631", "06535", "06435", "06632", "16063", "16066", "09673", "09672"}
    offered = set(offer_region_choices(fulda).values_list("code", flat=True))
    assert offered == expected
    assert "06611" not in offered and "05911" not in offered  # Kassel, Bochum: not near

    # The measure form: the area with its Gemeinden, and the neighbouring Kreise (not their Gemeinden).
    choices = set(MeasureForm(tenant=fulda).fields["regions"].queryset.values_list("code", flat=True))
    gemeinden = set(Region.objects.filter(code__startswith="06631", kind="gemeinde").values_list("code", flat=True))
    assert gemeinden and choices == expected | gemeinden

    # A tenant whose area is one Gemeinde: its own Kreis counts as a neighbour.
    gemeinde = Region.objects.get(code="06631009")  # Fulda, Stadt
    town = tenant_factory("stadt-fulda", "Stadt Fulda", land_code="06")
    tenant_area_set(tenant=town, regions=[gemeinde])
    assert set(offer_region_choices(town).values_list("code", flat=True)) == {"06631009"} | expected
