"""Every page answers, in German, with a bounded number of queries (no N+1 over students)."""

import datetime

import pytest
from django.utils import timezone

from bildungskette.core.models import Role
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.transitions.services import (
    activity_record,
    booking_create,
    destination_set,
    event_create,
)
from bildungskette.transitions.statistics import cohort_statistics_recompute

from .conftest import leaver


def _panel(key, user, tenant) -> str:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from bildungskette.core.navigation import _panels

    request = RequestFactory().get("/")
    request.user, request.tenant = user, tenant
    panel = _panels[key]
    return render_to_string(panel.template, {"ctx": panel.context(request)}, request=request)


@pytest.fixture
def busy_school(tenant, school_a, student_factory, option):
    company = Organisation.objects.create(tenant=tenant, name="Betrieb", type=OrganisationType.BETRIEB)
    starts = timezone.now() + datetime.timedelta(days=5)
    event = event_create(tenant=tenant, organisation=company, title="E-Craft", starts_at=starts,
                         ends_at=starts + datetime.timedelta(hours=2), location="Kassel", capacity=50)
    for i in range(30):
        s = student_factory(school_a, "9a" if i % 2 else "10a", 9 if i % 2 else 10)
        activity_record(student=s, kind="bfe", on_date=datetime.date(2026, 3, 1))
        activity_record(student=s, kind="potential", on_date=datetime.date(2025, 10, 1))
        destination_set(student=s, kind="planned", option=option("DUAL" if i % 3 else "NOKEAN"),
                        on_date=datetime.date(2026, 5, 1))
        booking_create(event=event, student=s)
    for i in range(12):
        s = leaver(student_factory(school_a, "10c", 10))
        destination_set(student=s, kind="actual", option=option(["DUAL", "UNBE", "FOS"][i % 3]),
                        on_date=datetime.date(2026, 9, 30))
    cohort_statistics_recompute()
    return {"school": school_a, "event": event, "student": s}


def test_manager_pages_answer_with_few_queries(client_as, manager_a, busy_school, django_assert_max_num_queries):
    client = client_as(manager_a)
    school, event, student = busy_school["school"], busy_school["event"], busy_school["student"]
    pages = {
        f"/uebergaenge/schulen/{school.pk}/": "Stand der Berufsorientierung",
        f"/uebergaenge/schulen/{school.pk}/klassen/9a/": "Lückenansicht",
        f"/uebergaenge/schulen/{school.pk}/klassen/9a/anschluesse/": "Anschlussvereinbarungen",
        f"/uebergaenge/schulen/{school.pk}/september-garantie/": "September-Garantie",
        f"/uebergaenge/schueler/{student.pk}/": "BO-Aktivitäten",
        "/uebergaenge/nachverfolgung/": "Nachverfolgung",
        f"/uebergaenge/veranstaltungen/{event.pk}/": "Buchungen Ihrer Schule",
        "/uebergaenge/veranstaltungen/": "Veranstaltungen",
        "/uebergaenge/statistik/": "Kohortenstatistik",
        "/uebergaenge/kataloge/": "Anschlussoptionen",
    }
    for url, text in pages.items():
        with django_assert_max_num_queries(30):
            response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    panel = _panel("transitions-school", manager_a, manager_a.role_assignments.first().tenant)
    assert "September-Garantie" in panel and "Offene Schule Waldau" in panel


def test_coordination_and_data_protection_pages(client_as, make_user, tenant, busy_school,
                                                django_assert_max_num_queries):
    coordinator_user = make_user(role=Role.COORDINATION, tenant=tenant)
    coordinator = client_as(coordinator_user)
    with django_assert_max_num_queries(25):
        page = coordinator.get("/uebergaenge/statistik/")
    html = page.content.decode()
    assert "Verbleib unbekannt" in html and "noch kein Anschluss" in html and "<svg" in html
    assert "Geheimhaltung" in html
    csv = coordinator.get("/uebergaenge/statistik.csv").content.decode()
    assert "Geheimhaltung" in csv and busy_school["student"].pseudonym not in csv
    # The start page also carries other apps' panels, so our panel is rendered on its own here.
    assert "Zur Kohortenstatistik" in _panel("transitions-aggregates", coordinator_user, tenant)
    officer_user = make_user(role=Role.DATA_PROTECTION, tenant=tenant)
    officer = client_as(officer_user)
    with django_assert_max_num_queries(20):
        assert officer.get("/uebergaenge/datenschutz/").status_code == 200
    assert "Ganzes Zugriffsprotokoll" in _panel("transitions-access-log", officer_user, tenant)


def test_class_page_records_a_bfe_for_the_whole_class(client_as, manager_a, busy_school, kaoa):
    from bildungskette.transitions.models import Activity, OccupationalField

    school = busy_school["school"]
    students = list(school.students.filter(class_name="9a"))
    field = OccupationalField.objects.get(code="EL")
    response = client_as(manager_a).post(f"/uebergaenge/schulen/{school.pk}/klassen/9a/", {
        "students": [s.pk for s in students], "a-kind": "bfe", "a-on_date": "2026-11-10",
        "a-occupational_field": field.pk})
    assert response.status_code == 302
    recorded = Activity.objects.filter(kind="bfe", on_date=datetime.date(2026, 11, 10), occupational_field=field)
    assert recorded.count() == len(students)
    assert recorded.first().element.code == "BO5", "Hessen schools document against the OloV catalogue"
    bad = client_as(manager_a).post(f"/uebergaenge/schulen/{school.pk}/klassen/9a/", {
        "students": [students[0].pk], "a-kind": "bfe", "a-on_date": "2026-11-11"})
    assert "braucht ein Berufsfeld" in bad.content.decode()


def test_anonymous_visitor_sees_public_events_but_no_school_pages(client, busy_school):
    assert client.get("/uebergaenge/veranstaltungen/").status_code == 200
    assert client.get(f"/uebergaenge/schulen/{busy_school['school'].pk}/").status_code == 302
    assert client.get("/api/transitions/statistics").status_code == 403


def test_recording_the_same_bfe_twice_stores_it_once_and_clears_the_selection(client_as, manager_a, busy_school,
                                                                                kaoa):
    from bildungskette.transitions.models import Activity, OccupationalField

    school = busy_school["school"]
    students = list(school.students.filter(class_name="9a"))
    field = OccupationalField.objects.get(code="EL")
    url = f"/uebergaenge/schulen/{school.pk}/klassen/9a/"
    form = {"students": [s.pk for s in students], "a-kind": "bfe", "a-on_date": "2026-11-10",
            "a-occupational_field": field.pk}
    before = Activity.objects.count()
    client = client_as(manager_a)
    first = client.post(url, form)
    assert first.status_code == 302
    after_page = client.get(first["Location"]).content.decode()
    assert "erfasst." in after_page
    assert after_page.count('name="students"') == len(students) and " checked>" not in after_page
    second = client.post(url, form, follow=True).content.decode()
    assert f"{len(students)} davon waren an diesem Tag schon erfasst" in second
    assert Activity.objects.count() - before == len(students)
    # another day is another record; one more pupil on the same day is recorded for that pupil only
    client.post(url, {**form, "a-on_date": "2026-11-11"})
    assert Activity.objects.count() - before == 2 * len(students)
    assert client.get(url + "?alle=1").content.decode().count(" checked>") == len(students)
