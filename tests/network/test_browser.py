"""In the browser: the coordinator of the OloV-Region Kassel prepares a meeting with an agenda,
records minutes with two decisions and three action items, and then sees the open action items of
every organisation; the partner (Agentur für Arbeit Kassel) sees only what concerns its bodies.
Screenshots go to docs/screenshots/network-*.png."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.conftest import browser_login

PASSWORD = "Bildung-2026"  # noqa: S105 (demo accounts)


def _serious(page) -> list:
    """Serious and critical axe-core findings on the current page (WCAG 2.1 AA rules and best practice)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [(page.url, v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]


def _open_details(page, summary: str) -> None:
    details = page.locator("details", has=page.locator("summary", has_text=summary))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


@pytest.mark.browser
@pytest.mark.django_db
def test_coordinator_meeting_from_agenda_to_open_action_items(network_demo_live, browser_page, screenshot, mailoutbox):
    page = browser_page
    findings = []
    browser_login(page, "kassel.koordination", PASSWORD)
    page.goto(page.base_url + "/netzwerk/")
    page.get_by_role("link", name="OloV-Steuerungsgruppe Region Kassel").click()
    assert page.get_by_role("heading", name="Mitglieder (11)").is_visible()
    screenshot(page, "network-body")
    findings += _serious(page)

    page.get_by_role("link", name="Neue Sitzung").click()
    day = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Titel").fill("Sitzung der OloV-Steuerungsgruppe – Frühjahr")
    page.get_by_label("Beginn").fill(f"{day:%Y-%m-%d}T09:30")
    page.get_by_label("Ende").fill(f"{day:%Y-%m-%d}T12:00")
    page.get_by_label("Ort").fill("Rathaus Kassel, Raum 101")
    page.get_by_role("button", name="Speichern").click()
    assert page.get_by_text("Sitzung angelegt").is_visible()

    agenda = [("Regionale Zielvereinbarung 2026: Datenbericht", "Koordination OloV", "30"),
              ("Ausbildungsbörse und Betriebsbegegnungen", "IHK Kassel-Marburg", "45")]
    for title, presenter, minutes in agenda:
        _open_details(page, "Tagesordnungspunkt hinzufügen")
        page.get_by_label("Thema").fill(title)
        page.get_by_label("Vortragende*r").fill(presenter)
        page.get_by_label("Dauer (Minuten)").fill(minutes)
        page.get_by_role("button", name="Punkt hinzufügen").click()
    assert page.get_by_text("TOP 2").first.is_visible()
    page.get_by_role("button", name="Einladung versenden").click()
    assert page.get_by_text("Einladung an 11 Empfänger*innen versandt.").is_visible()
    assert len(mailoutbox) == 11 and mailoutbox[0].attachments
    screenshot(page, "network-meeting-agenda")
    findings += _serious(page)

    page.get_by_role("link", name="Protokoll erfassen").click()
    page.get_by_label("TOP 1: Regionale Zielvereinbarung 2026: Datenbericht").fill(
        "Die Koordination stellt den Datenbericht vor; Rückfragen zu den Übergangsquoten.")
    page.get_by_label("Agentur für Arbeit Kassel: anwesend").check()
    page.get_by_label("Universität Kassel: entschuldigt").check()
    page.get_by_role("button", name="Protokoll speichern").click()

    decisions = page.locator('form[aria-label="Beschluss hinzufügen"]')
    for item, text in [("Regionale Zielvereinbarung", "Der Datenbericht wird als Grundlage der Zielvereinbarung "
                                                      "angenommen."),
                       ("Ausbildungsbörse", "Die Ausbildungsbörse findet gemeinsam mit IHK und HWK statt.")]:
        decisions.get_by_label("Tagesordnungspunkt").select_option(label=next(t for t, _p, _m in agenda
                                                                              if t.startswith(item)))
        decisions.get_by_label("Beschlusstext").fill(text)
        decisions.get_by_role("button", name="Beschluss speichern").click()
    assert page.get_by_role("heading", name="Beschlüsse (2)").is_visible()

    actions = page.locator('form[aria-label="Aufgabe hinzufügen"]')
    due = timezone.localdate() + datetime.timedelta(days=30)
    for title, owner in [("Datenbericht an alle Mitglieder versenden", "Stadt und Landkreis Kassel"),
                         ("Betriebe für die Ausbildungsbörse gewinnen", "IHK Kassel-Marburg"),
                         ("Schulen über die Börse informieren", "Agentur für Arbeit Kassel")]:
        actions.locator("#id_aufgabe-title").fill(title)
        actions.get_by_label("zum Beschluss").select_option(index=1 if "Datenbericht" in title else 2)
        actions.get_by_label("verantwortliche Organisation").select_option(label=owner)
        actions.get_by_label("fällig am").fill(due.isoformat())
        actions.get_by_role("button", name="Aufgabe speichern").click()
    assert page.get_by_role("heading", name="Aufgaben (3)").is_visible()
    screenshot(page, "network-minutes")
    findings += _serious(page)

    page.goto(page.base_url + "/netzwerk/aufgaben/")
    table = page.get_by_role("table", name="Anzahl offener und überfälliger Aufgaben je verantwortlicher Organisation")
    for org in ["Stadt und Landkreis Kassel", "IHK Kassel-Marburg", "Agentur für Arbeit Kassel"]:
        assert table.get_by_role("link", name=org).is_visible()
    for title in ["Datenbericht an alle Mitglieder versenden", "Betriebe für die Ausbildungsbörse gewinnen",
                  "Schulen über die Börse informieren"]:
        assert page.get_by_role("link", name=title).is_visible()
    assert page.locator("tr.overdue").count() >= 1  # the demo's overdue task is highlighted
    screenshot(page, "network-open-action-items")
    findings += _serious(page)

    page.goto(page.base_url + "/netzwerk/netzwerkkarte/")
    assert page.locator("figure svg[role=img]").is_visible()
    screenshot(page, "network-graph")
    findings += _serious(page)
    page.goto(page.base_url + "/netzwerk/vereinbarungen/")
    page.get_by_role("link", name="Arbeitsbündnis „Jugend und Beruf“ – Kooperationsvereinbarung").click()
    assert page.get_by_text("Zusagen umgesetzt").first.is_visible()
    screenshot(page, "network-agreement")
    findings += _serious(page)

    # The partner of the Agentur für Arbeit Kassel: its steering group, not Bochum's or internal groups.
    page.get_by_role("button", name="Abmelden").click()
    browser_login(page, "kassel.partner", PASSWORD)
    assert page.get_by_role("heading", name="Ihre Gremien").is_visible()
    assert page.get_by_role("link", name="OloV-Steuerungsgruppe Region Kassel").first.is_visible()
    screenshot(page, "network-partner-start")
    findings += _serious(page)
    page.goto(page.base_url + "/netzwerk/aufgaben/")
    assert page.get_by_role("link", name="Schulen über die Börse informieren").is_visible()
    assert page.get_by_text("Steuerungsgremium KAoA Bochum").count() == 0
    page.goto(page.base_url + "/netzwerk/netzwerkkarte/")
    assert page.get_by_role("heading", name="Keine Berechtigung").is_visible()
    assert findings == []  # accessibility: no serious or critical axe findings on any page visited
