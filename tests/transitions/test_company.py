"""Companies sign in through an e-mailed, signed, expiring link (no password), see only their own
events and the names the school chose to share, confirm bookings and record attendance."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.transitions.models import Activity, Booking, CompanyContact, Event
from bildungskette.transitions.services import booking_create, event_create


@pytest.fixture
def company(tenant):
    return Organisation.objects.create(tenant=tenant, name="Elektro Test GmbH", type=OrganisationType.BETRIEB)


@pytest.fixture
def contact(tenant, company):
    return CompanyContact.objects.create(tenant=tenant, organisation=company, name="Frau Ausbilderin",
                                         email="ausbildung@elektro.example")


def _event(tenant, organisation, title="E-Craft Elektro", capacity=2):
    starts = timezone.now() + datetime.timedelta(days=10)
    return event_create(tenant=tenant, organisation=organisation, title=title, starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=3), location="Kassel", capacity=capacity)


def _link_from_mail() -> str:
    assert len(mail.outbox) == 1
    return re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)


def test_company_confirms_and_records_attendance_through_the_mailed_link(
        client, tenant, company, contact, school_a, student_factory):
    school_a.names_enabled = True
    school_a.save()
    event = _event(tenant, company)
    other_company = Organisation.objects.create(tenant=tenant, name="Andere AG", type=OrganisationType.BETRIEB)
    foreign_event = _event(tenant, other_company, title="Fremde Veranstaltung")
    mia = student_factory(school_a, first_name="Mia", last_name="Beispiel")
    ole = student_factory(school_a, first_name="Ole", last_name="Anders")
    shared = booking_create(event=event, student=mia, shared_name="first_name")
    hidden = booking_create(event=event, student=ole)

    client.post("/uebergaenge/betriebe/anmelden/", {"email": "AUSBILDUNG@elektro.example"})
    link = _link_from_mail()
    assert "Passwort" not in mail.outbox[0].subject
    landing = client.get(link)
    assert landing.status_code == 200 and "Als Frau Ausbilderin anmelden" in landing.content.decode()
    assert client.get("/uebergaenge/betriebe/").status_code == 302, "GET alone does not sign in"
    assert client.post(link).status_code == 405, "the address with the token never signs in"
    client.post("/uebergaenge/betriebe/link/", {"token": link.rstrip("/").rsplit("/", 1)[1]})
    portal = client.get("/uebergaenge/betriebe/").content.decode()
    assert "E-Craft Elektro" in portal and "Fremde Veranstaltung" not in portal
    page = client.get(f"/uebergaenge/betriebe/veranstaltungen/{event.pk}/").content.decode()
    assert "Mia" in page and ole.pseudonym in page
    assert "Beispiel" not in page and "Ole" not in page and "Anders" not in page
    assert client.get(f"/uebergaenge/betriebe/veranstaltungen/{foreign_event.pk}/").status_code == 404

    client.post(f"/uebergaenge/betriebe/buchungen/{shared.pk}/bestaetigen/")
    page = client.get(f"/uebergaenge/betriebe/veranstaltungen/{event.pk}/").content.decode()
    assert "ab Beginn erfassbar" in page and " war da" not in page
    early = client.post(f"/uebergaenge/betriebe/buchungen/{shared.pk}/teilnahme/", {"attended": "1"}, follow=True)
    assert "Die Teilnahme kann erst ab Beginn der Veranstaltung" in early.content.decode()
    shared.refresh_from_db()
    assert shared.attended is None and not Activity.objects.filter(student=mia, event=event).exists()
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))  # begun
    assert f'aria-label="Mia ({mia.pseudonym}) war da"' in client.get(
        f"/uebergaenge/betriebe/veranstaltungen/{event.pk}/").content.decode()
    client.post(f"/uebergaenge/betriebe/buchungen/{shared.pk}/teilnahme/", {"attended": "1"})
    shared.refresh_from_db()
    assert shared.status == "confirmed" and shared.attended is True
    assert Activity.objects.filter(student=mia, event=event, kind="event").exists()
    hidden.refresh_from_db()
    assert hidden.status == "requested"
    foreign_booking = booking_create(event=foreign_event, student=ole)
    assert client.post(f"/uebergaenge/betriebe/buchungen/{foreign_booking.pk}/bestaetigen/").status_code == 404


def test_unknown_address_gets_the_same_answer_and_no_mail(client, contact):
    response = client.post("/uebergaenge/betriebe/anmelden/", {"email": "wer@anders.example"})
    assert "Wenn die Adresse bei uns hinterlegt ist" in response.content.decode()
    assert mail.outbox == []


def test_link_expires_and_can_be_revoked(client, contact):
    from bildungskette.transitions.services import company_link_token, company_links_revoke

    with freeze_time("2026-11-01 10:00"):
        token = company_link_token(contact)
    with freeze_time("2026-11-05 10:01"):
        assert client.get(f"/uebergaenge/betriebe/link/{token}/").status_code == 403
    token = company_link_token(contact)
    assert client.get(f"/uebergaenge/betriebe/link/{token}/").status_code == 200
    company_links_revoke(contact=contact)
    assert client.get(f"/uebergaenge/betriebe/link/{token}/").status_code == 403
    assert client.get(f"/uebergaenge/betriebe/link/{token[:-2]}xx/").status_code == 403


def test_full_event_puts_bookings_on_the_waiting_list_and_cancelling_moves_them_up(
        tenant, company, school_a, student_factory):
    from bildungskette.transitions.services import booking_cancel

    event = _event(tenant, company, capacity=1)
    first = booking_create(event=event, student=student_factory(school_a))
    second = booking_create(event=event, student=student_factory(school_a))
    assert (first.status, second.status) == ("requested", "waitlist")
    booking_cancel(booking=first)
    second.refresh_from_db()
    assert second.status == "requested"


def test_school_books_a_whole_class_and_public_listing_and_ical(client, client_as, manager_a, tenant, company,
                                                                school_a, student_factory):
    event = _event(tenant, company, capacity=30)
    for _ in range(3):
        student_factory(school_a, "8b", 8)
    client_as(manager_a).post(f"/uebergaenge/veranstaltungen/{event.pk}/buchen/",
                              {"class_name": "8b", "shared_name": "pseudonym"})
    assert Booking.objects.filter(event=event).count() == 3
    client.logout()
    listing = client.get("/uebergaenge/veranstaltungen/").content.decode()
    assert "E-Craft Elektro" in listing
    ical = client.get("/uebergaenge/veranstaltungen.ics")
    assert ical["Content-Type"].startswith("text/calendar") and b"SUMMARY:E-Craft Elektro" in ical.content
    api = client.get("/api/transitions/events").json()
    assert api["events"][0]["free"] == 27
    assert "pseudonym" not in ical.content.decode() and "student" not in str(api)


def test_company_publishes_its_own_bfe_place_through_the_portal(client, tenant, contact, kaoa):
    from bildungskette.transitions.models import Event, OccupationalField
    from bildungskette.transitions.services import company_link_token

    client.post("/uebergaenge/betriebe/link/", {"token": company_link_token(contact)})
    field = OccupationalField.objects.get(code="EL")
    starts = (timezone.localtime() + datetime.timedelta(days=14)).replace(second=0, microsecond=0)
    response = client.post("/uebergaenge/betriebe/veranstaltungen/neu/", {
        "kind": "bfe", "title": "Berufsfelderkundung Elektro", "occupational_field": field.pk,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + datetime.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Werkstatt, Kassel", "capacity": 4, "is_public": "on"})
    assert response.status_code == 302
    event = Event.objects.get(title="Berufsfelderkundung Elektro")
    assert event.organisation == contact.organisation and event.kind == "bfe" and event.capacity == 4
    client.post("/uebergaenge/betriebe/abmelden/")
    assert "Berufsfelderkundung Elektro" in client.get("/uebergaenge/veranstaltungen/").content.decode()
    assert client.get("/uebergaenge/betriebe/veranstaltungen/neu/").status_code == 403


def test_openapi_lists_the_transition_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/transitions/events" in paths and "/api/transitions/schools/{id}/students" in paths


def test_the_audit_log_names_the_company_and_shows_labels_and_display_values(
        client, client_as, make_user, tenant, company, contact, school_a, student_factory):
    from bildungskette.core.models import AuditEntry, Role
    from bildungskette.transitions.services import company_link_token

    event = _event(tenant, company)
    booking = booking_create(event=event, student=student_factory(school_a))
    client.post("/uebergaenge/betriebe/link/", {"token": company_link_token(contact)})
    client.post(f"/uebergaenge/betriebe/buchungen/{booking.pk}/bestaetigen/")
    entry = AuditEntry.objects.filter(model_label="transitions.Booking", object_id=str(booking.pk),
                                      action="update").first()
    assert entry is not None and entry.actor_label == "Elektro Test GmbH (Anmeldung per Link)"

    admin = make_user(role=Role.TENANT_ADMIN, tenant=tenant)
    page = client_as(admin).get(f"/protokoll/?modell=transitions.Booking&objekt={booking.pk}").content.decode()
    assert "Elektro Test GmbH (Anmeldung per Link)" in page and "AnonymousUser" not in page
    assert "(Buchung)" in page and "transitions.Booking</span>" not in page
    # A booking is person-level: German field labels, never the values (core.audit, person_level=True).
    assert "Status: (Wert wird bei personenbezogenen Daten nicht protokolliert)" in page and "requested" not in page
    assert "tenant_id" not in page and "confirmed at" not in page and "Bestätigt am:" in page
    # Values of records that are not person-level are shown in their display form, linked objects by name.
    event.title = "E-Craft Elektro 2027"
    event.save()
    event_page = client_as(admin).get(f"/protokoll/?modell=transitions.Event&objekt={event.pk}").content.decode()
    assert "E-Craft Elektro → E-Craft Elektro 2027" in event_page
    other = client_as(admin).get(f"/protokoll/?modell=transitions.Booking&objekt={booking.pk + 1000}")
    assert "Elektro Test GmbH (Anmeldung per Link)" not in other.content.decode()
    mine = client_as(admin).get(f"/protokoll/?person={admin.pk}").content.decode()
    assert "Elektro Test GmbH (Anmeldung per Link)" not in mine
