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
    page.get_by_label("Land").select_option("06")
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
