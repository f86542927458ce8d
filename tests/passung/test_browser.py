"""In the browser as Fulda's Azubi-Manager: pick "klimarelevante Berufe im Handwerk", read the Passung
matrix, open the recruitment list with its map, run the Messe allocation; axe finds nothing serious."""

import pytest

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _serious(page) -> list:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe_module.Axe().run(page)
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}]


def test_azubi_manager_matrix_recruit_messe(demo_data, browser_page, screenshot):
    page = browser_page
    browser_login(page, "fulda.azubi", "Bildung-2026")
    page.goto(f"{page.base_url}/")
    assert "Azubi-Recruiting" in page.content()

    page.goto(f"{page.base_url}/passung/")
    page.get_by_label("Berufsgruppe").select_option(label="klimarelevante Berufe im Handwerk")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_load_state()
    matrix = page.locator("#passung-matrix")
    assert "262 Energietechnik" in matrix.inner_text()
    assert "Synthetische Demodaten" in page.content()
    page.get_by_role("link", name="AubA %").click()
    page.wait_for_load_state()
    assert page.locator("th[aria-sort='descending']").inner_text().strip() == "AubA %"
    assert not _serious(page), _serious(page)
    screenshot(page, "passung-matrix")

    page.get_by_role("link", name="Wo rekrutieren?").click()
    page.wait_for_load_state()
    assert page.locator("svg.recruit-map path").count() > 5
    first = page.locator("#recruit-targets tbody tr").first.inner_text()
    assert first.startswith("1")
    assert not _serious(page), _serious(page)
    screenshot(page, "passung-recruit")

    page.get_by_role("link", name="Ausbildungsmessen").click()
    page.get_by_role("link", name="Mobile Ausbildungsmesse Landkreis Fulda (Demo)").click()
    page.get_by_role("button", name="Zuteilung berechnen").click()
    page.wait_for_load_state()
    summary = page.locator("#messe-summary").inner_text()
    assert "260 von 260 Schüler*innen haben 3 Gespräche" in summary
    assert "ausgebucht" in page.locator("#messe-plan").inner_text()
    assert not _serious(page), _serious(page)
    screenshot(page, "passung-messe", full_page=False)
