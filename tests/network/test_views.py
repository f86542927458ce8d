"""Pages as users see them: lists and details (with query budgets), the meeting workflow through the
forms, what a partner and the public may see, PDFs, calendar feeds and the network graph."""

from __future__ import annotations

import datetime
import struct

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from icalendar import Calendar

from bildungskette.network import services
from bildungskette.network.calendar import feed_token
from bildungskette.network.models import ActionItem, Decision, Meeting
from tests.security.forms_html import with_stand

from .test_services import pdf_text

pytestmark = pytest.mark.django_db


def test_index_lists_visible_bodies_within_query_budget(net, client_as, django_assert_max_num_queries):
    client = client_as(net.users["coordination"])
    for i in range(30):
        services.body_create(tenant=net.tenant, name=f"Arbeitskreis {i:02d}", type="arbeitskreis")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network:index"))
    html = response.content.decode()
    assert "Arbeitskreis 00" in html and "Seite 1 von 2" in html
    page2 = client.get(reverse("network:index") + "?page=2").content.decode()
    assert "OloV-Steuerungsgruppe Region Kassel" in page2
    assert "Steuerungsgremium KAoA Bochum" not in html + page2  # other tenant


def test_partner_sees_only_the_bodies_of_its_organisation(net, client_as):
    services.body_create(tenant=net.tenant, name="Ausschuss für Schule und Bildung", type="ausschuss",
                         is_public=True)
    client = client_as(net.users["partner"])
    html = client.get(reverse("network:index")).content.decode()
    assert "OloV-Steuerungsgruppe Region Kassel" in html
    assert "Facharbeitsgruppe Übergang" not in html
    assert "Ausschuss für Schule und Bildung" not in html  # public, but not the partner's body
    assert "Ausschuss für Schule und Bildung" in client.get(reverse("network:index") + "?alle=1").content.decode()
    assert client.get(reverse("network:body", args=[net.working_group.pk])).status_code == 403
    assert client.get(reverse("network:body", args=[net.other_body.pk])).status_code == 403
    assert client.get(reverse("network:graph")).status_code == 403


def test_body_page_lists_members_roles_delegates_and_hides_former_members(net, client_as,
                                                                          django_assert_max_num_queries):
    services.chair_rotation_set(body=net.steering, starts_on=datetime.date(2013, 8, 1),
                                organisations=[net.schulamt, net.agentur])
    client = client_as(net.users["coordination"])
    with django_assert_max_num_queries(30):
        response = client.get(reverse("network:body", args=[net.steering.pk]))
    html = response.content.decode()
    for name in ["Agentur für Arbeit Kassel", "Staatliches Schulamt", "Stadt und Landkreis Kassel",
                 "Erika Beispiel", "Max Vertretung", "Co-Vorsitz", "Geschäftsführung", "Vorsitzplan"]:
        assert name in html
    ihk_row = f'<a href="/akteure/{net.ihk.pk}/">IHK Kassel-Marburg</a>'
    assert ihk_row not in html
    assert ihk_row in client.get(reverse("network:body", args=[net.steering.pk]) + "?ehemalige=1").content.decode()
    assert "Facharbeitsgruppe Übergang" in html  # working group nested under the steering group


def test_public_body_page_for_visitors_without_people_and_tasks(net, meeting_with_minutes, client):
    response = client.get(reverse("network:body", args=[net.steering.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Agentur für Arbeit Kassel" in html
    assert "Erika Beispiel" not in html and "Datenbericht vorlegen" not in html
    meeting_html = client.get(reverse("network:meeting", args=[meeting_with_minutes["meeting"].pk])).content.decode()
    assert "Regionale Zielvereinbarung" in meeting_html and "Datenbericht wird beauftragt." in meeting_html
    assert "Vertrauliches" not in meeting_html  # non-public agenda item
    assert "Räume reservieren" not in meeting_html  # action items are internal
    assert client.get(reverse("network:minutes_pdf", args=[meeting_with_minutes["meeting"].pk])).status_code == 302
    internal = client.get(reverse("network:body", args=[net.working_group.pk]))
    assert internal.status_code == 302 and "/anmelden/" in internal["Location"]


def test_coordinator_runs_a_meeting_through_the_forms(net, client_as, mailoutbox):
    client = client_as(net.users["coordination"])
    start = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(reverse("network:meeting_new", args=[net.steering.pk]), {
        "title": "Frühjahrssitzung", "starts_at": f"{start:%Y-%m-%d}T09:30", "location": "Rathaus Kassel"})
    meeting = Meeting.objects.get(title="Frühjahrssitzung")
    assert response.status_code == 302
    for title in ["Begrüßung", "Ausbildungsbörse"]:
        client.post(reverse("network:agenda_item_new", args=[meeting.pk]),
                    {"title": title, "presenter": "Koordination", "duration_minutes": "15", "is_public": "on"})
    top = meeting.agenda_items.get(title="Ausbildungsbörse")
    client.post(reverse("network:meeting_invite", args=[meeting.pk]))
    assert len(mailoutbox) == 3
    from tests.security.forms_html import form_with_field

    def minutes_stand():
        page = client.get(reverse("network:minutes", args=[meeting.pk])).content.decode()
        return form_with_field(page, "stand")["stand"]

    minutes = {f"item_{top.pk}": "Termin im Mai.", f"att_{net.agentur.pk}": "present",
               f"att_{net.stadt.pk}": "excused", "minutes_taker": "K."}
    # A week before the meeting: minutes and attendance are refused, the meeting stays "eingeladen".
    early = client.post(reverse("network:minutes", args=[meeting.pk]), {**minutes, "stand": minutes_stand()})
    assert early.status_code == 200
    assert "Ein Protokoll kann erst ab Beginn der Sitzung" in early.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "invited" and not meeting.attendances.exists()
    assert "Anwesenheit und Protokoll können erst ab Beginn erfasst werden" in client.get(
        reverse("network:minutes", args=[meeting.pk])).content.decode()
    with freeze_time(meeting.starts_at + datetime.timedelta(hours=2)):  # on the day, after the meeting
        client = client_as(net.users["coordination"])  # the session of a week ago has expired
        client.post(reverse("network:minutes", args=[meeting.pk]), {**minutes, "stand": minutes_stand()})
        meeting.refresh_from_db()
        assert meeting.status == "held"
    client = client_as(net.users["coordination"])
    for text in ["Börse im Mai", "Schulen werden beteiligt"]:
        client.post(reverse("network:decision_new", args=[meeting.pk]),
                    {"beschluss-agenda_item": str(top.pk), "beschluss-text": text, "beschluss-is_public": "on"})
    decision = Decision.objects.get(text="Börse im Mai")
    due = timezone.localdate() + datetime.timedelta(days=10)
    for title, org in [("Räume buchen", net.stadt), ("Betriebe ansprechen", net.agentur),
                       ("Schulen einladen", net.schulamt)]:
        client.post(reverse("network:action_item_new", args=[meeting.pk]), {
            "aufgabe-title": title, "aufgabe-decision": str(decision.pk), "aufgabe-owner_organisation": str(org.pk),
            "aufgabe-due_date": due.isoformat()})
    assert ActionItem.objects.filter(meeting=meeting, decision=decision).count() == 3
    html = client.get(reverse("network:action_items")).content.decode()
    for text in ["Räume buchen", "Betriebe ansprechen", "Schulen einladen", "Stadt und Landkreis Kassel",
                 "Staatliches Schulamt für den Landkreis und die Stadt Kassel"]:
        assert text in html
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert {a.organisation_id: a.status for a in meeting.attendances.all()} == {
        net.agentur.pk: "present", net.stadt.pk: "excused", net.schulamt.pk: "absent"}
    assert "Termin im Mai." in pdf_text(client.get(reverse("network:minutes_pdf", args=[meeting.pk])).content)


def test_action_item_for_another_organisations_person_is_refused_with_a_message(net, meeting_with_minutes,
                                                                                 client_as):
    client = client_as(net.users["coordination"])
    meeting = meeting_with_minutes["meeting"]
    response = client.post(reverse("network:action_item_new", args=[meeting.pk]), {
        "aufgabe-title": "falsch", "aufgabe-owner_organisation": str(net.stadt.pk),
        "aufgabe-owner_person": str(net.delegate.pk)}, follow=True)
    assert "Die Person gehört nicht zur verantwortlichen Organisation." in response.content.decode()
    assert not ActionItem.objects.filter(title="falsch").exists()


def test_open_action_items_per_organisation_with_overdue_highlighted(net, meeting_with_minutes, client_as,
                                                                    django_assert_max_num_queries):
    client = client_as(net.users["coordination"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network:action_items"))
    html = response.content.decode()
    assert html.count('class="overdue"') >= 2  # the overdue row and its organisation in the overview
    assert "überfällig" in html
    only_overdue = client.get(reverse("network:action_items") + "?ueberfaellig=1").content.decode()
    assert "Datenbericht vorlegen" in only_overdue and "Räume reservieren" not in only_overdue
    by_org = client.get(reverse("network:action_items") + f"?organisation={net.agentur.pk}").content.decode()
    assert "Räume reservieren" in by_org and "Datenbericht vorlegen" not in by_org


def test_partner_sees_action_items_of_its_bodies_and_updates_only_its_own(net, meeting_with_minutes, client_as):
    client = client_as(net.users["partner"])
    html = client.get(reverse("network:action_items")).content.decode()
    assert "Räume reservieren" in html and "Datenbericht vorlegen" in html
    own, other = meeting_with_minutes["items"][1], meeting_with_minutes["items"][0]
    own_url = reverse("network:action_item", args=[own.pk])
    client.post(own_url, with_stand(client, own_url, {"status": "done", "progress_note": "gebucht"}))
    own.refresh_from_db()
    assert own.status == "done"
    assert client.post(reverse("network:action_item", args=[other.pk]), {"status": "done"}).status_code == 403
    outsider = client_as(net.users["ihk_partner"])
    assert "Räume reservieren" not in outsider.get(reverse("network:action_items")).content.decode()
    assert outsider.get(reverse("network:action_item", args=[other.pk])).status_code == 403


def test_meeting_page_within_query_budget(net, meeting_with_minutes, client_as, django_assert_max_num_queries):
    client = client_as(net.users["coordination"])
    with django_assert_max_num_queries(25):
        response = client.get(reverse("network:meeting", args=[meeting_with_minutes["meeting"].pk]))
    html = response.content.decode()
    assert "TOP 2.1" in html and "Vertrauliches" in html and "Räume reservieren" in html


def test_agenda_pdf_and_calendar_feeds(net, meeting_with_minutes, client, client_as):
    meeting = meeting_with_minutes["meeting"]
    pdf = client.get(reverse("network:agenda_pdf", args=[meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Regionale Zielvereinbarung" in text and "Rathaus Kassel, Raum 101" in text
    feed = client.get(reverse("network:body_ical", args=[net.steering.pk]))
    calendar = Calendar.from_ical(feed.content)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["OloV-SG: 2. Sitzung"]
    assert events[0].decoded("dtstart") == meeting.starts_at
    # Internal bodies: only with the signed link.
    assert client.get(reverse("network:body_ical", args=[net.working_group.pk])).status_code == 404
    token = feed_token("body", net.working_group.pk)
    assert client.get(reverse("network:body_ical", args=[net.working_group.pk]) + f"?token={token}"
                      ).status_code == 200
    forged = feed_token("body", net.steering.pk)
    assert client.get(reverse("network:body_ical", args=[net.working_group.pk]) + f"?token={forged}"
                      ).status_code == 404
    person_feed = client.get(reverse("network:person_ical", args=[feed_token("person", net.deputy.pk)]))
    assert [str(e["summary"]) for e in Calendar.from_ical(person_feed.content).walk("VEVENT")] == [
        "OloV-SG: 2. Sitzung"]
    assert client.get(reverse("network:person_ical", args=["kaputt"])).status_code == 404


def test_network_graph_flags_overload_and_missing_key_partner_and_exports(net, client_as, settings):
    settings.NETWORK_BODIES_PER_ORGANISATION_LIMIT = 2
    client = client_as(net.users["coordination"])
    html = client.get(reverse("network:graph")).content.decode()
    # Stadt sits in the steering group and the working group (limit 2); the steering group lacks a Jobcenter.
    assert "In zu vielen Gremien:</span> Stadt und Landkreis Kassel" in html
    assert "OloV-Steuerungsgruppe Region Kassel – ohne aktives Mitglied von: Jobcenter" in html
    assert "<svg" in html and 'role="img"' in html
    found = client.get(reverse("network:graph") + "?q=Agentur").content.decode()
    assert "Agentur für Arbeit Kassel" in found and "Facharbeitsgruppe Übergang</a>" not in found
    svg = client.get(reverse("network:graph_download", args=["svg"]))
    assert svg["Content-Type"].startswith("image/svg+xml") and b"Agentur f\xc3\xbcr Arbeit Kassel" in svg.content
    png = client.get(reverse("network:graph_download", args=["png"]))
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png.content[16:24])  # IHDR
    assert width > 1000 and height > 200


def test_agreement_page_shows_implementation_at_a_glance(net, client_as, django_assert_max_num_queries):
    agreement = services.agreement_create(tenant=net.tenant, title="Arbeitsbündnis „Jugend und Beruf“",
                                          subject="Zusammenarbeit", parties=[net.agentur, net.stadt],
                                          signed_on=datetime.date(2013, 12, 9), signed_at_place="Kassel")
    c1 = services.commitment_add(agreement=agreement, party=net.agentur, text="Berufsberatung an Schulen")
    services.commitment_add(agreement=agreement, party=net.stadt, text="Koordinierungsstelle")
    services.commitment_update_status(commitment=c1, status="fulfilled", evidence="Plan")
    client = client_as(net.users["coordination"])
    with django_assert_max_num_queries(20):
        html = client.get(reverse("network:agreement", args=[agreement.pk])).content.decode()
    assert "1 von 2 Zusagen umgesetzt (50 %)" in html
    assert "09.12.2013" in html
    partner = client_as(net.users["partner"])
    partner.post(reverse("network:commitment_update", args=[c1.pk]), {"status": "in_progress", "evidence": ""})
    c1.refresh_from_db()
    assert c1.status == "in_progress"
    c2 = agreement.commitments.get(party=net.stadt)
    assert partner.post(reverse("network:commitment_update", args=[c2.pk]), {"status": "open"}).status_code == 403


def test_start_page_panel_for_partner_shows_its_bodies_meetings_and_items(net, meeting_with_minutes, client_as):
    services.meeting_create(body=net.steering, title="Nächste Sitzung", starts_at=timezone.now()
                            + datetime.timedelta(days=5), location="Kassel")
    html = client_as(net.users["partner"]).get("/").content.decode()
    assert "Ihre Gremien" in html
    assert "OloV-Steuerungsgruppe Region Kassel" in html
    assert "OloV-SG" in html  # next meeting
    assert "Räume reservieren" in html
    assert "Facharbeitsgruppe Übergang" not in html


def test_coordinator_sets_the_chair_rotation_and_the_page_names_next_years_chair(net, client_as):
    client = client_as(net.users["coordination"])
    rotation = reverse("network:chair_rotation", args=[net.steering.pk])
    response = client.post(rotation, with_stand(client, rotation, {
        "starts_on": "2013-08-01", "term_months": "12", "first": str(net.schulamt.pk), "second": str(net.agentur.pk),
        "description": "jährlicher Wechsel"}))
    assert response.status_code == 302
    html = client.get(reverse("network:body", args=[net.steering.pk])).content.decode()
    from bildungskette.network.selectors import chair_overview

    overview = chair_overview(net.steering)
    assert [slot.organisation for slot in net.steering.chair_rotation.slots.all()] == [net.schulamt, net.agentur]
    assert f"Den Vorsitz führt derzeit <strong>{overview['current'].organisation.name}</strong>" in html
    assert f"In einem Jahr führt <strong>{overview['next_year'].organisation.name}</strong>" in html
    assert overview["next_year"].organisation != overview["current"].organisation
    same_twice = client.post(rotation, with_stand(client, rotation, {
        "starts_on": "2013-08-01", "term_months": "12", "first": str(net.schulamt.pk), "second": str(net.schulamt.pk)}))
    assert "Jede Organisation nur einmal" in same_twice.content.decode()
    assert client_as(net.users["partner"]).get(reverse("network:chair_rotation", args=[net.steering.pk])
                                               ).status_code == 403


def test_agreement_documents_are_uploaded_and_downloaded_only_by_those_who_see_the_agreement(
        net, client_as, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    agreement = services.agreement_create(tenant=net.tenant, title="Arbeitsbündnis", subject="x",
                                          parties=[net.agentur, net.stadt])
    client = client_as(net.users["coordination"])
    client.post(reverse("network:agreement_document_new", args=[agreement.pk]), {
        "title": "Vereinbarung (unterzeichnet)", "file": SimpleUploadedFile("vereinbarung.pdf", b"%PDF-1.4 x")})
    document = agreement.documents.get()
    assert document.size == 10 and len(document.sha1) == 40
    assert b"".join(client.get(reverse("network:document", args=[document.pk])).streaming_content) == b"%PDF-1.4 x"
    partner = client_as(net.users["partner"])
    assert partner.get(reverse("network:document", args=[document.pk])).status_code == 200
    outsider = client_as(net.users["other_coordination"])
    assert outsider.get(reverse("network:document", args=[document.pk])).status_code == 403


def test_agenda_items_are_reordered_and_removed_unless_decided(net, meeting_with_minutes, client_as):
    client = client_as(net.users["coordination"])
    meeting = meeting_with_minutes["meeting"]
    top2 = meeting_with_minutes["top2"]
    client.post(reverse("network:agenda_item_change", args=[top2.pk]), {"aktion": "hoch"})
    from bildungskette.network.selectors import agenda_tree

    assert [(n, i.title) for n, i, _k in agenda_tree(meeting)][:2] == [("1", "Ausbildungsbörse"),
                                                                       ("2", "Regionale Zielvereinbarung")]
    response = client.post(reverse("network:agenda_item_change", args=[top2.pk]), {"aktion": "entfernen"},
                           follow=True)
    assert "schon Beschlüsse oder Aufgaben" in response.content.decode()
    loose = meeting.agenda_items.get(title="Vertrauliches")
    client.post(reverse("network:agenda_item_change", args=[loose.pk]), {"aktion": "entfernen"})
    assert not meeting.agenda_items.filter(title="Vertrauliches").exists()
    partner = client_as(net.users["partner"])
    assert partner.post(reverse("network:agenda_item_change", args=[top2.pk]), {"aktion": "hoch"}).status_code == 403


def test_coordination_start_page_names_agreements_due_for_review(net, client_as):
    services.agreement_create(tenant=net.tenant, title="Arbeitsbündnis „Jugend und Beruf“", subject="x",
                              review_on=timezone.localdate() + datetime.timedelta(days=10), reminder_days=60)
    services.agreement_create(tenant=net.tenant, title="Später zu prüfen", subject="y",
                              review_on=timezone.localdate() + datetime.timedelta(days=200), reminder_days=60)
    html = client_as(net.users["coordination"]).get("/").content.decode()
    assert "Vereinbarungen: Überprüfung oder Ablauf" in html
    assert "Arbeitsbündnis „Jugend und Beruf“" in html and "Später zu prüfen" not in html


def test_all_meetings_of_a_body_are_paginated(net, client, django_assert_max_num_queries):
    for i in range(30):
        services.meeting_create(body=net.steering, title=f"Sitzung {i:02d}", location="Kassel",
                                starts_at=timezone.now() - datetime.timedelta(days=30 * i))
    with django_assert_max_num_queries(8):
        html = client.get(reverse("network:body_meetings", args=[net.steering.pk])).content.decode()
    assert "Sitzung 00" in html and "Sitzung 29" not in html and "Seite 1 von 2" in html
    assert client.get(reverse("network:body_meetings", args=[net.working_group.pk])).status_code == 302


def test_public_visitors_get_neither_titles_nor_files_of_non_public_agenda_items(net, meeting_with_minutes, client,
                                                                                client_as, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    meeting = meeting_with_minutes["meeting"]
    secret = meeting.agenda_items.get(title="Vertrauliches")
    document = services.document_attach(tenant=net.tenant, title="Personalsache", agenda_item=secret,
                                        uploaded=SimpleUploadedFile("p.pdf", b"%PDF-1.4 geheim"))
    public_pdf = pdf_text(client.get(reverse("network:agenda_pdf", args=[meeting.pk])).content)
    assert "Regionale Zielvereinbarung" in public_pdf and "Vertrauliches" not in public_pdf
    assert client.get(reverse("network:document", args=[document.pk])).status_code == 302
    staff = client_as(net.users["monitoring"])
    assert "Vertrauliches" in pdf_text(staff.get(reverse("network:agenda_pdf", args=[meeting.pk])).content)
    assert staff.get(reverse("network:document", args=[document.pk])).status_code == 200


def test_a_second_body_with_the_same_name_is_refused_with_a_message(net, client_as):
    client = client_as(net.users["coordination"])
    response = client.post(reverse("network:body_new"), {"name": "OloV-Steuerungsgruppe Region Kassel",
                                                         "type": "steuerungsgruppe"})
    assert response.status_code == 200
    assert "Gremium mit diesem Wert für das Feld Mandant und Name existiert bereits." in response.content.decode()
    response = client.post(reverse("network:body_new"), {"name": "Arbeitskreis Eltern", "type": "arbeitskreis",
                                                         "parent": str(net.steering.pk)})
    assert response.status_code == 302
    assert net.steering.children.filter(name="Arbeitskreis Eltern").exists()


def test_agenda_item_text_is_edited_and_cannot_become_a_third_level(net, meeting_with_minutes, client_as):
    client = client_as(net.users["coordination"])
    top1 = meeting_with_minutes["top1"]
    edit1 = reverse("network:agenda_item_edit", args=[top1.pk])
    client.post(edit1, with_stand(client, edit1, {
        "title": "Regionale Zielvereinbarung 2026", "presenter": "Koordination", "duration_minutes": "40",
        "is_public": "on"}))
    top1.refresh_from_db()
    assert (top1.title, top1.duration_minutes) == ("Regionale Zielvereinbarung 2026", 40)
    top2 = meeting_with_minutes["top2"]  # has a sub-item, so it cannot move under another item
    edit2 = reverse("network:agenda_item_edit", args=[top2.pk])
    response = client.post(edit2, with_stand(client, edit2, {"title": top2.title, "parent": str(top1.pk),
                                                              "is_public": "on"}))
    assert "höchstens zwei Ebenen" in response.content.decode()
