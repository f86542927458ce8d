"""The public map, list, detail pages and widget, as an anonymous visitor sees them."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from bildungskette.places.models import LearningPlace, Offer, PublicationStatus, Topic

pytestmark = pytest.mark.django_db


def test_map_page_public_with_nav_entry_and_attribution(client, school_places, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = client.get(reverse("places:map"))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<a href="/lernorte/"[^>]*>Lernortkarte</a>', html)
    assert "IT.NRW, Statistisches Landesamt, 2025" in html and "JedeSchule" in html
    assert "© GeoBasis-DE / BKG 2019" in html
    assert "/static/leaflet/leaflet.js" in html and "cdn" not in html.lower()
    config = json.loads(re.search(r'data-config="([^"]+)"', html).group(1).replace("&quot;", '"'))
    assert config["tiles"] == "" and config["api"] == "/api/lernorte/karte/"


def test_map_uses_configured_tile_url(client, school_places, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    html = client.get(reverse("places:map")).content.decode()
    assert "tiles.example.org" in html


def test_list_filters_bochum_berufskollegs_and_reflects_filter_in_url(client, school_places,
                                                                     django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("places:list"), {"gebiet": "05911", "kategorie": "beruflich"})
    html = response.content.decode()
    assert "9 Lernorte gefunden" in html
    assert html.count('class="places-result"') == 9
    assert 'href="/lernorte/?kategorie=beruflich&amp;gebiet=05911"' in html  # map link keeps the filter
    assert '<option value="beruflich" selected>' in html


def test_list_whole_bochum_is_paginated(client, school_places, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        html = client.get(reverse("places:list"), {"gebiet": "05911000", "page": 2}).content.decode()
    assert "97 Lernorte gefunden" in html and "Seite 2 von 4" in html


def test_list_umbrella_category_includes_school_forms(client, school_places):
    html = client.get(reverse("places:list"), {"gebiet": "05911", "kategorie": "weiterfuehrend"}).content.decode()
    # 11 Gymnasien, 8 Gesamtschulen, 5 Real-, 2 Haupt-, 2 Sekundarschulen, 3 Waldorfschulen in Bochum
    assert "31 Lernorte gefunden" in html


def test_free_text_age_and_topic_filters(client, school_places, place_factory, tenant):
    library = place_factory(name="Stadtbibliothek Kassel", tenant=tenant)
    offer = Offer.objects.create(title="Klimadetektive", place=library, tenant=tenant, age_min=8, age_max=12)
    offer.topics.add(Topic.objects.get(code="bne"))
    url = reverse("places:list")
    assert "Stadtbibliothek Kassel" in client.get(url, {"q": "bibliothek kassel"[:11]}).content.decode()
    by_topic = client.get(url, {"thema": "bne"}).content.decode()
    assert "1 Lernort gefunden" in by_topic and "Stadtbibliothek Kassel" in by_topic
    grundschule_age = client.get(url, {"alter": "7", "gebiet": "05911"}).content.decode()
    assert '<span class="tag">Grundschule</span>' in grundschule_age
    assert '<span class="tag">berufliche Schule / Berufskolleg</span>' not in grundschule_age


def test_detail_page_with_schema_org_json_ld(client, school_places, django_assert_max_num_queries):
    place = LearningPlace.objects.get(external_id="NRW-100020") if LearningPlace.objects.filter(
        external_id="NRW-100020").exists() else LearningPlace.objects.filter(kreis_code="05911").first()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("places:detail", args=[place.pk]))
    html = response.content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@context"] == "https://schema.org" and data["name"] == place.name
    assert data["address"]["postalCode"] == place.postcode
    assert data["geo"]["latitude"] == place.latitude
    assert "Zuletzt bestätigt" in html and place.source in html
    assert '<svg class="boundary-map"' in html and "Bochum" in html
    assert re.search(r'<circle class="point place-point" cx="\d+(\.\d+)?" cy="\d+(\.\d+)?"', html)  # not "12,5"


def test_pending_place_is_not_public(client, place_factory, tenant):
    place = place_factory(name="Noch nicht geprüft", tenant=tenant, status=PublicationStatus.PENDING)
    assert client.get(reverse("places:detail", args=[place.pk])).status_code == 404
    assert "Noch nicht geprüft" not in client.get(reverse("places:list")).content.decode()
    assert client.get(reverse("places_api:place", args=[place.pk])).status_code == 404


def test_synthetic_entries_say_so(client, place_factory, tenant):
    place = place_factory(name="Erfundener Ort", tenant=tenant, is_synthetic=True)
    assert "synthetisch" in client.get(reverse("places:detail", args=[place.pk])).content.decode()
    assert "synthetisch" in client.get(reverse("places:list")).content.decode()


def test_offer_page_and_list(client, place_factory, tenant, django_assert_max_num_queries):
    place = place_factory(name="Lernwerkstatt", tenant=tenant)
    offer = Offer.objects.create(title="E-Craft", place=place, tenant=tenant, cost="kostenfrei")
    offer.topics.add(Topic.objects.get(code="klimaberufe"))
    with django_assert_max_num_queries(10):
        html = client.get(reverse("places:offer", args=[offer.pk])).content.decode()
    assert '"@type": "Course"' in html and "kostenfrei" in html and "Klimarelevante Berufe" in html
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("places:offers"), {"thema": "klimaberufe"}).content.decode()
    assert "1 Angebot gefunden" in listing


def test_widget_can_be_embedded_by_configured_origins(client, school_places, settings):
    settings.PLACES_WIDGET_ORIGINS = ["https://www.kassel.de"]
    response = client.get(reverse("places:widget"), {"gebiet": "06611"})
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    csp = response.headers["Content-Security-Policy"]
    assert re.search(r"frame-ancestors 'self' https://www\.kassel\.de", csp)
    assert "Stadt Kassel" in response.content.decode() or "Kassel" in response.content.decode()
    # Every other page stays unembeddable.
    other = client.get(reverse("places:map"))
    assert other.headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'self'" in other.headers[
        "Content-Security-Policy"]


def test_embed_page_gives_iframe_snippet_with_filter(client, school_places):
    html = client.get(reverse("places:embed"), {"gebiet": "06631", "kategorie": "grundschule"}).content.decode()
    assert "&lt;iframe src=&quot;http://testserver/lernorte/widget/?kategorie=grundschule&amp;gebiet=06631" \
        in html


def test_json_ld_cannot_be_broken_out_of(client, place_factory, tenant):
    place = place_factory(name="Kunst</script><script>alert(1)</script> & Co", tenant=tenant)
    html = client.get(reverse("places:detail", args=[place.pk])).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(block)["name"] == place.name
    assert "<script>alert" not in html
