"""Embeddable charts, maps and tables: no login, no navigation, source line, table tab before the
chart; framing allowed only for the tenant's origins (CSP frame-ancestors); tenant admins manage them."""

from __future__ import annotations

import re

import pytest

from bildungskette.core.models import Role
from bildungskette.opendata import services
from bildungskette.opendata.models import EmbedOrigin

pytestmark = pytest.mark.django_db
CODE = "quote-ohne-hsa"
SOURCE = "© Statistische Ämter des Bundes und der Länder, Deutschland, 2025"


def frame_ancestors(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]+)", policy).group(1).split()


def test_indicator_embed_has_table_tab_before_chart_and_source(client, leavers, kassel_area):
    services.embed_origin_add(tenant=kassel_area, origin="https://www.kassel.example/bildung/seite.html")
    response = client.get(f"/offene-daten/einbetten/{kassel_area.slug}/indikator/{CODE}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert frame_ancestors(response) == ["'self'", "https://www.kassel.example"]
    assert "X-Frame-Options" not in response
    assert "main-nav" not in html and "Anmelden" not in html  # no navigation, no login
    assert html.index('id="tab-series-table"') < html.index('id="tab-series-chart"')
    assert html.index('id="panel-series-table"') < html.index('id="panel-series-chart"') < html.index("<svg")
    assert re.search(r"<th scope=\"row\">Kassel</th><td>Schuljahr 2022/23</td><td class=\"num\">8,8</td>", html)
    assert f"Quelle: {SOURCE}" in html


def test_other_tenants_origins_do_not_count(client, leavers, kassel_area, other_tenant):
    services.embed_origin_add(tenant=other_tenant, origin="https://www.bochum.example")
    response = client.get(f"/offene-daten/einbetten/{kassel_area.slug}/indikator/{CODE}/")
    assert frame_ancestors(response) == ["'self'"]
    normal_page = client.get(f"/monitoring/indikatoren/{CODE}/?gebiet=06611")
    assert frame_ancestors(normal_page) == ["'self'"] and normal_page["X-Frame-Options"] == "DENY"


def test_svg_image_map_and_places_embeds(client, leavers, kassel_area, place_in_kassel):
    svg = client.get(f"/offene-daten/einbetten/{kassel_area.slug}/indikator/{CODE}.svg")
    assert svg["Content-Type"].startswith("image/svg+xml") and svg.content.lstrip().startswith(b"<svg")
    assert SOURCE.encode() in svg.content
    karte = client.get(f"/offene-daten/einbetten/{kassel_area.slug}/karte/{CODE}/?land=06")
    html = karte.content.decode()
    assert karte.status_code == 200 and html.count("<path d=") == 26 and "Offenbach am Main" in html
    assert html.index('id="panel-map-table"') < html.index('class="choropleth"') and "GeoBasis-DE" in html
    places = client.get(f"/offene-daten/einbetten/{kassel_area.slug}/lernorte/?gebiet=06611")
    assert "Stadtbibliothek Kassel" in places.content.decode() and frame_ancestors(places) == ["'self'"]
    assert client.get("/offene-daten/einbetten/unbekannt/lernorte/").status_code == 404
    assert client.get(f"/offene-daten/einbetten/{kassel_area.slug}/indikator/gibt-es-nicht/").status_code == 404


@pytest.fixture
def place_in_kassel(place_factory, tenant):
    return place_factory(name="Stadtbibliothek Kassel", tenant=tenant)


@pytest.fixture
def place_factory(db):
    from bildungskette.places.models import Category, LearningPlace
    from bildungskette.places.services import PlaceLocator

    def make(name, tenant=None, lat=51.3127, lon=9.4797):
        location = PlaceLocator().locate(lat, lon)
        category = Category.objects.get(code="bibliothek")
        place = LearningPlace.objects.create(name=name, category=category, tenant=tenant, latitude=lat, longitude=lon,
                                             region=location.gemeinde, kreis_code=location.kreis_code,
                                             source="Testdaten", licence="CC0")
        place.categories.add(category)
        return place

    return make


def test_tenant_admin_manages_allowed_origins(client, leavers, kassel_area, make_user, other_tenant):
    admin = make_user(role=Role.TENANT_ADMIN, tenant=kassel_area)
    coordination = make_user(role=Role.COORDINATION, tenant=kassel_area)
    client.force_login(coordination)
    assert client.get("/offene-daten/einbetten/erlaubte-websites/").status_code == 403
    client.force_login(admin)
    page = client.get("/offene-daten/einbetten/erlaubte-websites/").content.decode()
    assert "&lt;iframe src=&quot;http://testserver/offene-daten/einbetten/olov-kassel/indikator/" in page
    assert ".svg" in page  # the no-iframe image snippet
    response = client.post("/offene-daten/einbetten/erlaubte-websites/", {"origin": "HTTPS://Www.Kassel.example:8443/x"})
    assert response.status_code == 302
    assert list(EmbedOrigin.objects.values_list("tenant__slug", "origin")) == [
        ("olov-kassel", "https://www.kassel.example:8443")]
    bad = client.post("/offene-daten/einbetten/erlaubte-websites/", {"origin": "javascript:alert(1)"})
    assert "Bitte eine Adresse wie https://www.beispiel.de angeben." in bad.content.decode()
    other = services.embed_origin_add(tenant=other_tenant, origin="https://bochum.example")
    client.post("/offene-daten/einbetten/erlaubte-websites/", {"remove": str(other.pk)})
    assert EmbedOrigin.objects.filter(pk=other.pk).exists()  # not this tenant's entry
    own = EmbedOrigin.objects.get(tenant=kassel_area)
    client.post("/offene-daten/einbetten/erlaubte-websites/", {"remove": str(own.pk)})
    assert not EmbedOrigin.objects.filter(tenant=kassel_area).exists()


def test_indicator_page_shows_table_tab_first_and_the_embed_snippet(client, leavers, kassel_area, make_user):
    client.force_login(make_user(role=Role.COORDINATION, tenant=kassel_area))
    html = client.get(f"/monitoring/indikatoren/{CODE}/?gebiet=06611").content.decode()
    for key in ("series", "compare"):
        assert html.index(f'id="tab-{key}-table"') < html.index(f'id="tab-{key}-chart"')
        table, chart = html.index(f'id="panel-{key}-table"'), html.index(f'id="panel-{key}-chart"')
        assert table < html.index("<table", table) < chart < html.index("<svg", chart)
    assert ("&lt;iframe src=&quot;http://testserver/offene-daten/einbetten/olov-kassel/indikator/"
            f"{CODE}/?gebiet=06611&quot;") in html
    assert f"/offene-daten/einbetten/olov-kassel/indikator/{CODE}.svg?gebiet=06611" in html
