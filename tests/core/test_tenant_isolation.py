"""What a tenant's users create is invisible to other tenants (views and selectors)."""

import pytest

from bildungskette.core.models import Role
from bildungskette.organisations.models import Organisation, OrganisationType, Person
from bildungskette.organisations.selectors import organisations_visible_to, people_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def kassel_org(tenant):
    return Organisation.objects.create(tenant=tenant, name="Kreishandwerkerschaft Kassel",
                                       type=OrganisationType.KREISHANDWERKERSCHAFT)


def test_selectors_keep_tenants_apart(kassel_org, tenant, other_tenant):
    assert kassel_org in organisations_visible_to(tenant)
    assert kassel_org not in organisations_visible_to(other_tenant)
    assert kassel_org not in organisations_visible_to(None)


def test_views_keep_tenants_apart(kassel_org, tenant, other_tenant, make_user, client_as):
    outsider = make_user(role=Role.COORDINATION, tenant=other_tenant)
    client = client_as(outsider)
    assert client.get(f"/akteure/{kassel_org.pk}/").status_code == 404
    assert "Kreishandwerkerschaft Kassel" not in client.get("/akteure/?gebiet=0").content.decode()
    assert client.get(f"/akteure/{kassel_org.pk}/bearbeiten/").status_code == 404
    insider = make_user(role=Role.COORDINATION, tenant=tenant)
    assert client_as(insider).get(f"/akteure/{kassel_org.pk}/").status_code == 200


def test_contact_persons_need_consent_to_be_seen_elsewhere(tenant, other_tenant):
    school = Organisation.objects.create(tenant=None, name="Schule", type=OrganisationType.SCHULE)
    private = Person.objects.create(tenant=tenant, organisation=school, name="Nur Kassel")
    listed = Person.objects.create(tenant=tenant, organisation=school, name="Öffentlich", consent_to_list=True)
    assert set(people_visible_to(tenant, school)) == {private, listed}
    assert list(people_visible_to(other_tenant, school)) == [listed]
    assert list(people_visible_to(None, school)) == [listed]


def test_audit_log_shows_only_own_tenant(kassel_org, tenant, other_tenant, make_user, client_as):
    admin_bochum = make_user(role=Role.TENANT_ADMIN, tenant=other_tenant)
    html = client_as(admin_bochum).get("/protokoll/").content.decode()
    assert "Kreishandwerkerschaft Kassel" not in html
    admin_kassel = make_user(role=Role.TENANT_ADMIN, tenant=tenant)
    assert "Kreishandwerkerschaft Kassel" in client_as(admin_kassel).get("/protokoll/").content.decode()


def test_user_cannot_switch_into_a_foreign_tenant(tenant, other_tenant, make_user, client_as):
    user = make_user(role=Role.COORDINATION, tenant=tenant)
    client = client_as(user)
    client.post("/mandant/", {"tenant": other_tenant.id})
    assert "Stadt Bochum" not in client.get("/").content.decode()


def test_without_a_tenant_only_active_shared_organisations(kassel_org, tenant):
    active = Organisation.objects.create(tenant=None, name="Berufskolleg Mitte", type=OrganisationType.SCHULE)
    closed = Organisation.objects.create(tenant=None, name="Geschlossene Schule", type=OrganisationType.SCHULE,
                                         is_active=False)
    assert set(organisations_visible_to(None).filter(pk__in=[active.pk, closed.pk, kassel_org.pk])) == {active}
    # A tenant still finds the closed school (its history refers to it) and its own organisation.
    assert set(organisations_visible_to(tenant).filter(pk__in=[active.pk, closed.pk, kassel_org.pk])) == {
        active, closed, kassel_org}
