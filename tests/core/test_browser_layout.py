"""In a real browser: below 640 px the main navigation folds behind a menu button (JavaScript as an
enhancement); without JavaScript it stays open. No sideways scrolling at 360 px."""

import pytest

from tests.browser.accessibility import axe_findings, page_checked

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_menu_button_on_small_screens(browser_page, screenshot):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/")
    menu = page.get_by_role("button", name="Menü")
    first_link = page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link").first
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    assert not first_link.is_visible()
    page_checked(page)
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true" and first_link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "mobile-menu", full_page=False)
    assert axe_findings(page) == []  # the open menu, at 360 px
    page.keyboard.press("Escape")
    assert not first_link.is_visible() and page.evaluate("document.activeElement.textContent.trim()") == "Menü"

    page.set_viewport_size({"width": 1280, "height": 800})
    first_link.wait_for(state="visible")
    menu.wait_for(state="hidden")

    no_js = page.context.browser.new_context(java_script_enabled=False, locale="de-DE",
                                             viewport={"width": 360, "height": 740})
    plain = no_js.new_page()
    plain.goto(page.base_url + "/")
    assert plain.get_by_role("navigation", name="Hauptnavigation").get_by_role("link").first.is_visible()
    assert plain.locator(".menu-toggle").is_hidden()
    no_js.close()
