"""In a real browser: the citizen start page with its search and "in meiner Nähe" (Playwright grants
the geolocation permission), the legal pages with the feedback form reaching the tenant's
administration, and axe (moderate included, 1280 and 360 px) on every page added for it."""

from __future__ import annotations

import re

import pytest

from tests.browser.accessibility import page_checked
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

KASSEL_TOWN_HALL = {"latitude": 51.3155, "longitude": 9.4974}


def test_search_from_the_start_page_leads_to_the_region_and_its_data(browser_page, demo_data, screenshot, settings):
    settings.PUBLIC_TENANT = "olov-kassel"
    page = browser_page
    page.goto(page.base_url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bildung in OloV-Region Kassel"
    page_checked(page)
    screenshot(page, "start-citizen")
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot(page, "start-citizen-360")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Suchen nach Lernorten, Angeboten, Veranstaltungen und Gebieten").fill("Kassel")
    page.get_by_role("search").get_by_role("button", name="Suchen").click()
    page.wait_for_url(re.compile(r"/suche/\?q=Kassel"))
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0].startswith("Gebiete") and any(h.startswith("Lernorte") for h in headings)
    page_checked(page)
    page.locator('[data-testid="search-leading"]').get_by_role("link").click()
    page.wait_for_url(re.compile(r"/gebiete/06611/$"))
    links = page.locator('[data-testid="region-links"]')
    links.get_by_role("link", name=re.compile("Datenblatt")).click()
    page.wait_for_url(re.compile(r"/monitoring/datenblatt/06611/$"))
    page.go_back()
    links.get_by_role("link", name="Lernorte in diesem Gebiet").click()
    page.wait_for_url(re.compile(r"/lernorte/liste/\?gebiet=06611"))

    # A Gemeinde by its AGS.
    page.goto(page.base_url + "/suche/?q=06611000")
    assert "/gebiete/06611000/" in page.locator('[data-testid="search-leading"] a').get_attribute("href")


def test_nearby_with_the_browsers_position(browser_page, demo_data):
    page = browser_page
    page.context.grant_permissions(["geolocation"], origin=page.base_url)
    page.context.set_geolocation(KASSEL_TOWN_HALL)
    page.goto(page.base_url + "/kommune/olov-kassel/")
    page_checked(page)
    page.get_by_role("button", name="Meinen Standort verwenden").click()
    page.wait_for_url(re.compile(r"/lernorte/in-der-naehe/\?lat=51\.316&lon=9\.497$"))
    distances = [float(t.replace(",", ".").split()[0])
                 for t in page.locator('[data-testid="distance"]').all_inner_texts()]
    assert distances and distances == sorted(distances) and distances[0] < 3
    assert "speichert und protokolliert ihn nicht" in page.content()
    page_checked(page)


def test_without_javascript_nearby_works_by_town(browser_page, demo_data):
    context = browser_page.context.browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.goto(browser_page.base_url + "/kommune/olov-kassel/")
    assert page.get_by_role("button", name="Meinen Standort verwenden").is_hidden()
    page.get_by_label("Oder Ort bzw. Postleitzahl").fill("Kassel")
    page.get_by_role("button", name="Lernorte in der Nähe zeigen").click()
    page.wait_for_url(re.compile(r"/lernorte/in-der-naehe/\?ort=Kassel"))
    assert page.locator('[data-testid="distance"]').count() > 0
    context.close()


def test_legal_pages_and_feedback_reach_the_tenant_admin(browser_page, demo_data, screenshot):
    page = browser_page
    for path in ("/kommunen/", "/kommune/olov-kassel/impressum/", "/kommune/olov-kassel/datenschutz/",
                 "/kommune/olov-kassel/leichte-sprache/", "/kommune/olov-kassel/barrierefreiheit/"):
        page.goto(page.base_url + path)
        page_checked(page)
    page.get_by_label("Welche Barriere ist Ihnen begegnet?").fill("Der Kartenausschnitt lässt sich nicht per "
                                                                  "Tastatur verschieben.")
    page.get_by_label("Auf welcher Seite? (Adresse oder Titel, freiwillig)").fill("/lernorte/")
    page.get_by_role("button", name="Rückmeldung senden").click()
    page.get_by_text("Ihre Rückmeldung ist bei OloV-Region Kassel angekommen").wait_for()
    page_checked(page)

    browser_login(page, "kassel.admin", "Bildung-2026")
    page.goto(page.base_url + "/mandant/verwaltung/")
    page.get_by_role("link", name="Rückmeldungen zur Barrierefreiheit").click()
    row = page.locator('[data-testid="feedback-row"]').filter(has_text="per Tastatur verschieben")
    assert row.count() == 1
    page_checked(page)
    row.get_by_role("button", name="als erledigt markieren").click()
    assert page.locator('[data-testid="feedback-row"]').filter(has_text="per Tastatur").get_by_text(
        "erledigt", exact=True).is_visible()
    page.goto(page.base_url + "/mandant/rechtliches/")
    page_checked(page)
    screenshot(page, "legal-edit")
    page.get_by_label("Video in Deutscher Gebärdensprache (Adresse)").fill("https://www.kassel.de/dgs-video")
    page.locator("main button[type=submit]").last.click()
    page.get_by_text("Die rechtlichen Seiten sind gespeichert.").wait_for()
    page.goto(page.base_url + "/kommune/olov-kassel/")
    assert page.get_by_role("link", name="Informationen in Deutscher Gebärdensprache (Video)").get_attribute(
        "href") == "https://www.kassel.de/dgs-video"


def test_english_on_the_start_page_and_german_only_note_elsewhere(browser_page, demo_data):
    page = browser_page
    page.goto(page.base_url + "/")
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Learning places near me").wait_for()
    page_checked(page)
    page.goto(page.base_url + "/anmelden/")
    assert page.get_by_text("This page is available in German only.").is_visible()
    assert page.locator(".language-switch").count() == 0
    page_checked(page)
