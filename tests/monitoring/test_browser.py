"""Browser test: what a monitoring user sees, with screenshots for docs/screenshots/."""

import io

import pypdfium2
import pytest

from bildungskette.monitoring.models import Source, Value
from tests.conftest import SCREENSHOTS, browser_login


@pytest.mark.browser
@pytest.mark.django_db
def test_indicator_map_and_datasheet_in_the_browser(demo_data, browser_page, screenshot):
    # The demo imported all three real GENESIS tables completely.
    assert Value.objects.filter(source__table_code="21111-02-06-4").count() == 538 * 14
    assert Value.objects.filter(source__table_code="21121-02-02-4").count() == 538 * 12
    assert Value.objects.filter(source__table_code="21111-01-03-4").count() == 6456 * 6
    assert Source.objects.get(code="synthetisch-ausbildungsmarkt-demo").is_synthetic

    page = browser_page
    browser_login(page, "kassel.monitoring", "Bildung-2026")
    assert page.get_by_role("heading", name="Bildungsmonitoring: Daten und Indikatoren").is_visible()
    page.get_by_role("link", name="Monitoring", exact=True).click()
    page.get_by_role("link", name="Berufsausbildungsstellen je Bewerber*in").click()
    page.get_by_label("Gebiet (Regionalschlüssel)").fill("06611")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Zeitreihe").is_visible()
    assert page.locator("svg[role=img]").count() >= 2  # time series and comparison
    assert "1,08" in page.content() and "Enthält synthetische Daten" in page.content()
    assert page.get_by_role("rowheader", name="Hessen").count() >= 1
    screenshot(page, "monitoring-indicator")

    page.get_by_role("link", name="Karte der Kreise").click()
    page.get_by_label("Land", exact=True).select_option("06")
    page.get_by_label("Zeitraum").select_option(index=0)
    page.get_by_role("button", name="Anzeigen").click()
    page.goto(page.base_url + "/monitoring/indikatoren/quote-ohne-hsa/karte/?land=06")
    assert page.get_by_role("heading", name="Legende (%)").is_visible()
    assert page.locator("svg.choropleth path").count() == 26
    assert page.get_by_role("heading", name="Tabelle zur Karte").is_visible()
    screenshot(page, "monitoring-choropleth-hessen")

    page.goto(page.base_url + "/monitoring/datenblatt/06611/")
    assert page.get_by_role("heading", name="Datenblatt Kassel").is_visible()
    assert "0,91" in page.content() and "Stadt Kassel, OloV-Forum 2019" in page.content()
    screenshot(page, "monitoring-datasheet-kassel")

    response = page.request.get(page.base_url + "/monitoring/datenblatt/06611/?format=pdf")
    assert response.headers["content-type"] == "application/pdf"
    doc = pypdfium2.PdfDocument(io.BytesIO(response.body()))
    assert "Datenblatt Kassel" in doc[0].get_textpage().get_text_range()
    doc[0].render(scale=1.5).to_pil().save(SCREENSHOTS / "monitoring-datasheet-kassel-pdf.png")

    # Accessibility: no serious or critical axe findings on the monitoring pages.
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for url in [
        "/monitoring/",
        "/monitoring/indikatoren/quote-ohne-hsa/?gebiet=06611",
        "/monitoring/indikatoren/quote-ohne-hsa/karte/?land=06",
        "/monitoring/datenblatt/06611/",
    ]:
        page.goto(page.base_url + url)
        violations = axe.run(page).response["violations"]
        serious = [(v["id"], v["impact"]) for v in violations if v["impact"] in ("serious", "critical")]
        assert serious == [], (url, serious)

    # Keyboard: the map's Kreise are links that can be reached with Tab.
    page.goto(page.base_url + "/monitoring/indikatoren/quote-ohne-hsa/karte/?land=06")
    page.locator("svg.choropleth a").first.focus()
    assert page.evaluate("document.activeElement.closest('svg') !== null")


@pytest.mark.browser
@pytest.mark.django_db
def test_stadt_and_landkreis_kassel_are_two_bars_and_two_series(demo_data, browser_page, screenshot):
    """The issue's case: Stadt Kassel (06611) compared with Landkreis Kassel (06633) – two labelled bars
    and two lines with their own values, not one bar "Kassel" of their sum."""
    page = browser_page
    browser_login(page, "kassel.koordination", "Bildung-2026")
    page.goto(page.base_url + "/monitoring/indikatoren/quote-ohne-hsa/?gebiet=06611")
    page.get_by_label("Vergleichsgebiete (Schlüssel, mit Komma)").fill("06633")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Quote der Abgänger*innen ohne Hauptschulabschluss").is_visible()
    series, comparison = page.locator("figure.chart svg").nth(0), page.locator("figure.chart svg").nth(1)
    # Vega-Lite writes one aria-label per mark: the bars and the series points carry region and value.
    bars = comparison.locator("[aria-roledescription=bar]")
    labels = [bars.nth(i).get_attribute("aria-label") for i in range(bars.count())]
    stadt = [a for a in labels if "Kassel (Kreisfreie Stadt)" in a]
    kreis = [a for a in labels if "Kassel (Landkreis)" in a]
    assert len(stadt) == 1 and "8,8" in stadt[0]
    assert len(kreis) == 1 and "4,5" in kreis[0]
    assert not [a for a in labels if "Gebiet: Kassel;" in a or a.endswith("Gebiet: Kassel")]
    points = series.locator("[aria-roledescription=point]")
    point_labels = [points.nth(i).get_attribute("aria-label") for i in range(points.count())]
    assert any("Kassel (Kreisfreie Stadt)" in a and "8,8" in a for a in point_labels)
    assert any("Kassel (Landkreis)" in a and "4,5" in a for a in point_labels)
    # The table says the same, each row with its designation.
    assert page.get_by_role("rowheader", name="Kassel (Kreisfreie Stadt)").count() >= 1
    assert page.get_by_role("rowheader", name="Kassel (Landkreis)").count() >= 1
    screenshot(page, "monitoring-compare-kassel")


@pytest.mark.browser
@pytest.mark.django_db
def test_datasheet_of_the_olov_region_in_the_browser(demo_data, browser_page, screenshot):
    page = browser_page
    browser_login(page, "kassel.koordination", "Bildung-2026")
    page.goto(page.base_url + "/monitoring/datenblatt/olov-kassel/")
    assert page.get_by_role("heading", name="Datenblatt OloV-Region Kassel").is_visible()
    members = page.get_by_test_id("group-members")
    assert "Kassel (Kreisfreie Stadt)" in members.inner_text() and "Kassel (Landkreis)" in members.inner_text()
    text = page.content()
    # (165 + 93) of (1,870 + 2,075) leavers → 6.5 %, compared with Hessen; no internal codes.
    assert "6,5 %" in text and "Vergleich mit Hessen" in text
    assert "kein Wert für" not in text and "bibb.naa" not in text
    screenshot(page, "monitoring-datasheet-olov-region")
