"""In a real browser, with the keyboard only: the searchable multi-select with chips (static/js/multiselect.js)
on the measure form – search among the schools of the OloV-Region Kassel, choose two, remove one chip, save.
Every change is announced; the pattern is the WAI-ARIA combobox with a multi-selectable listbox. Without
JavaScript the native multi-select does the same job. axe runs on every page and on the open list."""

import re

import pytest

from tests.browser.accessibility import page_checked
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

FIELDS = ("Verantwortliche Organisationen", "Zielgruppen", "Gebiete / Stadtteile", "beteiligte Schulen",
          "dient den Zielen")


def _active(page) -> dict:
    return page.evaluate("() => { const e = document.activeElement; return {role: e.getAttribute('role'), "
                         "label: e.getAttribute('aria-label') || '', id: e.id, value: e.value || ''}; }")


def _live(page, combobox) -> str:
    region = _live_region(combobox)
    region.filter(has_text=re.compile(".+")).wait_for()
    return region.inner_text()


def _live_region(combobox):
    return combobox.locator("xpath=ancestor::div[contains(@class,'ms')][1]").locator("[aria-live]")


def _announced(combobox, expected: str) -> None:
    """The script announces 30 ms after a change, so an earlier announcement ("1 Treffer") may still
    be showing: wait until the live region says exactly ``expected`` (fails after the timeout)."""
    from playwright.sync_api import expect

    expect(_live_region(combobox)).to_have_text(expected)


def test_measure_form_schools_with_the_keyboard_only(demo_data, browser_page):
    from bildungskette.core.models import Tenant
    from bildungskette.strategy.forms import MeasureForm
    from bildungskette.strategy.models import Measure

    page = browser_page
    tenant = Tenant.objects.get(slug="olov-kassel")
    schools = list(MeasureForm(tenant=tenant).fields["schools"].queryset)
    assert len(schools) > 50  # the Kassel schools: a list nobody should Ctrl-click through
    first, second = schools[3], schools[-2]

    browser_login(page, "kassel.koordination", "Bildung-2026")
    page.goto(page.base_url + "/strategie/massnahmen/neu/")
    for label in FIELDS:  # every native multi-select of the form is enhanced and keeps its label
        combobox = page.get_by_role("combobox", name=label)
        assert combobox.count() == 1, label
    assert page.locator("select[multiple]").count() == len(FIELDS)
    assert page.locator("select[multiple]:visible").count() == 0

    page.get_by_label("Titel").focus()
    page.keyboard.type("Berufsorientierung an Kasseler Schulen")
    box = page.get_by_role("combobox", name="beteiligte Schulen")
    box.focus()
    assert box.get_attribute("aria-expanded") == "false"

    # Search, move with the arrow key, choose with Enter.
    page.keyboard.type(first.name[:12])
    listbox = page.get_by_role("listbox", name="beteiligte Schulen")
    assert box.get_attribute("aria-expanded") == "true" and listbox.is_visible()
    assert listbox.get_attribute("aria-multiselectable") == "true"
    matches = listbox.get_by_role("option")
    expected = sum(1 for s in schools if first.name[:12].lower() in s.name.lower())
    assert matches.count() == expected
    assert re.search(rf"{expected} Treffer", _live(page, box))
    page.keyboard.press("ArrowDown")
    active_id = box.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active_id}").inner_text() == first.name
    page.keyboard.press("Enter")
    assert page.locator(f"#{active_id}").get_attribute("aria-selected") == "true"
    _announced(box, f"{first.name} ausgewählt, 1 ausgewählt.")
    page_checked(page)  # axe (moderate+) with the list open and a chip, at 1280 and 360 px

    # The second one: clear the search with Escape (closes the list first), then search again.
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Escape")
    assert box.input_value() == ""
    page.keyboard.type(second.name[:14])
    page.keyboard.press("ArrowDown")
    while page.locator(f"#{box.get_attribute('aria-activedescendant')}").inner_text() != second.name:
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    _announced(box, f"{second.name} ausgewählt, 2 ausgewählt.")
    chips = page.get_by_role("list", name="Ausgewählt: beteiligte Schulen")
    assert [t.replace("×", "").strip() for t in chips.get_by_role("listitem").all_inner_texts()] == [
        s.name for s in schools if s in (first, second)]

    # Remove the first chip: Shift+Tab from the search field reaches the chips' remove buttons.
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert _active(page)["label"] == f"{first.name} entfernen"
    page.keyboard.press("Enter")
    _announced(box, f"{first.name} entfernt, 1 ausgewählt.")
    assert _active(page)["label"] == f"{second.name} entfernen", "focus stays in the widget"
    assert page.locator("select[name=schools] option:checked").all_inner_texts() == [second.name]

    # Save with the keyboard: the native select carried the choice.
    page.get_by_role("button", name="Speichern").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".error, .form-errors").all_inner_texts() == []
    measure = Measure.objects.get(title="Berufsorientierung an Kasseler Schulen")
    assert list(measure.schools.all()) == [second]
    page.goto(page.base_url + f"/strategie/massnahmen/{measure.pk}/bearbeiten/")
    chips = page.get_by_role("list", name="Ausgewählt: beteiligte Schulen")
    assert [t.replace("×", "").strip() for t in chips.get_by_role("listitem").all_inner_texts()] == [second.name]


def test_without_javascript_the_native_multi_select_works(demo_data, browser_page):
    from bildungskette.strategy.models import Measure

    page = browser_page
    context = page.context.browser.new_context(java_script_enabled=False, locale="de-DE",
                                               viewport={"width": 1280, "height": 900})
    plain = context.new_page()
    plain.base_url = page.base_url
    browser_login(plain, "kassel.koordination", "Bildung-2026")
    plain.goto(page.base_url + "/strategie/massnahmen/neu/")
    assert plain.get_by_role("combobox", name="beteiligte Schulen").count() == 0
    schools = plain.get_by_label("beteiligte Schulen")
    assert schools.is_visible() and schools.evaluate("e => e.tagName") == "SELECT"
    names = schools.locator("option").all_inner_texts()
    plain.get_by_label("Titel").fill("Ohne JavaScript")
    schools.select_option(label=[names[0], names[1]])
    plain.get_by_role("button", name="Speichern").click()
    plain.wait_for_load_state()
    assert plain.locator(".error, .form-errors").all_inner_texts() == []
    assert sorted(Measure.objects.get(title="Ohne JavaScript").schools.values_list("name", flat=True)) == sorted(
        names[:2])
    context.close()
