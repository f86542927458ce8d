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


def test_company_publishes_a_training_place_and_it_appears_on_the_public_map(demo_data, browser_page, screenshot):
    """Acceptance: a company requests its e-mail link, signs in, publishes a training place, and the
    place appears on the public Lernortkarte."""
    import re

    from django.core import mail

    from tests.browser.accessibility import page_checked

    page = browser_page
    mail.outbox.clear()
    page.goto(page.base_url + "/uebergaenge/betriebe/anmelden/")
    page.get_by_label("Ihre E-Mail-Adresse").fill("ausbildung@elektro-rhoen.example")
    page.get_by_role("button", name="Link anfordern").click()
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name=re.compile("anmelden")).click()
    page.get_by_role("link", name="Ausbildungsplätze melden").click()
    page.get_by_role("link", name="Ausbildungsplatz melden").click()
    page.get_by_label("Beruf (KldB 2010)").fill("26212 Berufe in der Bauelektrik")
    page.get_by_label("Berufsbezeichnung im Betrieb").fill("Elektroniker*in Gebäudetechnik Nachtschicht")
    page.get_by_label("Ausbildungsbeginn").fill("2031-08-01")
    page.get_by_label("Anzahl Plätze").fill("3")
    page.get_by_label("Wir helfen bei der Wohnungssuche (Azubi-Wohnen)").check()
    page.get_by_label("Straße und Hausnummer des Ausbildungsorts").fill("Browserweg 5")
    page.locator("#id_postcode").fill("36037")
    page.locator("#id_city").fill("Fulda")
    page_checked(page)
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_load_state()
    assert "vorläufig der Mittelpunkt" in page.locator(".messages").inner_text()
    page.locator(".places-picker__marker").wait_for()  # the Lernort picker to set the exact position
    screenshot(page, "passung-company-place")
    page.goto(page.base_url + "/passung/betriebe/ausbildungsplaetze/")
    assert "Elektroniker*in Gebäudetechnik Nachtschicht" in page.locator("#company-places").inner_text()
    page_checked(page)

    # The public map, signed out: the company's site is there, and its page shows the place.
    page.context.clear_cookies()
    page.goto(page.base_url + "/lernorte/?kategorie=ausbildungsbetrieb&gebiet=06631")
    page.locator("#inview-list li").first.wait_for()
    assert "Elektro Rhön GmbH (synthetisch) – Ausbildung" in page.locator("#inview-list").inner_text()
    screenshot(page, "passung-company-place-on-map", full_page=False)
    from bildungskette.passung.models import TrainingPlace

    site_id = TrainingPlace.objects.get(title="Elektroniker*in Gebäudetechnik Nachtschicht").site_id
    page.locator(f'#inview-list a[href$="/lernorte/{site_id}/"]').click()
    page.wait_for_load_state()
    assert "Elektroniker*in Gebäudetechnik Nachtschicht" in page.content()


def test_azubi_manager_start_page_trends_live_and_outcomes(demo_data, browser_page, screenshot):
    from tests.browser.accessibility import page_checked

    page = browser_page
    browser_login(page, "fulda.azubi", "Bildung-2026")
    page.goto(f"{page.base_url}/")
    assert page.locator("#panel-upcoming").inner_text().count("Nacht der Ausbildung") == 2  # two tours
    screenshot(page, "passung-start")
    page.goto(f"{page.base_url}/passung/entwicklung/")
    assert page.locator("svg[role=img]").count() >= 2 and page.locator("svg.choropleth path").count() > 10
    page.locator("#id_kennzahl").select_option(label="unversorgte Bewerber*innen")
    page.get_by_role("button", name="Karte zeigen").click()
    page.wait_for_load_state()
    assert "unversorgte Bewerber*innen" in page.locator("#group-map-table").inner_text()
    page_checked(page)
    screenshot(page, "passung-trends")
    page.get_by_role("link", name="Live-Meldungen (nicht amtlich)").click()
    assert "nicht amtlich" in page.locator("h1").inner_text()
    page_checked(page)
    screenshot(page, "passung-live")
    page.get_by_role("link", name="Touren").click()
    assert page.locator(".tour").count() == 2
    page_checked(page)
    screenshot(page, "passung-tours")
    page.get_by_role("link", name="Wirkung der Begegnungen").click()
    assert "Geheimhaltung" in page.content()
    page_checked(page)


def test_coordination_creates_a_tour_with_the_form(demo_data, browser_page, screenshot):
    """The tour form without shortcuts: an empty save shows the German error summary linking to the
    fields, a filled one lists the tour with its route; axe finds nothing serious."""
    page = browser_page
    page.goto(f"{page.base_url}/anmelden/?next=/passung/touren/")
    page.get_by_label("Benutzername").fill("fulda.azubi")
    page.get_by_label("Passwort").fill("Bildung-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Tour anlegen").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Tour speichern").click()
    page.wait_for_load_state()
    summary = page.locator(".form-errors")
    assert "Nichts wurde gespeichert" in summary.inner_text()
    assert "Plätze: Dieses Feld ist zwingend erforderlich." in summary.inner_text()
    assert not _serious(page), _serious(page)
    screenshot(page, "passung-tour-form")
    page.get_by_label("Veranstaltungsreihe").fill("Nacht der Ausbildung (Test)")
    page.get_by_label("Titel der Tour").fill("Browser-Tour")
    page.get_by_label("Veranstalter").select_option(index=1)
    page.get_by_label("Beginn (Datum und Uhrzeit)").fill("2030-05-21T17:00")
    page.get_by_label("Ende (Datum und Uhrzeit)").fill("2030-05-21T21:00")
    page.get_by_label("Plätze").fill("12")
    page.get_by_label("Abfahrtsorte").fill("17:00 Fulda, ZOB")
    page.get_by_label("1. Betrieb", exact=True).select_option(index=2)
    page.get_by_label("2. Betrieb", exact=True).select_option(index=1)
    assert not _serious(page), _serious(page)
    page.get_by_role("button", name="Tour speichern").click()
    page.wait_for_load_state()
    route = page.locator(".tour", has_text="Browser-Tour").locator(".tour-route li").all_inner_texts()
    assert route[0] == "17:00 – Abfahrt: Fulda, ZOB" and len(route) == 3
