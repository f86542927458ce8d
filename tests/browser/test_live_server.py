"""The browser tests' live server shares the test's transaction: it sees what the test created,
the test body keeps its connection while Playwright runs, and the rollback cleans up."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_server_and_test_body_share_uncommitted_data(tenant, browser_page):
    from bildungskette.organisations.models import Organisation, OrganisationType

    organisation = Organisation.objects.create(tenant=None, name="Probeschule am Test", type=OrganisationType.SCHULE)
    browser_page.goto(f"{browser_page.base_url}/akteure/{organisation.pk}/")
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Probeschule am Test"
    organisation.name = "Probeschule, umbenannt"
    organisation.save()
    browser_page.reload()
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Probeschule, umbenannt"
    assert Organisation.objects.filter(name__startswith="Probeschule").count() == 1
