"""Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit with its feedback form, and
Leichte Sprache: per tenant, edited by its administration in the German UI, linked in every footer."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from bildungskette.core.models import TO_COMPLETE, AccessibilityFeedback, LegalPages
from bildungskette.core.public import FEEDBACK_LIMIT

pytestmark = pytest.mark.django_db

PUBLIC = ["core:imprint", "core:privacy", "core:accessibility", "core:easy_language"]


@pytest.mark.parametrize("name", PUBLIC)
def test_defaults_are_shown_and_say_they_must_be_completed(client, tenant, name):
    html = client.get(reverse(name, args=[tenant.slug])).content.decode()
    assert 'data-testid="legal-incomplete"' in html
    assert f"{tenant.name} muss sie vervollständigen" in html


def test_accessibility_statement_has_the_bitv_structure(client, tenant):
    html = client.get(reverse("core:accessibility", args=[tenant.slug])).content.decode()
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    assert headings == ["Stand der Vereinbarkeit mit den Anforderungen", "Nicht barrierefreie Inhalte",
                        "Erstellung dieser Erklärung zur Barrierefreiheit", "Feedback und Kontaktangaben",
                        "Schlichtungsverfahren"]
    assert "mit den Anforderungen der BITV 2.0 teilweise vereinbar" in html


def _admin(client_as, make_user, tenant, **kw):
    return client_as(make_user(role="tenant_admin", tenant=tenant, **kw))


def _form_data(html: str) -> dict:
    data = {}
    for name, value in re.findall(r'<input type="(?:hidden|text|email|url|date)" name="(\w+)" value="([^"]*)"', html):
        data[name] = value
    for name, value in re.findall(r'<textarea name="(\w+)"[^>]*>\n?(.*?)</textarea>', html, re.S):
        data[name] = value.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    for name in re.findall(r'<select name="(\w+)"', html):
        data[name] = re.search(rf'<select name="{name}".*?<option value="(\w+)" selected', html, re.S).group(1)
    return data


def test_tenant_admin_edits_in_the_german_ui_and_the_text_is_sanitised(client_as, make_user, tenant):
    admin = _admin(client_as, make_user, tenant)
    form_html = admin.get(reverse("core:legal_edit")).content.decode()
    assert "Noch zu vervollständigen" in form_html
    data = _form_data(form_html)
    data.update({"imprint": "## Herausgeberin\n\nStadt Kassel <script>alert(1)</script>\n\n"
                            "[Website](https://www.kassel.de) [böse](javascript:alert(1))",
                 "accessibility_status": "full", "accessibility_prepared_on": "2026-09-01",
                 "sign_language_video_url": "https://www.kassel.de/dgs.mp4"})
    response = admin.post(reverse("core:legal_edit"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    html = admin.get(reverse("core:imprint", args=[tenant.slug])).content.decode()
    assert "<h2>Herausgeberin</h2>" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="https://www.kassel.de">Website</a>' in html
    assert 'href="javascript:' not in html
    statement = admin.get(reverse("core:accessibility", args=[tenant.slug])).content.decode()
    assert "vollständig vereinbar" in statement and "am 01.09.2026 erstellt" in statement
    start = Client().get(reverse("core:kommune", args=[tenant.slug])).content.decode()
    assert 'href="https://www.kassel.de/dgs.mp4"' in start, "the DGS video is offered on the start page"


def test_only_https_video_and_review_not_before_preparation(client_as, make_user, tenant):
    admin = _admin(client_as, make_user, tenant)
    data = _form_data(admin.get(reverse("core:legal_edit")).content.decode())
    data.update({"sign_language_video_url": "http://www.kassel.de/dgs.mp4",
                 "accessibility_prepared_on": "2026-09-02", "accessibility_reviewed_on": "2026-09-01"})
    html = admin.post(reverse("core:legal_edit"), data).content.decode()
    assert "mit https:// beginnt" in html
    assert "Die Überprüfung kann nicht vor der Erstellung der Erklärung liegen." in html
    assert LegalPages.objects.get(tenant=tenant).sign_language_video_url == ""


def test_a_stale_save_is_refused(client_as, make_user, tenant):
    admin = _admin(client_as, make_user, tenant)
    data = _form_data(admin.get(reverse("core:legal_edit")).content.decode())
    LegalPages.objects.filter(tenant=tenant).update(privacy="Von jemand anderem gespeichert")
    data["imprint"] = "Mein neues Impressum"
    response = admin.post(reverse("core:legal_edit"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "Jemand anderes hat diesen Datensatz gespeichert" in html
    assert "Datenschutzerklärung: „Von jemand anderem gespeichert“" in html
    pages = LegalPages.objects.get(tenant=tenant)
    assert pages.imprint != "Mein neues Impressum" and pages.privacy == "Von jemand anderem gespeichert"


@pytest.mark.parametrize("role", ["coordination", "monitoring", "partner", None])
def test_only_the_tenant_admin_edits(client_as, make_user, tenant, role):
    user = make_user(role=role, tenant=tenant) if role else make_user()
    c = client_as(user)
    assert c.get(reverse("core:legal_edit")).status_code == 403
    assert c.get(reverse("core:feedback_list")).status_code == 403


def test_anonymous_is_sent_to_login(client, tenant):
    assert client.get(reverse("core:legal_edit"))["Location"].startswith("/anmelden/")


def test_an_admin_edits_only_their_own_tenants_pages(client_as, make_user, tenant, other_tenant):
    admin = _admin(client_as, make_user, other_tenant)
    data = _form_data(admin.get(reverse("core:legal_edit")).content.decode())
    data["imprint"] = "Impressum des anderen Mandanten"
    assert admin.post(reverse("core:legal_edit"), data).status_code == 302
    assert LegalPages.objects.get(tenant=other_tenant).imprint == "Impressum des anderen Mandanten"
    assert not LegalPages.objects.filter(tenant=tenant).exists()
    mine = admin.get(reverse("core:imprint", args=[tenant.slug])).content.decode()
    assert "Impressum des anderen Mandanten" not in mine and TO_COMPLETE in mine


def _feedback(client, tenant, **data):
    return client.post(reverse("core:accessibility", args=[tenant.slug]),
                       {"message": "Die Karte ist mit der Tastatur nicht bedienbar.", **data})


def test_feedback_reaches_the_tenant_stored_listed_and_mailed(client, client_as, make_user, tenant, other_tenant):
    LegalPages.objects.create(tenant=tenant, feedback_email="barrierefrei@kassel.example")
    response = _feedback(client, tenant, page="/lernorte/", name="R. Muster")
    assert response.status_code == 302
    stored = AccessibilityFeedback.objects.get()
    assert (stored.tenant, stored.page, stored.name, stored.email) == (tenant, "/lernorte/", "R. Muster", "")
    assert [m.to for m in mail.outbox] == [["barrierefrei@kassel.example"]]
    assert "Die Karte ist mit der Tastatur nicht bedienbar." in mail.outbox[0].body
    follow = client.get(response["Location"]).content.decode()
    assert f"Ihre Rückmeldung ist bei {tenant.name} angekommen" in follow

    own = _admin(client_as, make_user, tenant).get(reverse("core:feedback_list"))
    assert "Die Karte ist mit der Tastatur" in own.content.decode()
    assert "no-store" in own["Cache-Control"]
    foreign = _admin(client_as, make_user, other_tenant).get(reverse("core:feedback_list")).content.decode()
    assert "Die Karte ist mit der Tastatur" not in foreign


def test_without_a_feedback_address_the_tenant_admins_are_mailed(client, make_user, tenant, other_tenant):
    admin = make_user(role="tenant_admin", tenant=tenant)
    admin.email = "admin@kassel.example"
    admin.save()
    other = make_user(role="tenant_admin", tenant=other_tenant)
    other.email = "admin@anderswo.example"
    other.save()
    _feedback(client, tenant)
    assert [m.to for m in mail.outbox] == [["admin@kassel.example"]]


def test_admin_marks_feedback_handled_only_in_own_tenant(client_as, make_user, tenant, other_tenant):
    mine = AccessibilityFeedback.objects.create(tenant=tenant, message="A")
    theirs = AccessibilityFeedback.objects.create(tenant=other_tenant, message="B")
    admin = _admin(client_as, make_user, tenant)
    admin.post(reverse("core:feedback_list"), {"feedback": mine.pk, "handled": "1"})
    admin.post(reverse("core:feedback_list"), {"feedback": theirs.pk, "handled": "1"})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.handled is True and theirs.handled is False


def test_feedback_size_limit_at_its_boundary(client, tenant):
    assert _feedback(client, tenant, message="x" * 3000).status_code == 302
    too_long = _feedback(client, tenant, message="x" * 3001)
    assert too_long.status_code == 400 and "höchstens 3000 Zeichen" in too_long.content.decode()
    assert AccessibilityFeedback.objects.count() == 1


def test_feedback_is_rate_limited_at_its_boundary(client, tenant):
    for _ in range(FEEDBACK_LIMIT):
        assert _feedback(client, tenant).status_code == 302
    refused = _feedback(client, tenant)
    assert refused.status_code == 429 and "später noch einmal" in refused.content.decode()
    assert AccessibilityFeedback.objects.count() == FEEDBACK_LIMIT


def test_feedback_needs_the_csrf_token(tenant):
    strict = Client(enforce_csrf_checks=True)
    assert _feedback(strict, tenant).status_code == 403
    assert not AccessibilityFeedback.objects.exists()


@pytest.mark.parametrize("path", ["/", "/lernorte/", "/gebiete/", "/suche/?q=Kassel", "/anmelden/"])
def test_every_page_links_the_legal_pages_in_its_footer(client, tenant, path):
    html = client.get(path).content.decode()
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S).group(1)
    for name in PUBLIC:
        assert f'href="{reverse(name, args=[tenant.slug])}"' in footer


def test_a_signed_in_users_footer_names_their_tenant(client_as, make_user, tenant, other_tenant):
    c = client_as(make_user(role="coordination", tenant=other_tenant))
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', c.get("/").content.decode(), re.S).group(1)
    assert f'/kommune/{other_tenant.slug}/impressum/' in footer and f"/kommune/{tenant.slug}/" not in footer
