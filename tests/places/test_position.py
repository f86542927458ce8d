"""Places go on the map without typed coordinates: a first position from the address's Gemeinde
(offline, from the reference data), a clear mark for places without a position, and the user's own
entries under "Ihre Lernorte und Angebote"."""

import csv
import gzip

import pytest
from django.conf import settings

from bildungskette.core.models import Role

pytestmark = pytest.mark.django_db


def _centre_from_reference_data(ags: str, postcode: str) -> tuple[float, float]:
    """The Gemeinde centre straight from the Gemeinden file (independent of the importer)."""
    path = settings.DATA_DIR / "regions" / "gemeinden_gvauszug_2020q4.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8-sig") as handle:
        row = next(r for r in csv.DictReader(handle) if r["satzart"] == "60"
                   and r["land"] + r["rb"] + r["kreis"] + r["gemeinde"] == ags and r["postleitzahl"] == postcode)
    return float(row["breitengrad"].replace(",", ".")), float(row["laengengrad"].replace(",", "."))


@pytest.fixture
def lippe(tenant_factory):
    from bildungskette.regions.selectors import region_by_code
    from bildungskette.regions.services import tenant_area_set

    lippe = tenant_factory("kreis-lippe", "Kreis Lippe", land_code="05")
    from bildungskette.organisations.models import Organisation

    tenant_area_set(tenant=lippe, regions=[region_by_code("05766")], primary=region_by_code("05766"))
    Organisation.objects.create(tenant=lippe, name="Bildungsbüro Lippe")
    return lippe


def _form(**fields):
    from bildungskette.organisations.models import Organisation
    from bildungskette.places.models import Category

    data = {"name": "Lernwerkstatt Detmold", "category": Category.objects.get(code="jugendberufsagentur").pk,
            "operator": Organisation.objects.get(name="Bildungsbüro Lippe").pk,
            "street": "Lange Straße 1", "postcode": "32756", "city": "Detmold", "latitude": "", "longitude": ""}
    return {**data, **fields}


def test_address_gives_a_first_position_from_the_gemeinde_centre(client_as, make_user, lippe):
    from bildungskette.places.models import LearningPlace

    coordination = make_user(role=Role.COORDINATION, tenant=lippe)
    client = client_as(coordination)
    assert "ort-auf-karte" in client.get("/lernorte/neu/").content.decode()
    response = client.post("/lernorte/neu/", _form())
    place = LearningPlace.objects.get(name="Lernwerkstatt Detmold")
    assert response.status_code == 302 and response["Location"] == f"/lernorte/{place.pk}/bearbeiten/#ort-auf-karte"
    lat, lon = _centre_from_reference_data("05766020", "32756")
    assert (place.latitude, place.longitude) == (pytest.approx(lat, abs=1e-6), pytest.approx(lon, abs=1e-6))
    assert place.kreis_code == "05766" and place.region.code == "05766020"
    edit = client.get(response["Location"]).content.decode()
    assert "Die Position ist vorläufig der Mittelpunkt" in edit and 'id="picker-boundary"' in edit


def test_typed_coordinates_win_over_the_address(client_as, make_user, lippe):
    from bildungskette.places.models import LearningPlace

    client = client_as(make_user(role=Role.COORDINATION, tenant=lippe))
    response = client.post("/lernorte/neu/", _form(latitude="51.95", longitude="8.75"))
    place = LearningPlace.objects.get(name="Lernwerkstatt Detmold")
    assert response["Location"] == f"/lernorte/{place.pk}/" and (place.latitude, place.longitude) == (51.95, 8.75)


def test_a_place_without_position_is_marked_and_its_editor_asked_to_place_it(client_as, client, make_user, lippe):
    from bildungskette.places.models import LearningPlace

    coordination = make_user(role=Role.COORDINATION, tenant=lippe)
    response = client_as(coordination).post("/lernorte/neu/", _form(postcode="", city="Nirgendwo", street=""))
    place = LearningPlace.objects.get(name="Lernwerkstatt Detmold")
    assert place.latitude is None
    assert response["Location"] == f"/lernorte/{place.pk}/bearbeiten/#ort-auf-karte"
    detail = client_as(coordination).get(f"/lernorte/{place.pk}/").content.decode()
    assert "Dieser Lernort ist noch nicht auf der Karte." in detail
    mine = client_as(coordination).get("/lernorte/meine/").content.decode()
    assert "Lernwerkstatt Detmold" in mine and "noch nicht auf der Karte" in mine
    client.logout()
    listing = client.get("/lernorte/liste/?q=Lernwerkstatt").content.decode()
    assert "Lernwerkstatt Detmold" in listing and "noch nicht auf der Karte" in listing


def test_your_places_show_what_the_user_created(client_as, make_user, lippe, tenant):
    other = make_user(role=Role.COORDINATION, tenant=lippe)
    author = make_user(role=Role.COORDINATION, tenant=lippe)
    client_as(author).post("/lernorte/neu/", _form())
    assert "Lernwerkstatt Detmold" in client_as(author).get("/lernorte/meine/").content.decode()
    assert "Lernwerkstatt Detmold" not in client_as(other).get("/lernorte/meine/").content.decode()
