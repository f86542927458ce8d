"""The citizen start page: one server-side search box over regions, places, offers and events
(grouped by kind, a region found by name or AGS leading to its page), "in meiner Nähe" without
anything stored or logged, the next public events and the region's Datenblatt."""

from __future__ import annotations

import datetime
import logging
import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bildungskette.places.models import Category, LearningPlace, Offer, PublicationStatus
from bildungskette.regions.models import Region, TenantArea

pytestmark = pytest.mark.django_db

KASSEL = (51.3127, 9.4797)


def _place(name, lat, lon, *, status=PublicationStatus.PUBLISHED, kreis="06611", city="Kassel"):
    return LearningPlace.objects.create(name=name, category=Category.objects.get(code="bibliothek"), latitude=lat,
                                        longitude=lon, status=status, kreis_code=kreis, city=city)


def _event(tenant, title, *, days=7, public=True):
    from bildungskette.organisations.models import Organisation
    from bildungskette.transitions.models import Event

    org = Organisation.objects.create(name=f"Betrieb {title}", tenant=tenant)
    start = timezone.now() + datetime.timedelta(days=days)
    return Event.objects.create(tenant=tenant, organisation=org, title=title, starts_at=start,
                                ends_at=start + datetime.timedelta(hours=3), location="Kassel", capacity=10,
                                is_public=public)


def _area(tenant, code="06611"):
    TenantArea.objects.create(tenant=tenant, region=Region.objects.get(code=code), is_primary=True)


def test_anonymous_start_page_has_search_nearby_events_and_datasheet(client, tenant):
    _area(tenant)
    _event(tenant, "Tag der Pflegeberufe")
    html = client.get("/").content.decode()
    assert re.search(r'<form method="get" action="/suche/" role="search"', html)
    assert 'name="q"' in html and f'name="mandant" value="{tenant.slug}"' in html
    assert "Lernorte in meiner Nähe" in html and 'action="/lernorte/in-der-naehe/"' in html
    assert "Tag der Pflegeberufe" in html
    # The only tenant is the public one: its region's Datenblatt and its Leichte Sprache.
    assert 'href="/monitoring/datenblatt/06611/"' in html
    assert f'href="/kommune/{tenant.slug}/leichte-sprache/"' in html


def test_kommune_start_shows_only_its_events_and_its_datasheet(client, tenant, other_tenant):
    _area(tenant, "06611")
    _area(other_tenant, "05911")
    _event(tenant, "Kasseler Ausbildungsmesse")
    _event(other_tenant, "Bochumer Berufe-Tag")
    _event(tenant, "Interne Runde", public=False)
    html = client.get(reverse("core:kommune", args=[other_tenant.slug])).content.decode()
    assert "Bochumer Berufe-Tag" in html
    assert "Kasseler Ausbildungsmesse" not in html and "Interne Runde" not in html
    assert 'href="/monitoring/datenblatt/05911/"' in html
    # The footer names this tenant's legal pages, not the other one's.
    assert f'href="/kommune/{other_tenant.slug}/impressum/"' in html
    assert f'href="/kommune/{tenant.slug}/impressum/"' not in html
    assert client.get(reverse("core:kommune", args=["unbekannt"])).status_code == 404


def test_with_several_tenants_the_anonymous_footer_leads_to_the_list_of_kommunen(client, tenant, other_tenant):
    html = client.get("/").content.decode()
    assert 'href="/kommunen/"' in html
    listing = client.get("/kommunen/").content.decode()
    for t in (tenant, other_tenant):
        assert f'href="/kommune/{t.slug}/barrierefreiheit/"' in listing


def test_search_groups_by_kind_and_an_ags_leads_to_the_region(client, tenant, django_assert_max_num_queries):
    _place("Stadtbibliothek Kassel", *KASSEL)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("core:search"), {"q": "06611"})
    html = response.content.decode()
    lead = re.search(r'data-testid="search-leading">(.*?)</div>', html, re.S).group(1)
    assert 'href="/gebiete/06611/"' in lead and "Kassel" in lead
    assert 'data-testid="search-group-regions"' in html
    # Gemeinde Kassel (06611000) is listed below the leading Kreis, not instead of it.
    assert 'href="/gebiete/06611000/"' in html


def test_search_by_name_leads_to_the_kreis_and_finds_places_offers_and_events(client, tenant):
    place = _place("Stadtbibliothek Kassel", *KASSEL)
    Offer.objects.create(title="Lesekurs in Kassel", place=place, status=PublicationStatus.PUBLISHED)
    _event(tenant, "Ausbildungsmesse Kassel")
    _place("Entwurf Bibliothek Kassel", *KASSEL, status=PublicationStatus.PENDING)
    html = client.get(reverse("core:search"), {"q": "kassel"}).content.decode()
    lead = re.search(r'data-testid="search-leading">(.*?)</div>', html, re.S).group(1)
    # Kassel is a Regierungsbezirk, two Kreise and a Gemeinde; the kreisfreie Stadt (06611) leads.
    assert 'href="/gebiete/06611/"' in lead
    groups = re.findall(r'data-testid="search-group-(\w+)"', html)
    assert groups == ["regions", "places", "offers", "events"]
    assert f'href="/lernorte/{place.pk}/"' in html
    assert "Lesekurs in Kassel" in html and "Ausbildungsmesse Kassel" in html
    assert "Entwurf Bibliothek" not in html, "unpublished places are not found"


def test_search_on_a_tenants_page_keeps_to_its_area(client, tenant):
    _area(tenant, "06611")
    _place("Bibliothek Kassel-Mitte", *KASSEL)
    _place("Bibliothek Bochum-Mitte", 51.48, 7.21, kreis="05911", city="Bochum")
    html = client.get(reverse("core:search"), {"q": "Bibliothek", "mandant": tenant.slug}).content.decode()
    assert "Bibliothek Kassel-Mitte" in html and "Bibliothek Bochum-Mitte" not in html
    everywhere = client.get(reverse("core:search"), {"q": "Bibliothek"}).content.decode()
    assert "Bibliothek Bochum-Mitte" in everywhere


def test_search_says_when_the_query_is_too_short_or_finds_nothing(client, db):
    assert "mindestens 2 Zeichen" in client.get(reverse("core:search"), {"q": "x"}).content.decode()
    html = client.get(reverse("core:search"), {"q": "Qwertzuiop"}).content.decode()
    assert "Zu „Qwertzuiop“ wurde nichts gefunden." in html


def _km(lat1, lon1, lat2, lon2):
    # Independent of the product: equirectangular approximation, good to metres at these distances.
    r = 6371.0088
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return r * math.hypot(x, y)


def test_nearby_sorts_by_distance_and_shows_it(client, db):
    far = _place("Weit weg", KASSEL[0] + 0.2, KASSEL[1])       # about 22.2 km north
    near = _place("Ganz nah", KASSEL[0] + 0.01, KASSEL[1])     # about 1.1 km
    middle = _place("Mittendrin", KASSEL[0], KASSEL[1] + 0.1)  # about 7.0 km east
    _place("Außerhalb", KASSEL[0] + 0.5, KASSEL[1])            # about 55.6 km: beyond the radius
    html = client.get(reverse("places:nearby"), {"lat": KASSEL[0], "lon": KASSEL[1]}).content.decode()
    results = re.search(r'data-testid="nearby-results">(.*?)</ol>', html, re.S).group(1)
    names = re.findall(r'<a href="/lernorte/\d+/">([^<]+)</a>', results)
    assert names == ["Ganz nah", "Mittendrin", "Weit weg"]
    shown = [float(d.replace(",", ".")) for d in re.findall(r'data-testid="distance">([\d,]+) km', results)]
    expected = [round(_km(*KASSEL, p.latitude, p.longitude), 1) for p in (near, middle, far)]
    assert shown == pytest.approx(expected, abs=0.1)


def test_nearby_by_postcode_or_town_without_javascript(client, db):
    _place("Stadtbibliothek Kassel", *KASSEL)
    gemeinde = Region.objects.get(code="06611000")
    html = client.get(reverse("places:nearby"), {"ort": "kassel"}).content.decode()
    assert "Stadtbibliothek Kassel" in html and f"Umkreis von {gemeinde.name}" in html
    if gemeinde.postcode:
        assert "Stadtbibliothek Kassel" in client.get(reverse("places:nearby"),
                                                      {"ort": gemeinde.postcode}).content.decode()
    unknown = client.get(reverse("places:nearby"), {"ort": "Nirgendwohausen"}).content.decode()
    assert "Zu „Nirgendwohausen“ kennen wir keine Gemeinde" in unknown


@pytest.mark.parametrize("lat,lon", [("91", "9.4"), ("51.3", "181"), ("nan", "9.4"), ("51,3", "x")])
def test_nearby_refuses_an_impossible_position(client, db, lat, lon):
    response = client.get(reverse("places:nearby"), {"lat": lat, "lon": lon})
    assert response.status_code == 400
    assert "Die Position ist ungültig" in response.content.decode()


def test_nearby_at_the_boundaries_of_valid_coordinates(client, db):
    assert client.get(reverse("places:nearby"), {"lat": "90", "lon": "-180"}).status_code == 200
    assert client.get(reverse("places:nearby"), {"lat": "-90.001", "lon": "0"}).status_code == 400


def test_nearby_stores_and_logs_nothing(client, db, caplog):
    _place("Stadtbibliothek Kassel", *KASSEL)
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("places:nearby"), {"lat": "51.313", "lon": "9.480"})
    assert response.status_code == 200 and "Stadtbibliothek Kassel" in response.content.decode()
    writes = [q["sql"] for q in queries.captured_queries
              if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    assert writes == []
    assert not any("51.313" in r.getMessage() or "9.48" in r.getMessage() for r in caplog.records)
    # No session; the only cookie is the CSRF token of the language switch, which holds no position.
    assert "sessionid" not in response.cookies
    assert not any("51.313" in c.value or "9.48" in c.value for c in response.cookies.values())
    assert "no-store" in response.headers["Cache-Control"]
    assert "speichert und protokolliert ihn nicht" in response.content.decode(), "the page says so"
