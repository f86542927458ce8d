"""In a real browser: log in as the coordinator, see the start page and the Kassel region page."""

import pytest

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_coordinator_logs_in_and_sees_kassel(demo_data, browser_page, screenshot):
    page = browser_page
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "de"
    screenshot(page, "start-public")

    browser_login(page, "kassel.koordination", "Bildung-2026")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Guten Tag")
    assert "OloV-Region Kassel" in page.content()
    screenshot(page, "start-coordination")

    page.get_by_role("link", name="Kassel (Kreisfreie Stadt)", exact=True).first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Kassel (Kreisfreie Stadt)"
    assert page.get_by_test_id("population").inner_text() == "202.137"
    assert page.locator("svg.boundary-map path").count() >= 1
    screenshot(page, "region-kassel")


def test_keyboard_user_reaches_content_via_skip_link(demo_data, browser_page):
    page = browser_page
    page.goto(page.base_url + "/gebiete/06611/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Zum Inhalt springen" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"


def test_foundation_pages_have_no_serious_accessibility_violations(demo_data, browser_page):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = browser_page
    axe = axe_module.Axe()
    for path in ["/", "/anmelden/", "/gebiete/", "/gebiete/06611/", "/akteure/"]:
        page.goto(page.base_url + path)
        results = axe.run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
        assert not serious, f"{path}: {[(v['id'], v['help']) for v in serious]}"
