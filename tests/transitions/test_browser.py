"""Acceptance in the browser: a transition manager records a Berufsfelderkundung for a whole class,
sets destinations and sees the gap view, cannot reach another school; a coordinator sees only
disclosure-controlled aggregates; a company confirms a booking and records attendance through its
e-mailed link, without a password."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from bildungskette.core.models import Role
from tests.conftest import browser_login

PASSWORD = "Browser-Test-2026"  # noqa: S105


@pytest.fixture
def kassel_world(db, tenant, make_user):
    from bildungskette.organisations.models import Organisation, OrganisationType
    from bildungskette.transitions import demo
    from bildungskette.transitions.importers import kaoa_import
    from bildungskette.transitions.services import school_ensure
    from bildungskette.transitions.statistics import cohort_statistics_recompute

    kaoa_import(settings.DATA_DIR / "kaoa")
    schools = []
    for external_id, name in [("HE-9203", "Offene Schule Waldau"), ("HE-7113", "Fasanenhofschule"),
                              ("HE-7136", "Valentin-Traudt-Schule")]:
        # The session's demo may already hold these real schools (browser tests run after it).
        org, _ = Organisation.objects.get_or_create(
            external_id=external_id,
            defaults={"name": name, "type": OrganisationType.SCHULE, "subtypes": ["Realschule"], "city": "Kassel"})
        schools.append(school_ensure(tenant=tenant, organisation=org))
    demo._cohort_create(tenant, schools)
    demo._events_create(tenant, schools)
    cohort_statistics_recompute(tenant=tenant)
    manager = make_user(role=Role.TRANSITION_MANAGER, tenant=tenant, organisation=schools[0].organisation,
                        username="uebergang.waldau", password=PASSWORD)
    make_user(role=Role.COORDINATION, tenant=tenant, username="koordination", password=PASSWORD)
    return {"schools": schools, "manager": manager}


def _no_serious_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, f"{page.url}: {[(v['id'], v['help'], v['nodes'][0]['html'][:120]) for v in serious]}"


def _option_pk(code: str) -> str:
    from bildungskette.transitions.models import DestinationOption

    return str(DestinationOption.objects.get(catalogue__is_current=True, code=code).pk)


@pytest.mark.browser
@pytest.mark.django_db
def test_transition_manager_coordinator_and_company(browser_page, screenshot, kassel_world):
    from bildungskette.transitions.models import Activity, Booking, Event, Student

    page = browser_page
    school_a, school_b = kassel_world["schools"][:2]
    browser_login(page, "uebergang.waldau", PASSWORD)
    page.goto(page.base_url + "/uebergaenge/")
    assert "Offene Schule Waldau" in page.locator("h1").inner_text()
    screenshot(page, "transitions-school")
    _no_serious_violations(page)

    # A Berufsfelderkundung for the whole class 8a.
    page.get_by_role("link", name="8a", exact=True).click()
    page.get_by_role("link", name="Alle markieren").click()
    page.get_by_label("Art der Aktivität").select_option(label="Berufsfelderkundung")
    page.get_by_label("Datum").fill("2026-11-12")
    page.get_by_label("Berufsfeld").select_option(label="Elektro")
    page.get_by_role("button", name="Für markierte erfassen").click()
    class_size = Student.objects.filter(school=school_a, class_name="8a").count()
    assert f"für {class_size} Schüler*innen erfasst" in page.locator(".messages").inner_text()
    assert Activity.objects.filter(student__school=school_a, student__class_name="8a", kind="bfe",
                                   occupational_field__code="EL").count() == class_size
    gaps = page.locator("#h-gaps + dl").inner_text()
    assert f"0 / {class_size}" in gaps, "after the class-wide BFE nobody is left without one"
    assert page.locator('input[name="students"]:checked').count() == 0, "the selection resets after recording"
    screenshot(page, "transitions-class-gaps")
    _no_serious_violations(page)

    # Destinations for the class on one screen.
    page.get_by_role("link", name="Anschlussvereinbarungen der Klasse").click()
    page.locator("select").nth(0).select_option(_option_pk("DUAL"))
    page.locator("select").nth(1).select_option(_option_pk("FOS"))
    page.get_by_role("button", name="Anschlussvereinbarungen speichern").click()
    assert "2 Anschlussvereinbarungen gespeichert" in page.locator(".messages").inner_text()
    assert Student.objects.filter(school=school_a, class_name="8a", planned_option__code="DUAL").exists()

    # An actual destination for a leaver, from the student page.
    leaver = Student.objects.filter(school=school_a, status="left", actual_outcome="unknown").first()
    page.goto(page.base_url + f"/uebergaenge/schueler/{leaver.pk}/")
    page.get_by_text("Anschluss erfassen").click()
    page.locator("#id_d-kind").select_option("actual")
    page.locator("#id_d-option").select_option(_option_pk("EQ"))
    page.locator("#id_d-source").select_option("follow_up")
    page.locator("form[action$='/anschluss/'] button").click()
    leaver.refresh_from_db()
    assert leaver.actual_option.code == "EQ" and leaver.follow_ups.filter(status="open").count() == 0
    screenshot(page, "transitions-student")
    _no_serious_violations(page)

    # School B is out of reach: page and API.
    other = Student.objects.filter(school=school_b).first()
    response = page.goto(page.base_url + f"/uebergaenge/schueler/{other.pk}/")
    assert response.status == 404 and other.pseudonym not in page.content()
    response = page.goto(page.base_url + f"/api/transitions/schools/{school_b.pk}/students")
    assert response.status == 404
    page.goto(page.base_url + f"/uebergaenge/schulen/{school_a.pk}/september-garantie/")
    screenshot(page, "transitions-september")

    # The coordinator: aggregates only, with suppressed cells and the rule stated.
    page.context.clear_cookies()
    browser_login(page, "koordination", PASSWORD)
    page.goto(page.base_url + "/uebergaenge/statistik/")
    html = page.content()
    assert "Geheimhaltung" in html and "synthetisch" in html
    assert other.pseudonym not in html
    assert page.locator("svg[role=img]").count() >= 1
    screenshot(page, "transitions-statistics")
    _no_serious_violations(page)

    # The company: link by e-mail, no password, confirm and record attendance.
    page.context.clear_cookies()
    mail.outbox.clear()
    page.goto(page.base_url + "/uebergaenge/betriebe/anmelden/")
    page.get_by_label("Ihre E-Mail-Adresse").fill("ausbildung@elektro.example")
    page.get_by_role("button", name="Link anfordern").click()
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    assert page.locator("input[type=password]").count() == 0
    page.get_by_role("button", name=re.compile("anmelden")).click()
    page.get_by_role("link", name=re.compile("E-Craft")).click()
    booking = Booking.objects.filter(event__organisation__name__startswith="Elektro", status="requested").first()
    page.get_by_role("button", name=f"Buchung von {booking.student.pseudonym} bestätigen").click()
    page.wait_for_load_state()
    # Attendance only from the event's start: the event has begun.
    Event.objects.filter(pk=booking.event_id).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    page.reload()
    page.get_by_role("button", name=f"{booking.student.pseudonym} war da").click()
    booking.refresh_from_db()
    assert booking.status == "confirmed" and booking.attended is True
    assert page.locator("input[type=password]").count() == 0, "no password anywhere on the way"
    screenshot(page, "transitions-company")
    _no_serious_violations(page)
