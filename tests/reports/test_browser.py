"""Browser test: compose a report from the Leitfaden template for Kassel, publish it, import a revised
official value; the published report stays as published, the refreshed draft shows the difference."""

import io

import pypdfium2
import pytest

from bildungskette.monitoring.importers import import_file
from tests.conftest import SCREENSHOTS, browser_login

from .conftest import revised_leavers
from .pdfua import pdfua_problems


def _add_block(page, chapter: str, kind: str, **fields):
    box = page.locator("details.block-add", has_text=f"Block zu „{chapter}“ hinzufügen")
    box.locator("summary").click()
    box.get_by_label("Art des Blocks").select_option(kind)
    for label, value in fields.items():
        field = box.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    box.get_by_role("button", name="Hinzufügen").click()
    page.wait_for_load_state()
    assert "Block hinzugefügt." in page.content()


@pytest.mark.browser
@pytest.mark.django_db
def test_compose_publish_revise_refresh(demo_data, browser_page, screenshot, tmp_path):
    page = browser_page
    # The demo's published short report makes /berichte/ non-empty for the public.
    page.goto(page.base_url + "/berichte/")
    assert page.get_by_role("link", name="Kurzbericht Übergang Schule–Beruf").is_visible()

    browser_login(page, "kassel.koordination", "Bildung-2026")
    page.goto(page.base_url + "/berichte/")
    page.get_by_role("link", name="Neuer Bericht").click()
    page.get_by_label("Titel").fill("Bildungsbericht Kassel 2026")
    page.get_by_label("Gebiet (Regionalschlüssel)").fill("06611")
    page.get_by_label("Vorlage").select_option(label="Bildungsbericht nach Anwendungsleitfaden")
    page.get_by_role("button", name="Anlegen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Bildungsbericht Kassel 2026").is_visible()
    for chapter in ("Rahmenbedingungen", "Frühkindliche Bildung", "Hochschulen", "Bildungsnetzwerke/-beratung"):
        assert page.get_by_role("heading", name=chapter).count() == 1

    chapter = "Allgemeinbildende Schulen"
    _add_block(page, chapter, "text", **{"Überschrift": "Schulabschlüsse in Kassel",
                                         "Text (Markdown)": "Wie viele verlassen die Schule **ohne** Abschluss?"})
    _add_block(page, chapter, "chart", **{"Indikator": "quote-ohne-hsa"})
    _add_block(page, chapter, "table", **{"Indikator": "quote-ohne-hsa", "Überschrift": "Quote als Tabelle"})
    _add_block(page, chapter, "datasheet", **{"Datenblatt-Abschnitt": "Schulabschlüsse"})
    assert page.locator("strong", has_text="ohne").count() >= 1
    assert page.locator("figure.report-figure").count() == 3
    assert page.locator("figure svg[role=img]").count() == 1

    for button in ("Zur Prüfung geben", "Freigeben", "Veröffentlichen"):
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "veröffentlicht"

    # Kassel 2023 in 21111-02-06-4: 165 / 1,870 = 8.8 %. Now the revised table: 186 / 1,870 = 9.9 %.
    report = import_file(revised_leavers(tmp_path), fmt="genesis")
    assert report.updated == 1

    page.get_by_role("link", name="öffentliche Ansicht").click()
    page.wait_for_load_state()
    public_url = page.url
    table = page.locator("table", has=page.locator("caption", has_text="Quote als Tabelle"))
    assert table.locator("td.num").first.inner_text().startswith("8,8")
    assert "9,9" not in page.locator("article.report").inner_text()
    assert page.get_by_role("navigation", name="Inhalt").get_by_role("link", name="Quote als Tabelle").count() == 1
    assert page.locator("p.source-line").count() == 3
    assert "Datenlizenz Deutschland" in page.locator("p.source-line").first.inner_text()
    screenshot(page, "report-public")

    page.go_back()
    page.get_by_role("button", name="Neue Fassung beginnen").click()
    page.get_by_role("button", name="Daten aktualisieren").click()
    page.wait_for_load_state()
    changes = page.locator("section.refresh-changes tbody tr")
    assert changes.count() == 3
    assert {changes.nth(i).locator("td").nth(1).inner_text() + "→" + changes.nth(i).locator("td").nth(2).inner_text()
            for i in range(3)} == {"8,8→9,9"}
    table = page.locator("table", has=page.locator("caption", has_text="Quote als Tabelle"))
    assert table.locator("td.num").first.inner_text().startswith("9,9")
    screenshot(page, "report-editor")

    # The published version did not move.
    page.goto(public_url)
    assert "9,9" not in page.locator("article.report").inner_text()
    assert page.locator("article.report").inner_text().count("8,8") >= 3

    response = page.request.get(public_url + "bericht.pdf")
    assert response.headers["content-type"] == "application/pdf"
    problems, info = pdfua_problems(response.body(), title="Bildungsbericht Kassel 2026")
    assert problems == [] and len(info["figure_alts"]) == 1
    doc = pypdfium2.PdfDocument(io.BytesIO(response.body()))
    doc[0].render(scale=1.5).to_pil().save(SCREENSHOTS / "report-pdf-page1.png")
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "8,8" in text and "9,9" not in text

    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for url in (public_url, page.base_url + "/berichte/", page.base_url + "/berichte/katalog/"):
        page.goto(url)
        violations = axe.run(page).response["violations"]
        serious = [(v["id"], v["impact"]) for v in violations if v["impact"] in ("serious", "critical")]
        assert serious == [], (url, serious)
