"""Pages a user sees: every list and indicator page with a bounded number of queries."""

import io

import pypdfium2
import pytest
from openpyxl import load_workbook

from bildungskette.core.models import Role
from bildungskette.monitoring.models import ImportRun, Indicator, Value
from bildungskette.regions.selectors import region_by_code
from bildungskette.regions.services import region_group_create, tenant_area_set

from .conftest import GENESIS

SOURCE_LINE = "© Statistische Ämter des Bundes und der Länder, Deutschland, 2025"


@pytest.fixture
def data(leavers, kassel_seed):
    return None


@pytest.mark.django_db
def test_catalogue_lists_the_nine_themes(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/monitoring/")
    text = response.content.decode()
    for theme in ["Rahmenbedingungen", "Frühkindliche Bildung", "Bildungsnetzwerke/-beratung", "Weiterbildung"]:
        assert theme in text
    assert "Quote der Abgänger*innen ohne Hauptschulabschluss" in text


@pytest.mark.django_db
def test_indicator_page_shows_value_comparison_ranking_and_source(client, data, django_assert_max_num_queries):
    from bildungskette.core.charts import _render

    _render.cache_clear()
    # 10 for the page; a chart not yet cached costs one read and five writes in the chart cache.
    with django_assert_max_num_queries(11 + 2 * 6):  # +1: the footer's lookup of whose legal pages to link
        response = client.get("/monitoring/indikatoren/quote-ohne-hsa/?gebiet=06611")
    text = response.content.decode()
    assert response.status_code == 200
    assert "8,8" in text and "<svg" in text and 'role="img"' in text
    assert "Hessen" in text and "Deutschland" in text  # comparison with the parent regions
    assert "Rangfolge der Kreise in Hessen" in text
    assert SOURCE_LINE in text
    assert "aus gerundeten Eingangswerten" in text  # Deutschland contains rounded Länder


@pytest.mark.django_db
def test_indicator_page_with_picked_peers(client, data):
    response = client.get("/monitoring/indikatoren/quote-ohne-hsa/?gebiet=06611&vergleich=05911,03101")
    text = response.content.decode()
    assert "Bochum" in text and "Braunschweig" in text


@pytest.mark.django_db
def test_seed_ratios_on_the_indicator_page(client, data):
    text = client.get("/monitoring/indikatoren/stellen-je-bewerber/?gebiet=06611").content.decode()
    assert "1,08" in text and "Stadt Kassel, OloV-Forum 2019" in text
    text = client.get("/monitoring/indikatoren/unbesetzte-je-unversorgte/?gebiet=06611").content.decode()
    assert "0,91" in text


@pytest.mark.django_db
def test_kreis_with_dot_shows_no_value_on_the_map(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/monitoring/indikatoren/anteil-mit-fachhochschulreife/karte/?land=03")
    text = response.content.decode()
    assert "kein Wert" in text and "„.“" in text
    assert ">0,0<" not in text


@pytest.mark.django_db
def test_choropleth_of_hessen_has_legend_and_table(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/monitoring/indikatoren/quote-ohne-hsa/karte/?land=06")
    text = response.content.decode()
    assert text.count('stroke-width="0.5"><title>') == 26
    assert "Legende" in text and "Tabelle zur Karte" in text and "Offenbach am Main" in text
    assert "© GeoBasis-DE / BKG 2019" in text and SOURCE_LINE in text


@pytest.mark.django_db
def test_map_of_germany_draws_all_kreise(client, data):
    text = client.get("/monitoring/indikatoren/quote-ohne-hsa/karte/?land=DG").content.decode()
    assert text.count('stroke-width="0.5"><title>') == 401


@pytest.mark.django_db
def test_downloads_carry_the_source_line(client, data):
    response = client.get("/monitoring/indikatoren/quote-ohne-hsa/daten.csv?gebiet=06611")
    text = response.content.decode("utf-8-sig")
    assert "Kassel (Kreisfreie Stadt);06611;Schuljahr 2022/23;8,8;%" in text
    assert f"Quelle: {SOURCE_LINE}" in text
    assert "Datenstand: Stand 13.03.2025, importiert" in text
    response = client.get("/monitoring/indikatoren/quote-ohne-hsa/karte/?land=06&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Kassel (Kreisfreie Stadt)" in cells and "Kassel (Landkreis)" in cells
    assert any(SOURCE_LINE in c for c in cells)
    assert any("GeoBasis" in c for c in cells)


@pytest.mark.django_db
def test_datasheet_kassel_html_and_pdf(client, data, django_assert_max_num_queries):
    from bildungskette.core.charts import _render

    _render.cache_clear()
    # 15 for the page, +1 for the footer's lookup of whose legal pages to link, six for its chart
    # when the chart cache does not have it yet.
    with django_assert_max_num_queries(16 + 6):
        response = client.get("/monitoring/datenblatt/06611/")
    text = response.content.decode()
    for expected in [
        "1.630",
        "1.323",
        "307",
        "1.766",
        "279",
        "1,08",
        "0,91",
        "12,6 %",
        "13,6 %",
        "8,8 %",
        "August 2019",
        "April 2019",
        "Hessen",
        "6,0 %",  # the Land's share carries its unit like Kassel's
    ]:
        assert expected in text, expected
    assert "Stadt Kassel, OloV-Forum 2019" in text and SOURCE_LINE in text
    pdf = client.get("/monitoring/datenblatt/06611/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    doc = pypdfium2.PdfDocument(pdf.content)
    first = doc[0].get_textpage().get_text_range()
    assert "Datenblatt Kassel" in first and "1.630" in first and "1,08" in first and "0,91" in first
    assert "6,0 %" in first
    everything = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "Stadt Kassel, OloV-Forum 2019" in everything.replace("\r\n", " ")
    assert len(doc) <= 2


@pytest.mark.django_db
def test_sources_list_and_detail(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/monitoring/quellen/")
    assert "21111-02-06-4" in response.content.decode()
    with django_assert_max_num_queries(10):
        response = client.get("/monitoring/quellen/genesis-21111-02-06-4/?gebiet=03101")
    text = response.content.decode()
    assert "kein Wert (.)" in text and "Fußnoten" in text


@pytest.mark.django_db
def test_group_region_datasheet_for_the_olov_region(client_as, make_user, tenant, data):
    olov = region_group_create(
        tenant=tenant,
        code="olov-kassel",
        name="OloV-Region Kassel",
        members=[region_by_code("06611"), region_by_code("06633")],
    )
    tenant_area_set(tenant=tenant, regions=[olov], primary=olov)
    client = client_as(make_user(role=Role.COORDINATION, tenant=tenant))
    text = client.get("/monitoring/datenblatt/olov-kassel/").content.decode()
    assert "Datenblatt OloV-Region Kassel" in text
    # (165 + 93) of (1,870 + 2,075) leavers in Stadt and Landkreis Kassel → 6.5 %
    assert "6,5 %" in text
    start = client.get("/").content.decode()
    assert "Datenblatt für die Steuerungsgruppe" in start and "/monitoring/datenblatt/olov-kassel/" in start


@pytest.mark.django_db
def test_internal_indicator_hidden_from_public_and_other_tenants(
    client, client_as, make_user, tenant, other_tenant, data
):
    from bildungskette.monitoring.services import indicator_create

    indicator_create(
        code="intern-test", name="Interner Test", numerator='wert("ba.bewerber")', tenant=tenant, visibility="internal"
    )
    assert client.get("/monitoring/indikatoren/intern-test/").status_code == 404
    assert client.get("/api/monitoring/indicators/intern-test/results?region=06611").status_code == 404
    other = client_as(make_user(role=Role.MONITORING, tenant=other_tenant))
    assert other.get("/monitoring/indikatoren/intern-test/").status_code == 404
    own = client_as(make_user(role=Role.COORDINATION, tenant=tenant))
    assert own.get("/monitoring/indikatoren/intern-test/?gebiet=06611").status_code == 200


@pytest.mark.django_db
def test_monitoring_role_creates_indicator_with_live_preview(client_as, make_user, tenant, data):
    client = client_as(make_user(role=Role.MONITORING, tenant=tenant))
    preview = client.get(
        "/monitoring/indikatoren/vorschau/",
        {
            "numerator": 'wert("ba.stellen.unbesetzt")',
            "denominator": 'wert("ba.bewerber")',
            "factor": "100",
            "decimals": "1",
            "gebiet": "06611",
        },
    ).json()
    assert preview["ok"] and preview["results"][-1]["value"] == "17,1"
    bad = client.get("/monitoring/indikatoren/vorschau/", {"numerator": 'wert("gibt.es.nicht")'}).json()
    assert not bad["ok"] and "Merkmal „gibt.es.nicht“ ist unbekannt." in bad["problems"]
    response = client.post(
        "/monitoring/indikatoren/neu/",
        {
            "code": "unbesetzt-je-100",
            "name": "Unbesetzte je 100 Bewerber",
            "theme": "E",
            "indicator_type": "kern",
            "numerator": 'wert("ba.stellen.unbesetzt")',
            "denominator": 'wert("ba.bewerber")',
            "factor": "100",
            "unit": "%",
            "decimals": "1",
            "direction": "neutral",
            "visibility": "internal",
        },
    )
    assert response.status_code == 302
    assert Indicator.objects.get(code="unbesetzt-je-100").tenant == tenant
    response = client.post(
        "/monitoring/indikatoren/neu/",
        {
            "code": "kaputt",
            "name": "Kaputt",
            "theme": "E",
            "indicator_type": "kern",
            "numerator": "bewerber / 2",
            "factor": "1",
            "decimals": "1",
            "direction": "neutral",
            "visibility": "public",
        },
    )
    assert "Merkmale werden als wert" in response.content.decode()


@pytest.mark.django_db
def test_partner_cannot_create_indicators_or_import(client_as, make_user, tenant, data):
    client = client_as(make_user(role=Role.COORDINATION, tenant=tenant))
    assert client.get("/monitoring/indikatoren/neu/").status_code == 403
    assert client.get("/monitoring/importe/").status_code == 403
    monitoring = make_user(role=Role.MONITORING, tenant=tenant)
    assert not monitoring.has_perm("monitoring.change_indicator", Indicator.objects.get(code="anr"))


@pytest.mark.django_db
def test_upload_preview_confirm_and_progress(client_as, make_user, tenant, catalogue, django_assert_max_num_queries):
    client = client_as(make_user(role=Role.MONITORING, tenant=tenant))
    with (GENESIS / "21121-02-02-4.csv").open("rb") as fh:
        response = client.post("/monitoring/importe/", {"file": fh, "format": "auto"})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and run.status == "preview"
    assert Value.objects.count() == 0  # the preview stores nothing
    text = client.get(f"/monitoring/importe/{run.pk}/").content.decode()
    assert "Import bestätigen" in text and "Fachhochschulreife" in text
    client.post(f"/monitoring/importe/{run.pk}/starten/")
    run.refresh_from_db()
    assert run.status == "done" and Value.objects.count() == 538 * 12
    status = client.get(f"/monitoring/importe/{run.pk}/status/").json()
    assert status["progress"] == 100 and status["report"]["created"] == 538 * 12
    with django_assert_max_num_queries(10):
        assert client.get("/monitoring/importe/").status_code == 200


@pytest.mark.django_db
def test_upload_of_a_bad_file_is_rejected_in_german(client_as, make_user, tenant, catalogue, tmp_path):
    client = client_as(make_user(role=Role.MONITORING, tenant=tenant))
    bad = tmp_path / "kaputt.csv"
    bad.write_bytes("GENESIS-Tabelle: 1\nTitel;;\n;;;A\n2023;06611;Kassel;zwölf\n".encode("iso-8859-1"))
    with bad.open("rb") as fh:
        response = client.post("/monitoring/importe/", {"file": fh, "format": "genesis"})
    text = response.content.decode()
    assert "Die Datei wurde abgelehnt, nichts wurde gespeichert" in text and "Zeile" in text
    assert Value.objects.count() == 0 and ImportRun.objects.count() == 0


@pytest.mark.django_db
def test_rules_page_lists_violations(client_as, make_user, tenant, data, django_assert_max_num_queries):
    client = client_as(make_user(role=Role.MONITORING, tenant=tenant))
    with django_assert_max_num_queries(25):
        text = client.get("/monitoring/pruefregeln/").content.decode()
    assert "Die fünf Abschlussarten ergeben alle Absolvierenden/Abgehenden" in text
    assert "Abweichung durch Rundung möglich" in text


@pytest.mark.django_db
def test_indicator_page_costs_the_same_few_queries_signed_in_and_anonymous(client_as, client, demo_data):
    """The signed-in start view of an indicator (the tenant's OloV region, ranked within Hessen) once
    took 20× the anonymous one: outlines of every Kreis of the Land were loaded for a ranking table,
    the data state cost a query per source, and the tenant region's charts were never cached. The
    counts are pinned with the charts in the shared cache but not in this process's LRU."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bildungskette.core.charts import _render

    url = "/monitoring/indikatoren/quote-ohne-hsa/"
    pages = {}
    # Anonymous 10: indicator, region, statistics (2), periods, values, two chart-cache lookups, sources
    # and the footer's tenant (whose legal pages to link); signed in adds session, user and roles.
    for who, limit in [(None, 10), ("kassel.monitoring", 21)]:
        browser = client_as(get_user_model().objects.get(username=who)) if who else client
        assert browser.get(url).status_code == 200  # charts into the shared cache
        _render.cache_clear()
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(url)
        assert response.status_code == 200
        assert len(queries) <= limit, "\n".join(q["sql"][:120] for q in queries.captured_queries)
        loaded_outlines = [q["sql"] for q in queries.captured_queries if '"regions_region"."boundary",' in q["sql"]
                           or '"regions_region"."boundary" FROM' in q["sql"]]
        assert loaded_outlines == []
        pages[who] = response.content.decode()
        client.logout()
    assert "Rangfolge der Kreise in Hessen" in pages["kassel.monitoring"]
    assert len(pages["kassel.monitoring"]) < 3 * len(pages[None])
