"""In a real browser: the operator onboards Kreis Lippe (05766) with the wizard, the invited
administrator adds a user with a role, and that user signs in. The Django admin is never opened."""

import re

import pytest

from tests.browser.accessibility import page_checked
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

OPERATOR_PASSWORD = "Betrieb-Plattform-26"  # noqa: S105


def _logout(page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state()


def _set_password(page, link: str, password: str) -> None:
    page.goto(link)
    page_checked(page)
    page.get_by_label("Neues Passwort").fill(password)
    page.get_by_label("Passwort wiederholen").fill(password)
    page.get_by_role("button", name="Passwort festlegen").click()
    page.wait_for_load_state()
    assert "Ihr Passwort ist gesetzt" in page.get_by_role("status").inner_text()


def test_onboarding_kreis_lippe_without_the_admin(browser_page, screenshot, make_user):
    from bildungskette.core.models import Role, RoleAssignment, Tenant

    page = browser_page
    visited = []
    page.on("request", lambda request: visited.append(request.url) if request.resource_type == "document" else None)
    operator = make_user(username="betrieb", password=OPERATOR_PASSWORD)
    operator.is_superuser = operator.is_staff = True
    operator.save()

    browser_login(page, "betrieb", OPERATOR_PASSWORD)
    page.get_by_role("link", name="Neue Kommune anlegen").click()
    page.wait_for_load_state()
    page.get_by_label("Name der Kommune").fill("Kreis Lippe")
    page.get_by_label("Gebiet suchen (Name oder Schlüssel/AGS)").fill("05766")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_load_state()
    page.get_by_label(re.compile(r"Lippe \(Kreis.*05766\)")).check()
    page.get_by_role("button", name="Auswahl übernehmen und Karte zeigen").click()
    page.wait_for_load_state()
    assert page.get_by_role("img", name=re.compile("Kartenvorschau des gewählten Gebiets: Lippe")).is_visible()
    page.get_by_label("Übergänge").uncheck()
    page.get_by_label("E-Mail der ersten Administratorin / des ersten Administrators").fill("bildung@kreis-lippe.de")
    page.get_by_label("Name der Kommune").focus()
    screenshot(page, "onboarding-wizard")
    page_checked(page)
    page.get_by_role("button", name="Kommune anlegen und einladen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Kreis Lippe ist angelegt"
    page_checked(page)
    admin_link = page.locator(".invitation-link").inner_text()
    tenant = Tenant.objects.get(name="Kreis Lippe")
    assert tenant.areas.get().region.code == "05766" and "transitions" not in tenant.modules
    _logout(page)

    _set_password(page, admin_link, "Lippe-Verwaltung-26")
    browser_login(page, "bildung@kreis-lippe.de", "Lippe-Verwaltung-26")
    assert "Mandanten-Administration" in page.locator(".page-head").inner_text()
    page_checked(page)
    page.get_by_role("link", name="Konten, Rollen und Einladungen").first.click()
    page.wait_for_load_state()
    page_checked(page)
    page.get_by_label("E-Mail-Adresse").fill("lernorte@kreis-lippe.de")
    page.get_by_label("Name, wie er angezeigt wird").fill("Lernortkoordination Lippe")
    page.get_by_label("Rolle").select_option(label="Koordination (Bildungsmanagement, OloV, KAoA)")
    page.get_by_role("button", name="Einladen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Lernortkoordination Lippe"
    page_checked(page)
    user_link = page.locator(".invitation-link").inner_text()
    _logout(page)

    _set_password(page, user_link, "Wegweiser-Beruf-2026")
    browser_login(page, "lernorte@kreis-lippe.de", "Wegweiser-Beruf-2026")
    head = page.locator(".page-head").inner_text()
    assert "Guten Tag, Lernortkoordination Lippe" in head and "Kreis Lippe" in head and "Koordination" in head
    assert RoleAssignment.objects.filter(user__username="lernorte@kreis-lippe.de", tenant=tenant,
                                         role=Role.COORDINATION).exists()
    nav = page.get_by_role("navigation", name="Hauptnavigation").inner_text()
    assert "Lernortkarte" in nav and "Übergänge" not in nav
    page_checked(page)
    assert not [url for url in visited if "/verwaltung/" in url]
