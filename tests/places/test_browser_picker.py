"""In a real browser: a Lernort is created from its address, put in place with the map picker using
only the keyboard, and found on the public map."""

import pytest

from bildungskette.core.models import Role
from tests.browser.accessibility import page_checked
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Lernorte-Lippe-2026"  # noqa: S105


def _tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.locator(selector).evaluate_all("(els) => els.includes(document.activeElement)"):
            return
    raise AssertionError(f"Mit Tab nicht erreichbar: {selector}")


def test_place_from_address_fixed_with_the_keyboard_and_found_on_the_map(browser_page, screenshot, make_user,
                                                                         tenant_factory):
    from bildungskette.organisations.models import Organisation
    from bildungskette.places.models import LearningPlace
    from bildungskette.regions.selectors import region_by_code
    from bildungskette.regions.services import tenant_area_set

    lippe = tenant_factory("kreis-lippe", "Kreis Lippe", land_code="05")
    tenant_area_set(tenant=lippe, regions=[region_by_code("05766")], primary=region_by_code("05766"))
    Organisation.objects.create(tenant=lippe, name="Bildungsbüro Lippe")
    make_user(role=Role.COORDINATION, tenant=lippe, username="lernorte.lippe", password=PASSWORD)

    page = browser_page
    browser_login(page, "lernorte.lippe", PASSWORD)
    page.goto(page.base_url + "/lernorte/neu/")
    page.get_by_label("Name").first.fill("Lernwerkstatt Detmold")
    page.get_by_label("Kategorie").select_option(index=1)
    page.get_by_label("Träger / Betreiber").select_option(label="Bildungsbüro Lippe")
    page.get_by_label("Straße und Hausnummer").fill("Lange Straße 1")
    page.get_by_label("PLZ").fill("32756")
    page.get_by_label("Ort").first.fill("Detmold")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()
    assert "Die Position ist vorläufig der Mittelpunkt" in page.locator(".messages").inner_text()
    start_lat = float(page.get_by_label("Breite").input_value())
    start_lon = float(page.get_by_label("Länge").input_value())

    _tab_to(page, ".places-picker__marker")
    for key in ["ArrowUp", "ArrowUp", "ArrowRight"]:
        page.keyboard.press(key)
    moved_lat = float(page.get_by_label("Breite").input_value())
    moved_lon = float(page.get_by_label("Länge").input_value())
    assert moved_lat == pytest.approx(start_lat + 2 * 0.0005, abs=1e-6)
    assert moved_lon == pytest.approx(start_lon + 0.0008, abs=1e-6)
    assert "Position: Breite" in page.locator("#picker-status").inner_text()
    page.locator("#ort-auf-karte").scroll_into_view_if_needed()
    screenshot(page, "places-picker", full_page=False)
    page_checked(page)
    _tab_to(page, "form.places-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Änderungen gespeichert." in page.locator(".messages").inner_text()
    place = LearningPlace.objects.get(name="Lernwerkstatt Detmold")
    assert (place.latitude, place.longitude) == (pytest.approx(moved_lat), pytest.approx(moved_lon))
    assert place.kreis_code == "05766"

    page.goto(page.base_url + "/lernorte/?gebiet=05766&q=Lernwerkstatt")
    page.locator("#inview-list li").first.wait_for()
    assert "Lernwerkstatt Detmold" in page.locator("#inview-list").inner_text()
    page.goto(page.base_url + "/lernorte/liste/?gebiet=05766&q=Lernwerkstatt")
    assert "Lernwerkstatt Detmold" in page.locator(".places-results").inner_text()
    assert "noch nicht auf der Karte" not in page.locator(".places-results").inner_text()
