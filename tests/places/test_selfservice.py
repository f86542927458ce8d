"""Providers maintain their own entries; coordination reviews; a yearly reminder asks to confirm."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bildungskette.core.models import Role
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.places.models import ChangeProposal, LearningPlace, Offer, PublicationStatus
from tests.security.forms_html import with_stand

pytestmark = pytest.mark.django_db


@pytest.fixture
def agentur(tenant):
    return Organisation.objects.create(tenant=tenant, name="Agentur für Arbeit Kassel",
                                       type=OrganisationType.AGENTUR_FUER_ARBEIT)


@pytest.fixture
def partner(make_user, tenant, agentur):
    user = make_user(role=Role.PARTNER, tenant=tenant, organisation=agentur)
    user.email = "partner@example.org"
    user.save()
    return user


@pytest.fixture
def coordination(make_user, tenant):
    return make_user(role=Role.COORDINATION, tenant=tenant)


@pytest.fixture
def berufsberatung(place_factory, tenant, agentur):
    return place_factory(name="Berufsberatung Kassel", category="berufsberatung", tenant=tenant, operator=agentur,
                         last_verified=datetime.date(2024, 3, 1))


def _place_form(place, **changes):
    data = {"name": place.name, "category": place.category_id, "street": place.street, "postcode": place.postcode,
            "city": place.city, "latitude": place.latitude, "longitude": place.longitude, "operator": place.operator_id,
            "step_free": "", "accessible_toilet": "", "induction_loop": ""}
    data.update(changes)
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_partner_change_waits_for_review_then_goes_live(client_as, partner, coordination, berufsberatung, client):
    editor, edit = client_as(partner), reverse("places:edit", args=[berufsberatung.pk])
    response = editor.post(edit, with_stand(editor, edit, _place_form(berufsberatung, opening_hours="Mo–Do 8–16 Uhr")))
    assert response.status_code == 302
    proposal = ChangeProposal.objects.get()
    assert proposal.changes == {"opening_hours": "Mo–Do 8–16 Uhr"}
    berufsberatung.refresh_from_db()
    assert berufsberatung.opening_hours == ""  # the public still sees the old entry
    client.logout()

    reviewer = client_as(coordination)
    assert "1 Eintrag wartet auf Prüfung" in reviewer.get("/").content.decode()  # start-page panel
    queue = reviewer.get(reverse("places:review")).content.decode()
    assert "Berufsberatung Kassel" in queue and "Mo–Do 8–16 Uhr" in queue
    reviewer.post(reverse("places:review_decide", args=["proposal", proposal.pk]), {"decision": "approve"})
    berufsberatung.refresh_from_db()
    proposal.refresh_from_db()
    assert berufsberatung.opening_hours == "Mo–Do 8–16 Uhr"
    assert berufsberatung.last_verified == timezone.localdate()
    assert proposal.status == ChangeProposal.Status.APPROVED and proposal.reviewed_by == coordination


def test_rejection_needs_a_reason(client_as, partner, coordination, berufsberatung):
    editor, edit = client_as(partner), reverse("places:edit", args=[berufsberatung.pk])
    editor.post(edit, with_stand(editor, edit, _place_form(berufsberatung, name="Falsch")))
    proposal = ChangeProposal.objects.get()
    reviewer = client_as(coordination)
    reviewer.post(reverse("places:review_decide", args=["proposal", proposal.pk]), {"decision": "reject"})
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.OPEN
    reviewer.post(reverse("places:review_decide", args=["proposal", proposal.pk]),
                  {"decision": "reject", "note": "Name stimmt nicht"})
    proposal.refresh_from_db()
    berufsberatung.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.REJECTED and berufsberatung.name == "Berufsberatung Kassel"


def test_new_partner_place_is_pending_until_published(client_as, client, partner, coordination, agentur):
    from bildungskette.places.models import Category

    category = Category.objects.get(code="jugendberufsagentur")
    client_as(partner).post(reverse("places:new"), {
        "name": "Jugendberufsagentur Kassel", "category": category.pk, "latitude": "51.3182", "longitude": "9.4876",
        "operator": agentur.pk, "step_free": "true", "accessible_toilet": "", "induction_loop": ""})
    place = LearningPlace.objects.get(name="Jugendberufsagentur Kassel")
    assert place.status == PublicationStatus.PENDING and place.kreis_code == "06611" and place.step_free is True
    client.logout()
    assert client.get(reverse("places:detail", args=[place.pk])).status_code == 404
    client_as(coordination).post(reverse("places:review_decide", args=["place", place.pk]), {"decision": "approve"})
    client.logout()
    assert client.get(reverse("places:detail", args=[place.pk])).status_code == 200


def test_partner_offer_and_coordination_entries_go_live_directly(client_as, partner, coordination, berufsberatung):
    data = {"title": "Sprechstunde Berufswahl", "place": berufsberatung.pk, "provider": berufsberatung.operator_id,
            "target_groups": [], "topics": []}
    client_as(partner).post(reverse("places:offer_new"), data)
    assert Offer.objects.get(title="Sprechstunde Berufswahl").status == PublicationStatus.PENDING
    client_as(coordination).post(reverse("places:offer_new"), {**data, "title": "Elternabend"})
    assert Offer.objects.get(title="Elternabend").status == PublicationStatus.PUBLISHED


def test_partner_cannot_edit_other_organisations_places(client_as, make_user, tenant, berufsberatung):
    other_org = Organisation.objects.create(tenant=tenant, name="IHK", type=OrganisationType.IHK)
    stranger = make_user(role=Role.PARTNER, tenant=tenant, organisation=other_org)
    assert client_as(stranger).get(reverse("places:edit", args=[berufsberatung.pk])).status_code == 403


def test_other_tenants_coordination_cannot_review(client_as, make_user, other_tenant, partner, berufsberatung):
    foreign = make_user(role=Role.COORDINATION, tenant=other_tenant)
    ChangeProposal.objects.create(tenant=berufsberatung.tenant, place=berufsberatung, changes={"name": "X"},
                                  submitted_by=partner)
    html = client_as(foreign).get(reverse("places:review")).content.decode()
    assert "Berufsberatung Kassel" not in html
    proposal = ChangeProposal.objects.get()
    response = client_as(foreign).post(reverse("places:review_decide", args=["proposal", proposal.pk]),
                                       {"decision": "approve"})
    assert response.status_code == 404


def test_provider_confirms_entry_and_start_page_shows_what_is_due(client_as, partner, berufsberatung,
                                                                  django_assert_max_num_queries):
    client = client_as(partner)
    start = client.get("/").content.decode()
    assert "Ihre Lernorte und Angebote" in start and "1 Eintrag muss bestätigt werden" in start
    with django_assert_max_num_queries(15):
        mine = client.get(reverse("places:mine")).content.decode()
    assert "Berufsberatung Kassel" in mine and "fällig" in mine
    response = client.post(reverse("places:confirm", args=[berufsberatung.pk]), {"next": "https://evil.example/"})
    assert response.url == reverse("places:mine")  # no open redirect
    berufsberatung.refresh_from_db()
    assert berufsberatung.last_verified == timezone.localdate()


def test_yearly_reminder_mails_provider_once(partner, berufsberatung, place_factory, agentur):
    place_factory(name="Frisch bestätigt", tenant=berufsberatung.tenant, operator=agentur,
                  last_verified=timezone.localdate())
    call_command("places-remind", "--base-url", "https://bildung.example.org")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["partner@example.org"]
    assert "Berufsberatung Kassel" in message.body and "Frisch bestätigt" not in message.body
    assert "https://bildung.example.org/lernorte/meine/" in message.body
    call_command("places-remind")
    assert len(mail.outbox) == 1  # not again within 30 days


def test_coordination_uploads_a_file_and_sees_the_report(client_as, coordination, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"Name;Kategorie;lat;lon\nStadtbibliothek;bibliothek;51.3137;9.4947\n"
    response = client_as(coordination).post(reverse("places:import"), {
        "file": SimpleUploadedFile("orte.csv", content, content_type="text/csv"), "format": "places-csv",
        "mapping": ""})
    html = response.content.decode()
    assert "orte.csv: 1 neu" in html
    broken = b"Name;Kategorie;lat;lon\nStadtbibliothek;Raumschiff;51.3;9.4\n"
    response = client_as(coordination).post(reverse("places:import"), {
        "file": SimpleUploadedFile("kaputt.csv", broken, content_type="text/csv"), "format": "auto",
        "mapping": ""})
    assert "Zeile 2" in response.content.decode() and "nichts wurde gespeichert" in response.content.decode()
    assert LearningPlace.objects.count() == 1


def test_partner_cannot_upload(client_as, partner):
    assert client_as(partner).get(reverse("places:import")).status_code == 403
