"""The sign-in screens in the browser: the login slows down after failed attempts (with a German
message, no lockout), a user resets the password through the e-mailed link, a company signs in
from the landing page of its single-use link. Screenshots: login-throttled, password-reset-confirm,
transitions-company-link."""

import re

import pytest
from django.core import mail

from bildungskette.core.models import Role
from tests.transitions.test_browser import _no_serious_violations

PASSWORD = "Browser-Test-2026"  # noqa: S105


@pytest.mark.browser
def test_login_throttle_password_reset_and_company_link(browser_page, screenshot, tenant, make_user):
    from bildungskette.organisations.models import Organisation, OrganisationType
    from bildungskette.transitions.models import CompanyContact
    from bildungskette.transitions.services import company_link_token

    user = make_user(role=Role.COORDINATION, tenant=tenant, username="koordination.reset", password=PASSWORD)
    user.email = "koordination@kassel.example"
    user.save()
    page = browser_page

    for _ in range(5):
        page.goto(page.base_url + "/anmelden/")
        page.get_by_label("Benutzername").fill("koordination.reset")
        page.get_by_label("Passwort").fill("falsch")
        page.get_by_role("button", name="Anmelden").last.click()
    assert "Bitte warten Sie" in page.content()
    screenshot(page, "login-throttled")
    _no_serious_violations(page)

    page.get_by_role("link", name="Passwort vergessen?").click()
    page.get_by_label("E-Mail").fill("koordination@kassel.example")
    page.get_by_role("button", name="Link anfordern").click()
    assert "E-Mail unterwegs" in page.content()
    link = re.search(r"http://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert "/set-password/" in page.url, "the token leaves the address bar before the form"
    page.locator("#id_new_password1").fill("Ganz-Neu-2026!")
    page.locator("#id_new_password2").fill("Ganz-Neu-2026!")
    screenshot(page, "password-reset-confirm")
    _no_serious_violations(page)
    page.get_by_role("button", name="Passwort speichern").click()
    assert "Passwort gespeichert" in page.content()
    user.refresh_from_db()
    assert user.check_password("Ganz-Neu-2026!")

    company = Organisation.objects.create(tenant=tenant, name="Elektro Browser GmbH", type=OrganisationType.BETRIEB)
    contact = CompanyContact.objects.create(tenant=tenant, organisation=company, name="Frau Betrieb",
                                            email="betrieb@browser.example")
    page.goto(page.base_url + f"/uebergaenge/betriebe/link/{company_link_token(contact)}/")
    screenshot(page, "transitions-company-link")
    _no_serious_violations(page)
    page.get_by_role("button", name="Als Frau Betrieb anmelden").click()
    assert "Veranstaltungen von Elektro Browser GmbH" in page.content()
    page.go_back()
    page.reload()
    assert "gilt nicht mehr" in page.content(), "the link is used up"
