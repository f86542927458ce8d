"""Issue #12, finding 1 and the magic link: a school's transition manager cannot reach another
school's pupils through the company portal; the e-mailed link is single-use, short-lived, signs in
by POST from its landing page, and link requests are rate-limited."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from bildungskette.core.models import Role
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.transitions.models import Activity, Booking, CompanyContact
from bildungskette.transitions.services import booking_create, company_link_token, event_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(tenant):
    return Organisation.objects.create(tenant=tenant, name="Elektro Test GmbH", type=OrganisationType.BETRIEB)


@pytest.fixture
def contact(tenant, company):
    return CompanyContact.objects.create(tenant=tenant, organisation=company, name="Frau Ausbilderin",
                                         email="ausbildung@elektro.example")


def _event(tenant, organisation):
    starts = timezone.now() + datetime.timedelta(days=10)
    return event_create(tenant=tenant, organisation=organisation, title="E-Craft Elektro", starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=3), location="Kassel", capacity=5)


def _token_from_mail() -> str:
    return re.search(r"/betriebe/link/([^/\s]+)/", mail.outbox[-1].body).group(1)


def _sign_in(client, token):
    return client.post("/uebergaenge/betriebe/link/", {"token": token})


def test_transition_manager_cannot_add_a_contact_and_reach_other_schools_pupils(
        client, client_as, tenant, company, school_a, school_b, manager_a, student_factory):
    """The attack from the issue: TM of school A adds their own address to a company whose event
    school B booked, requests the link, signs in and confirms B's booking."""
    event = _event(tenant, company)
    pupil_b = student_factory(school_b)
    booking_b = booking_create(event=event, student=pupil_b)

    tm = client_as(manager_a)
    added = tm.post("/uebergaenge/veranstaltungen/betriebskontakte/",
                    {"organisation": company.pk, "name": "Ich", "email": "tm-a@schule.example"})
    assert added.status_code == 403
    assert not CompanyContact.objects.filter(email="tm-a@schule.example").exists()
    tm.get("/uebergaenge/")  # the start page of the area offers no contact management either
    assert "betriebskontakte" not in tm.get("/uebergaenge/").content.decode()

    client.logout()
    client.post("/uebergaenge/betriebe/anmelden/", {"email": "tm-a@schule.example"})
    assert mail.outbox == []
    page = client.get(f"/uebergaenge/betriebe/veranstaltungen/{event.pk}/")
    assert page.status_code == 403 and pupil_b.pseudonym not in page.content.decode()
    assert client.post(f"/uebergaenge/betriebe/buchungen/{booking_b.pk}/bestaetigen/").status_code == 403
    assert client.post(f"/uebergaenge/betriebe/buchungen/{booking_b.pk}/teilnahme/",
                       {"attended": "1"}).status_code == 403
    booking_b.refresh_from_db()
    assert booking_b.status == "requested" and not Activity.objects.filter(student=pupil_b).exists()


@pytest.mark.parametrize(("role", "tied_to_school", "allowed"), [
    (Role.TENANT_ADMIN, False, True),
    (Role.COORDINATION, False, True),
    (Role.COORDINATION, True, False),  # coordination tied to one organisation: not tenant-wide
    (Role.TRANSITION_MANAGER, True, False),
    (Role.PARTNER, True, False),
    (Role.MONITORING, False, False),
    (Role.DATA_PROTECTION, False, False),
])
def test_only_tenant_wide_roles_manage_company_contacts(client_as, make_user, tenant, company, school_a,
                                                        role, tied_to_school, allowed):
    user = make_user(role=role, tenant=tenant, organisation=school_a.organisation if tied_to_school else None)
    response = client_as(user).post("/uebergaenge/veranstaltungen/betriebskontakte/",
                                    {"organisation": company.pk, "name": "Neu", "email": "neu@elektro.example"})
    assert (response.status_code == 302) is allowed
    assert CompanyContact.objects.filter(email="neu@elektro.example").exists() is allowed


def test_superuser_cannot_add_company_contacts(client_as, tenant, company):
    from bildungskette.core.services import user_ensure

    root = user_ensure(username="root", password="Geheim-12345-root")
    root.is_superuser = root.is_staff = True
    root.save()
    response = client_as(root).post("/uebergaenge/veranstaltungen/betriebskontakte/",
                                    {"organisation": company.pk, "name": "Root", "email": "root@x.example"})
    assert response.status_code == 403


def test_company_manages_its_own_contacts_in_the_portal(client, tenant, company, contact):
    _sign_in(client, company_link_token(contact))
    client.post("/uebergaenge/betriebe/ansprechpersonen/", {"name": "Herr Kollege", "email": "kollege@elektro.example"})
    colleague = CompanyContact.objects.get(email="kollege@elektro.example")
    assert colleague.organisation == company and colleague.tenant == tenant
    other = Organisation.objects.create(tenant=tenant, name="Andere AG", type=OrganisationType.BETRIEB)
    stranger = CompanyContact.objects.create(tenant=tenant, organisation=other, name="X", email="x@andere.example")
    assert client.post("/uebergaenge/betriebe/ansprechpersonen/", {"deactivate": stranger.pk}).status_code == 404
    client.post("/uebergaenge/betriebe/ansprechpersonen/", {"deactivate": colleague.pk})
    colleague.refresh_from_db()
    stranger.refresh_from_db()
    assert colleague.is_active is False and stranger.is_active is True


def test_company_sees_and_touches_only_bookings_of_its_own_events(client, tenant, company, contact, school_a,
                                                                 student_factory, tenant_factory):
    event = _event(tenant, company)
    mine = booking_create(event=event, student=student_factory(school_a))
    cancelled = booking_create(event=event, student=student_factory(school_a))
    Booking.objects.filter(pk=cancelled.pk).update(status="cancelled")
    other = Organisation.objects.create(tenant=tenant, name="Andere AG", type=OrganisationType.BETRIEB)
    foreign = booking_create(event=_event(tenant, other), student=student_factory(school_a))
    _sign_in(client, company_link_token(contact))
    assert client.post(f"/uebergaenge/betriebe/buchungen/{mine.pk}/bestaetigen/").status_code == 302
    assert client.post(f"/uebergaenge/betriebe/buchungen/{foreign.pk}/bestaetigen/").status_code == 404
    assert client.post(f"/uebergaenge/betriebe/buchungen/{cancelled.pk}/teilnahme/",
                       {"attended": "1"}).status_code == 404
    mine.refresh_from_db()
    foreign.refresh_from_db()
    assert mine.status == "confirmed" and foreign.status == "requested"


# --- the magic link -------------------------------------------------------------------------


def test_link_is_single_use(client, contact):
    token = company_link_token(contact)
    assert _sign_in(client, token).status_code == 302
    client.post("/uebergaenge/betriebe/abmelden/")
    second = _sign_in(client, token)
    assert second.status_code == 403 and "nicht mehr" in second.content.decode()
    assert client.get(f"/uebergaenge/betriebe/link/{token}/").status_code == 403
    assert client.get("/uebergaenge/betriebe/").status_code == 302


def test_link_lives_thirty_minutes(client, contact):
    with freeze_time("2026-11-30 10:00:00"):
        token = company_link_token(contact)
    with freeze_time("2026-11-30 10:29:59"):
        assert client.get(f"/uebergaenge/betriebe/link/{token}/").status_code == 200
    with freeze_time("2026-11-30 10:30:00"):
        assert client.get(f"/uebergaenge/betriebe/link/{token}/").status_code == 403
        assert _sign_in(client, token).status_code == 403


def test_landing_page_does_not_sign_in_and_leaks_no_referrer(client, contact):
    token = company_link_token(contact)
    landing = client.get(f"/uebergaenge/betriebe/link/{token}/")
    assert landing["Referrer-Policy"] == "origin"
    assert 'action="/uebergaenge/betriebe/link/"' in landing.content.decode()
    assert client.post(f"/uebergaenge/betriebe/link/{token}/").status_code == 405
    assert client.get("/uebergaenge/betriebe/").status_code == 302
    assert _sign_in(client, token).status_code == 302  # not used up by the GET


def test_link_requests_are_rate_limited_per_address(client, contact):
    for _ in range(3):
        client.post("/uebergaenge/betriebe/anmelden/", {"email": contact.email})
    assert len(mail.outbox) == 3
    fourth = client.post("/uebergaenge/betriebe/anmelden/", {"email": contact.email})
    assert fourth.status_code == 200 and len(mail.outbox) == 3  # same answer, no fourth mail
    with freeze_time(timezone.now() + datetime.timedelta(minutes=61)):
        client.post("/uebergaenge/betriebe/anmelden/", {"email": contact.email})
    assert len(mail.outbox) == 4


def test_link_requests_are_rate_limited_per_ip(client, contact):
    for n in range(20):
        assert client.post("/uebergaenge/betriebe/anmelden/", {"email": f"probe{n}@x.example"}).status_code == 200
    blocked = client.post("/uebergaenge/betriebe/anmelden/", {"email": contact.email})
    assert blocked.status_code == 429 and "Zu viele Anfragen" in blocked.content.decode()
    assert mail.outbox == []
    other_ip = client.post("/uebergaenge/betriebe/anmelden/", {"email": contact.email}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 200 and len(mail.outbox) == 1
