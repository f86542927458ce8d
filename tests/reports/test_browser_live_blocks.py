"""Browser test for the newer live blocks: Stadtteil map (social index), strategy goal status and network
facts are added by form, reordered with the keyboard (plain POST buttons), the title is edited, the
report is published; public page, Kleinräumig page and the PDF (structure check, first pages as PNG)."""

import io

import pypdfium2
import pytest

from tests.conftest import SCREENSHOTS, browser_login

from .pdfua import pdfua_problems
from .test_browser import _add_block


@pytest.mark.browser
@pytest.mark.django_db
def test_map_goals_network_blocks_reorder_and_publish(demo_data, browser_page, screenshot):
    page = browser_page
    browser_login(page, "kassel.koordination", "Bildung-2026")
    page.goto(page.base_url + "/berichte/bearbeiten/neu/")
    page.get_by_label("Titel").fill("Ausschussbericht Stadtteile")
    page.get_by_label("Gebiet (Regionalschlüssel)").fill("06611")
    page.get_by_label("Vorlage").select_option(label="Kurzbericht für den Ausschuss")
    page.get_by_role("button", name="Anlegen").click()
    page.wait_for_load_state()

    chapter = "Ausgangslage"
    _add_block(page, chapter, "network")
    _add_block(page, chapter, "goals")
    _add_block(page, chapter, "choropleth", **{"Kartenmerkmal": "Sozialindex"})
    figures = page.locator("figure.report-figure")
    assert figures.count() == 3
    assert figures.nth(2).locator("svg[role=img]").count() == 1
    assert "Sozialindex nach Stadtteilen" in figures.nth(2).inner_text()
    assert "SYNTHETISCHE DATEN" in figures.nth(2).locator("p.source-line").inner_text()
    assert "•" in figures.nth(2).locator("table").inner_text()  # Brasselsberg: small count suppressed

    # Keyboard only: focus the map's "nach oben" button and press Enter, twice.
    for _ in range(2):
        page.get_by_role("button", name="„Sozialindex nach Stadtteilen“ nach oben verschieben").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    titles = page.locator("figure.report-figure figcaption").all_inner_texts()
    assert titles[0].startswith("Sozialindex nach Stadtteilen") and titles[1].startswith("Bildungsnetzwerk in Zahlen")
    assert page.get_by_role("button", name="„Sozialindex nach Stadtteilen“ nach oben verschieben").count() == 0

    page.get_by_role("link", name="Titel und Angaben bearbeiten").click()
    page.get_by_label("Titel").fill("Ausschussbericht Stadtteile 2026")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Ausschussbericht Stadtteile 2026", level=1).is_visible()
    screenshot(page, "report-editor-live-blocks")

    for button in ("Zur Prüfung geben", "Freigeben", "Veröffentlichen"):
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
    page.get_by_role("link", name="öffentliche Ansicht").click()
    page.wait_for_load_state()
    public_url = page.url
    article = page.locator("article.report")
    assert article.locator("svg[role=img]").count() == 1 and "Methode" in article.inner_text()
    assert "Stand der Ziele" in article.inner_text() and "Bildungsnetzwerk in Zahlen" in article.inner_text()
    screenshot(page, "report-public-live-blocks")

    response = page.request.get(public_url + "bericht.pdf")
    problems, info = pdfua_problems(response.body(), title="Ausschussbericht Stadtteile 2026")
    assert problems == [] and len(info["figure_alts"]) == 1
    assert info["figure_alts"][0].startswith("Karte: Sozialindex der 23 Stadtteile von Kassel")
    doc = pypdfium2.PdfDocument(io.BytesIO(response.body()))
    for i in range(min(2, len(doc))):
        doc[i].render(scale=1.5).to_pil().save(SCREENSHOTS / f"report-live-blocks-pdf-page{i + 1}.png")
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "Methode" in text and "Sozialindex" in text

    page.goto(page.base_url + "/monitoring/kleinraeumig/")
    assert page.get_by_role("heading", name="Methode und Gewichte").is_visible()
    screenshot(page, "kleinraum")

    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for url in (public_url, page.base_url + "/monitoring/kleinraeumig/"):
        page.goto(url)
        violations = axe.run(page).response["violations"]
        serious = [(v["id"], v["impact"]) for v in violations if v["impact"] in ("serious", "critical")]
        assert serious == [], (url, serious)
