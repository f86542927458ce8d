"""Where a place lies: Kreis exact, Gemeinde by nearest centre, a tenant's Stadtteil exact."""

import json

import pytest
from django.urls import reverse

from bildungskette.places.importers import places_csv_import
from bildungskette.places.models import LearningPlace
from bildungskette.places.services import PlaceLocator
from bildungskette.regions.selectors import region_by_code
from bildungskette.regions.services import stadtteile_import_geojson

pytestmark = pytest.mark.django_db

# A rectangle around Kassel's city centre, as a tenant would upload its Stadtteile.
MITTE = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "properties": {"name": "Mitte", "nr": "01"},
    "geometry": {"type": "Polygon", "coordinates": [[[9.47, 51.305], [9.51, 51.305], [9.51, 51.325],
                                                     [9.47, 51.325], [9.47, 51.305]]]}}]}


def test_place_gets_kreis_gemeinde_and_the_tenants_stadtteil(tenant, tmp_path, client):
    stadtteile_import_geojson(tenant=tenant, gemeinde=region_by_code("06611000"),
                              content=json.dumps(MITTE).encode(), key_property="nr")
    path = tmp_path / "orte.csv"
    path.write_text("name;kategorie;lat;lon\nStadtbibliothek;bibliothek;51.3137;9.4947\n"
                    "Umweltzentrum;ausserschulisch;51.2900;9.4500\n", encoding="utf-8")
    places_csv_import(path, tenant=tenant, mapping="")
    library = LearningPlace.objects.get(name="Stadtbibliothek")
    assert (library.kreis_code, library.region.code, library.stadtteil.name) == ("06611", "06611000", "Mitte")
    assert not library.region_approximate  # kreisfreie Stadt: one Gemeinde
    assert LearningPlace.objects.get(name="Umweltzentrum").stadtteil is None

    html = client.get(reverse("places:list"), {"gebiet": library.stadtteil.code}).content.decode()
    assert "1 Lernort gefunden" in html and "Stadtbibliothek" in html


def test_gemeinde_in_a_landkreis_is_the_nearest_centre_and_marked_approximate():
    location = PlaceLocator().locate(51.2560, 9.4120)  # Baunatal (PLZ 34225), Landkreis Kassel
    assert location.kreis_code == "06633"
    assert location.gemeinde.code == "06633003" and location.gemeinde.postcode == "34225"
    assert location.approximate
    assert PlaceLocator().locate(48.85, 2.35).kreis_code == ""  # Paris: no German Kreis
