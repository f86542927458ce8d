import pytest

from bildungskette.core.models import Role

pytestmark = pytest.mark.django_db


def test_kassel_page_shows_population_and_boundary_map(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/gebiete/06611/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "202.137" in html  # German thousands separator
    assert '<svg class="boundary-map"' in html and "<path" in html
    assert "© GeoBasis-DE / BKG 2019" in html


def test_land_page_lists_kreise_paginated(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/gebiete/066/")
    assert response.status_code == 200
    assert "Landkreis" in response.content.decode()


def test_region_search(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/gebiete/?q=Fulda")
    assert "06631" in response.content.decode()


def test_group_region_is_visible_only_in_its_tenant(client, client_as, make_user, tenant, other_tenant):
    from bildungskette.regions.selectors import region_by_code
    from bildungskette.regions.services import region_group_create

    region_group_create(tenant=tenant, code="olov-kassel", name="OloV-Region Kassel",
                        members=[region_by_code("06611"), region_by_code("06633")])
    assert client.get("/gebiete/olov-kassel/").status_code == 404
    outsider = make_user(role=Role.COORDINATION, tenant=other_tenant)
    assert client_as(outsider).get("/gebiete/olov-kassel/").status_code == 404
    insider = make_user(role=Role.COORDINATION, tenant=tenant)
    response = client_as(insider).get("/gebiete/olov-kassel/")
    assert response.status_code == 200
    assert "Landkreis" in response.content.decode() and "Mitglieder" in response.content.decode()


def test_stadtteil_upload_needs_staff_role(client_as, make_user, tenant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    partner = make_user(role=Role.PARTNER, tenant=tenant)
    upload = SimpleUploadedFile("st.geojson", b'{"type": "FeatureCollection", "features": []}')
    assert client_as(partner).post("/gebiete/06611000/stadtteile/", {"file": upload}).status_code == 403


def test_landkreis_page_names_gemeinden_designation_and_leads_on(client):
    html = client.get("/gebiete/06633/").content.decode()
    # Gemeinden by their official names, never "Gemeinde 06633001".
    assert ">Ahnatal</a>" in html and ">Baunatal</a>" in html
    assert "Gemeinde 0663" not in html
    # Stadt and Landkreis Kassel (and the Regierungsbezirk) read differently: title, breadcrumb.
    assert "<h1>Kassel (Landkreis)</h1>" in html
    assert ">Kassel (Regierungsbezirk)</a></li>" in html and 'aria-current="page">Kassel (Landkreis)</li>' in html
    # The page leads on to the region's Datenblatt, its indicators and its Lernorte.
    assert 'href="/monitoring/datenblatt/06633/"' in html
    assert 'href="/monitoring/?gebiet=06633"' in html
    assert 'href="/lernorte/liste/?gebiet=06633"' in html


def test_former_kreis_page_points_to_todays_kreis(client):
    html = client.get("/gebiete/03156/").content.decode()
    assert "Osterode am Harz (Landkreis), bis 2016" in html
    assert "31.10.2016" in html and 'href="/gebiete/03159/"' in html
