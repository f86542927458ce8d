"""The network's scoping selectors with every role, own and foreign tenant: which bodies, meetings,
action items and agreements each account sees. Staff of the tenant see all of the tenant's; a
partner sees public bodies, the bodies its organisation is an active member of and what it owns or
is party to; a role in another tenant counts for nothing here.

The expected sets are written out by hand from the fixture (tests/network/conftest.py): the Stadt
is a member of the steering group and of the internal working group, the Agentur only of the
steering group, the IHK's membership has ended.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from bildungskette.core.models import Role
from bildungskette.network import services
from bildungskette.network.models import MembershipRole
from bildungskette.network.selectors import (
    action_items_visible_to,
    agreements_visible_to,
    bodies_visible_to,
    meetings_visible_to,
    sees_whole_tenant,
)

pytestmark = pytest.mark.django_db

STAFF = {"coordination", "admin", "monitoring", "data_protection"}


@pytest.fixture
def world(net, meeting_with_minutes, make_user):
    users = dict(net.users)
    users["data_protection"] = make_user(role=Role.DATA_PROTECTION, tenant=net.tenant)
    users["stadt_partner"] = make_user(role=Role.PARTNER, tenant=net.tenant, organisation=net.stadt)
    users["transition_manager"] = make_user(role=Role.TRANSITION_MANAGER, tenant=net.tenant, organisation=net.ihk)
    users["no_role"] = make_user()
    users["anonymous"] = AnonymousUser()
    wg_meeting = services.meeting_create(body=net.working_group, title="FAG-Sitzung",
                                         starts_at=meeting_with_minutes["meeting"].starts_at, location="Kassel")
    services.meeting_create(body=net.other_body, title="Bochumer Sitzung",
                            starts_at=meeting_with_minutes["meeting"].starts_at, location="Bochum")
    services.action_item_create(body=net.working_group, title="FAG-Aufgabe", owner_organisation=net.stadt)
    services.action_item_create(body=net.other_body, title="Bochumer Aufgabe", owner_organisation=net.bochum_agentur)
    services.agreement_create(tenant=net.tenant, title="Agentur und Stadt", subject="x",
                              parties=[net.agentur, net.stadt])
    services.agreement_create(tenant=net.tenant, title="Öffentliche Vereinbarung", subject="x", is_public=True)
    services.agreement_create(tenant=net.tenant, title="Arbeitsgruppe", subject="x", body=net.working_group)
    services.agreement_create(tenant=net.other_tenant, title="Bochum intern", subject="x",
                              parties=[net.bochum_agentur])
    return users, wg_meeting


STEERING_ITEMS = {"Datenbericht vorlegen", "Räume reservieren", "Schulen informieren"}
KASSEL_BODIES = {"OloV-Steuerungsgruppe Region Kassel", "Facharbeitsgruppe Übergang"}
PUBLIC_BODIES = {"OloV-Steuerungsgruppe Region Kassel"}

# user → (bodies, meetings, action items, agreements) in Kassel
EXPECTED = {
    "coordination": (KASSEL_BODIES, {"2. Sitzung", "FAG-Sitzung"}, STEERING_ITEMS | {"FAG-Aufgabe"},
                     {"Agentur und Stadt", "Öffentliche Vereinbarung", "Arbeitsgruppe"}),
    "stadt_partner": (KASSEL_BODIES, {"2. Sitzung", "FAG-Sitzung"}, STEERING_ITEMS | {"FAG-Aufgabe"},
                      {"Agentur und Stadt", "Öffentliche Vereinbarung", "Arbeitsgruppe"}),
    "partner": (PUBLIC_BODIES, {"2. Sitzung"}, STEERING_ITEMS, {"Agentur und Stadt", "Öffentliche Vereinbarung"}),
    "ihk_partner": (PUBLIC_BODIES, {"2. Sitzung"}, set(), {"Öffentliche Vereinbarung"}),
    "transition_manager": (PUBLIC_BODIES, {"2. Sitzung"}, set(), {"Öffentliche Vereinbarung"}),
    "other_coordination": (PUBLIC_BODIES, {"2. Sitzung"}, set(), {"Öffentliche Vereinbarung"}),
    "other_partner": (PUBLIC_BODIES, {"2. Sitzung"}, set(), {"Öffentliche Vereinbarung"}),
    "no_role": (PUBLIC_BODIES, {"2. Sitzung"}, set(), {"Öffentliche Vereinbarung"}),
}
for _staff in STAFF - {"coordination"}:
    EXPECTED[_staff] = EXPECTED["coordination"]


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_network_scoping_in_kassel(net, world, who):
    users, _ = world
    user = users[who]
    bodies, meetings, items, agreements = EXPECTED[who]
    assert {b.name for b in bodies_visible_to(user, net.tenant)} == bodies
    assert {m.title for m in meetings_visible_to(user, net.tenant)} == meetings
    assert {i.title for i in action_items_visible_to(user, net.tenant)} == items
    assert {a.title for a in agreements_visible_to(user, net.tenant)} == agreements
    assert sees_whole_tenant(user, net.tenant) is (who in STAFF)


def test_bochum_sees_its_own_and_the_public_only(net, world):
    users, _ = world
    coordination = users["other_coordination"]
    assert {b.name for b in bodies_visible_to(coordination, net.other_tenant)} == PUBLIC_BODIES | {
        "Steuerungsgremium KAoA Bochum"}
    assert {i.title for i in action_items_visible_to(coordination, net.other_tenant)} == {"Bochumer Aufgabe"}
    assert {a.title for a in agreements_visible_to(coordination, net.other_tenant)} == {
        "Bochum intern", "Öffentliche Vereinbarung"}
    kassel = users["coordination"]
    assert {b.name for b in bodies_visible_to(kassel, net.other_tenant)} == PUBLIC_BODIES
    assert set(action_items_visible_to(kassel, net.other_tenant)) == set()


def test_without_a_tenant_only_public_things(net, world):
    users, _ = world
    for who in ("coordination", "partner", "anonymous"):
        assert {b.name for b in bodies_visible_to(users[who], None)} == PUBLIC_BODIES
        assert not action_items_visible_to(users[who], None).exists()
        assert sees_whole_tenant(users[who], None) is False


def test_the_superuser_sees_the_whole_tenant(net, world, make_user):
    admin = make_user()
    admin.is_superuser = True
    admin.save()
    assert sees_whole_tenant(admin, net.tenant) is True
    assert {b.name for b in bodies_visible_to(admin, net.tenant)} == KASSEL_BODIES


def test_the_superuser_without_a_tenant_does_not_see_a_whole_tenant(make_user):
    admin = make_user()
    admin.is_superuser = True
    admin.save()
    assert sees_whole_tenant(admin, None) is False


def test_a_shared_organisation_counts_only_in_the_tenant_of_the_role(net, make_user):
    """A school without tenant (a shared reference record) works with Kassel and with Bochum. An
    account acting for it in Bochum sees nothing of Kassel's through it, and the reverse."""
    from bildungskette.network.selectors import member_body_ids
    from bildungskette.organisations.models import OrganisationType
    from bildungskette.organisations.services import organisation_create

    school = organisation_create(tenant=None, name="Gemeinsame Berufsschule", type=OrganisationType.SCHULE)
    services.membership_add(body=net.working_group, organisation=school, role=MembershipRole.MEMBER)
    services.action_item_create(body=net.working_group, title="Aufgabe der Schule", owner_organisation=school)
    services.agreement_create(tenant=net.other_tenant, title="Bochum mit der Schule", subject="x", parties=[school])
    in_bochum = make_user(role=Role.PARTNER, tenant=net.other_tenant, organisation=school)
    in_kassel = make_user(role=Role.PARTNER, tenant=net.tenant, organisation=school)
    # Through Kassel's role: the working group and its task in Kassel, nothing of Bochum.
    assert member_body_ids(in_kassel, net.tenant) == {net.working_group.pk}
    assert "Aufgabe der Schule" in {i.title for i in action_items_visible_to(in_kassel, net.tenant)}
    assert "Bochum mit der Schule" not in {a.title for a in agreements_visible_to(in_kassel, net.tenant)}
    # Through Bochum's role: nothing of Kassel's beyond the public.
    assert member_body_ids(in_bochum, net.tenant) == set()
    assert {i.title for i in action_items_visible_to(in_bochum, net.tenant)} == set()
    assert {a.title for a in agreements_visible_to(in_bochum, net.tenant)} == set()
    assert member_body_ids(in_bochum, net.other_tenant) == set()
    assert {a.title for a in agreements_visible_to(in_bochum, net.other_tenant)} == {"Bochum mit der Schule"}
