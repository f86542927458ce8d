"""In a real browser: accessibility (axe-core from the axe-playwright-python package), keyboard-only
use, and the screenshots of the map with clusters, a filtered list, a detail page and the widget."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _serious(axe, page) -> list:
    results = axe.run(page)
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}]


def test_lernortkarte_in_the_browser(demo_data, browser_page, screenshot):
    """One test, because loading the demo into the live server dominates the time."""
    demo_has_the_real_schools_and_marks_synthetic_entries()
    accessibility_and_screenshots(browser_page, screenshot)
    keyboard_only_user_filters_and_opens_a_place(browser_page)


def demo_has_the_real_schools_and_marks_synthetic_entries():
    from bildungskette.places.models import LearningPlace, Offer

    assert LearningPlace.objects.filter(region__code="05911000", external_id__startswith="NRW-").count() == 97
    assert LearningPlace.objects.filter(kreis_code="06611", external_id__startswith="HE-").count() > 40
    assert LearningPlace.objects.filter(kreis_code="06631", external_id__startswith="HE-").count() > 40
    synthetic = LearningPlace.objects.filter(is_synthetic=True)
    assert synthetic.exists() and all("(Demo)" in p.name for p in synthetic)
    assert not LearningPlace.objects.filter(is_synthetic=True, external_id__startswith="NRW-").exists()
    e_craft = Offer.objects.get(title__startswith="E-Craft")
    assert e_craft.is_synthetic and set(e_craft.topics.values_list("code", flat=True)) >= {"klimaberufe", "bne"}


def _tab_to(page, condition: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(condition):
            return
    raise AssertionError(f"Mit Tab nicht erreichbar: {condition}")


def accessibility_and_screenshots(page, screenshot):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_module.Axe()

    page.goto(page.base_url + "/lernorte/?gebiet=05")
    page.wait_for_selector(".places-cluster")
    page.locator("#inview-list li").first.wait_for()  # (wait_for_function would need unsafe-eval)
    assert page.locator(".places-cluster").count() >= 5  # 5,400 NRW schools are clustered
    attribution = page.locator(".places-attribution").inner_text()
    assert "IT.NRW, Statistisches Landesamt, 2025" in attribution and "GeoBasis-DE / BKG" in attribution
    page.goto(page.base_url + "/lernorte/liste/?gebiet=05911000")
    assert "98 Lernorte gefunden" in page.get_by_role("status").first.inner_text()  # 97 schools + 1 synthetic
    assert page.locator(".tag--synthetic").count() == 1
    page.goto(page.base_url + "/lernorte/?gebiet=05")
    page.wait_for_selector(".places-cluster")
    assert not _serious(axe, page), _serious(axe, page)
    screenshot(page, "places-map-clusters")

    page.goto(page.base_url + "/lernorte/liste/?gebiet=05911&kategorie=beruflich")
    assert "9 Lernorte gefunden" in page.get_by_role("status").first.inner_text()
    assert not _serious(axe, page), _serious(axe, page)
    screenshot(page, "places-list-filtered")

    page.get_by_role("link", name="Berufskolleg", exact=False).first.click()
    page.wait_for_load_state()
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert not _serious(axe, page), _serious(axe, page)
    screenshot(page, "places-detail")

    page.goto(page.base_url + "/lernorte/einbetten/?gebiet=06611")
    frame = page.frame_locator("iframe.places-preview")
    frame.locator(".places-cluster, .places-point").first.wait_for()
    assert not _serious(axe, page), _serious(axe, page)
    page.goto(page.base_url + "/lernorte/widget/?gebiet=06611")
    page.wait_for_selector(".places-cluster, .places-point")
    assert not _serious(axe, page), _serious(axe, page)
    page.goto(page.base_url + "/lernorte/einbetten/?gebiet=06611")
    page.frame_locator("iframe.places-preview").locator(".places-cluster, .places-point").first.wait_for()
    page.wait_for_timeout(500)
    screenshot(page, "places-widget-embedded")


def keyboard_only_user_filters_and_opens_a_place(page):
    page.goto(page.base_url + "/lernorte/liste/")
    # Tab from the top of the page to the search field, type, move on to the category and choose it.
    _tab_to(page, "document.activeElement.id === 'f-q'")
    page.keyboard.type("Bochum")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-kategorie"
    page.keyboard.type("berufliche")  # typing selects the option in a focused <select>
    _tab_to(page, "document.activeElement.type === 'submit' && document.activeElement.textContent.trim() === 'Filtern'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/lernorte/liste/?q=Bochum&kategorie=beruflich")  # empty fields are left out
    status = page.get_by_role("status").first.inner_text()
    assert "9 Lernorte gefunden" in status
    # Tab on to the first result and open it with Enter.
    target = page.locator(".places-result a").first.inner_text()
    _tab_to(page, "document.activeElement.closest('.places-result') !== null")
    assert page.evaluate("document.activeElement.textContent").strip() == target
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == target
    assert "/lernorte/" in page.url
