"""Onboarding without the Django admin: the operator's wizard and command, invitation links, and the
tenant administrator's own account management."""

import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from bildungskette.core.invitations import invitation_path, invitation_user
from bildungskette.core.models import Role, RoleAssignment, Tenant, User

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/einladung/([^/\s\"]+)/([^/\s\"]+)/")


def _valid_link_for(user, text: str) -> bool:
    """The text holds a working invitation link of ``user`` (tokens carry a timestamp, so compare by use)."""
    return any(invitation_user(uid, token) == user for uid, token in LINK.findall(text))


@pytest.fixture
def operator(make_user):
    user = make_user(username="betrieb")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def test_wizard_search_finds_kreis_lippe_by_ags_and_by_name(client_as, operator):
    client = client_as(operator)
    by_key = client.post("/gebiete/neue-kommune/", {"name": "Kreis Lippe", "search": "05766", "action": "search"})
    assert by_key.status_code == 200
    assert 'value="05766"' in by_key.content.decode()
    assert "Einen Mandanten" not in by_key.content.decode() and 'role="alert"' not in by_key.content.decode()
    by_name = client.post("/gebiete/neue-kommune/", {"search": "Lippe", "action": "search"}).content.decode()
    assert "Lippe (Kreis" in by_name and 'value="05766"' in by_name
    preview = client.post("/gebiete/neue-kommune/", {"regions": ["05766"], "action": "preview"}).content.decode()
    assert "Kartenvorschau des gewählten Gebiets: Lippe" in preview and "<path" in preview


def test_wizard_creates_tenant_area_modules_and_invites_the_administrator(client_as, operator):
    response = client_as(operator).post("/gebiete/neue-kommune/", {
        "name": "Kreis Lippe", "regions": ["05766"], "modules": ["places", "network"],
        "admin_email": "Bildung@Kreis-Lippe.de", "action": "create"})
    assert response.status_code == 200
    tenant = Tenant.objects.get(name="Kreis Lippe")
    assert tenant.slug == "kreis-lippe" and tenant.land_code == "05" and tenant.kind == Tenant.Kind.AUTHORITY
    assert sorted(tenant.modules) == ["network", "places"]
    assert [(a.region.code, a.is_primary) for a in tenant.areas.all()] == [("05766", True)]
    admin = User.objects.get(email="bildung@kreis-lippe.de")
    assert not admin.has_usable_password()
    assert list(RoleAssignment.objects.filter(user=admin).values_list("tenant__name", "role")) == [
        ("Kreis Lippe", Role.TENANT_ADMIN)]
    assert len(mail.outbox) == 1 and _valid_link_for(admin, mail.outbox[0].body)
    assert _valid_link_for(admin, response.content.decode())


def test_wizard_refuses_missing_area_and_duplicate_name(client_as, operator, tenant):
    response = client_as(operator).post("/gebiete/neue-kommune/", {
        "name": tenant.name, "modules": ["places"], "admin_email": "a@example.org", "action": "create"})
    content = response.content.decode()
    assert "Einen Mandanten mit diesem Namen gibt es schon." in content
    assert "Bitte mindestens ein Gebiet suchen und ankreuzen." in content
    assert Tenant.objects.count() == 1 and not User.objects.filter(email="a@example.org").exists()


def test_only_the_operator_opens_the_wizard(client_as, make_user, tenant):
    admin = make_user(role=Role.TENANT_ADMIN, tenant=tenant)
    assert client_as(admin).get("/gebiete/neue-kommune/").status_code == 403


def test_command_creates_the_same(capsys):
    call_command("tenant", "create", "--name", "Kreis Lippe", "--gebiet", "05766", "--module", "places",
                 "--admin-email", "bildung@kreis-lippe.de", "--basis-url", "https://bildung.example")
    out = capsys.readouterr().out
    tenant = Tenant.objects.get(slug="kreis-lippe")
    admin = User.objects.get(email="bildung@kreis-lippe.de")
    assert tenant.modules == ["places"] and tenant.areas.get().region.code == "05766"
    assert "https://bildung.example/einladung/" in out and _valid_link_for(admin, out)
    with pytest.raises(CommandError, match="Schlüssel 99999 nicht gefunden"):
        call_command("tenant", "create", "--name", "Nirgendwo", "--gebiet", "99999", "--admin-email", "x@y.de")
    with pytest.raises(CommandError, match="Unbekannte Module: zauberei"):
        call_command("tenant", "create", "--name", "Anderswo", "--gebiet", "05766", "--module", "zauberei",
                     "--admin-email", "x@y.de")
    assert Tenant.objects.count() == 1


def test_invitation_link_sets_the_password_once(client, tenant):
    from bildungskette.core.services import user_invite

    user, needs_link = user_invite(tenant=tenant, email="neu@example.org", role=Role.COORDINATION)
    assert needs_link
    path = invitation_path(user)
    assert client.get(path).status_code == 200
    short = client.post(path, {"new_password1": "kurz", "new_password2": "kurz"})
    assert short.status_code == 200 and "zu kurz" in short.content.decode()
    done = client.post(path, {"new_password1": "Lernort-Lippe-26", "new_password2": "Lernort-Lippe-26"})
    assert done.status_code == 302 and done["Location"] == "/anmelden/"
    user.refresh_from_db()
    assert user.check_password("Lernort-Lippe-26")
    assert client.get(path).status_code == 400  # used
    assert client.get(path.replace(path.split("/")[-2], "falsch-123")).status_code == 400
    assert client.post("/anmelden/", {"username": "neu@example.org", "password": "Lernort-Lippe-26"}).status_code == 302


def test_tenant_admin_invites_assigns_and_deactivates(client_as, make_user, tenant, other_tenant):
    admin = make_user(role=Role.TENANT_ADMIN, tenant=tenant)
    client = client_as(admin)
    page = client.get("/mandant/konten/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    response = client.post("/mandant/konten/", {
        "email": "koordination@example.org", "display_name": "Frau Koordination", "role": Role.COORDINATION})
    invited = User.objects.get(email="koordination@example.org")
    assert response.status_code == 302 and response["Location"] == f"/mandant/konten/{invited.pk}/"
    assert _valid_link_for(invited, client.get(response["Location"]).content.decode())
    client.post(f"/mandant/konten/{invited.pk}/", {"action": "add", "role": Role.MONITORING})
    assert set(RoleAssignment.objects.filter(user=invited).values_list("role", flat=True)) == {
        Role.COORDINATION, Role.MONITORING}
    # a partner role needs its organisation
    refused = client.post(f"/mandant/konten/{invited.pk}/", {"action": "add", "role": Role.PARTNER})
    assert "Für diese Rolle bitte die Organisation wählen." in refused.content.decode()
    # the same person in another tenant keeps that role when this tenant switches it off
    RoleAssignment.objects.create(user=invited, tenant=other_tenant, role=Role.COORDINATION)
    client.post(f"/mandant/konten/{invited.pk}/", {"action": "deactivate"})
    invited.refresh_from_db()
    assert invited.is_active and not RoleAssignment.objects.filter(user=invited, tenant=tenant).exists()
    # someone with roles only here is switched off entirely
    lone = make_user(role=Role.MONITORING, tenant=tenant)
    client.post(f"/mandant/konten/{lone.pk}/", {"action": "deactivate"})
    lone.refresh_from_db()
    assert not lone.is_active
    # the administrator cannot lock themself out
    client.post(f"/mandant/konten/{admin.pk}/", {"action": "deactivate"})
    admin.refresh_from_db()
    assert admin.is_active and RoleAssignment.objects.filter(user=admin, role=Role.TENANT_ADMIN).exists()


def test_account_pages_are_for_the_own_tenants_administrators_only(client_as, make_user, tenant, other_tenant):
    stranger = make_user(role=Role.MONITORING, tenant=other_tenant)
    coordination = make_user(role=Role.COORDINATION, tenant=tenant)
    other_admin = make_user(role=Role.TENANT_ADMIN, tenant=other_tenant)
    assert client_as(coordination).get("/mandant/konten/").status_code == 403
    assert client_as(coordination).get("/mandant/verwaltung/").status_code == 403
    assert client_as(other_admin).get(f"/mandant/konten/{coordination.pk}/").status_code == 404
    assert client_as(other_admin).post(f"/mandant/konten/{coordination.pk}/",
                                       {"action": "deactivate"}).status_code == 404
    coordination.refresh_from_db()
    assert coordination.is_active
    listing = client_as(other_admin).get("/mandant/konten/").content.decode()
    assert stranger.username in listing and coordination.username not in listing


def test_a_chosen_module_set_hides_the_other_modules_from_the_navigation(client_as, make_user, tenant):
    user = make_user(role=Role.COORDINATION, tenant=tenant)
    client = client_as(user)
    assert re.search(r'href="/lernorte/"', client.get("/").content.decode())
    tenant.modules = ["network"]
    tenant.save()
    nav = client.get("/").content.decode().split('class="main-nav"')[1].split("</nav>")[0]
    assert 'href="/netzwerk/"' in nav and 'href="/lernorte/"' not in nav and 'href="/monitoring/"' not in nav
