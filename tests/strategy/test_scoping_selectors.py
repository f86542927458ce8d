"""The strategy's scoping selectors with every role, own and foreign tenant: which goals and measures
each account sees. Staff of the tenant (administration, coordination, monitoring) see everything of
the tenant; a partner sees the goals of the bodies its organisation is an active member of, with
everything below them, and the measures its organisation is responsible for or takes part in as a
school; every other role, another tenant's role, an account without role and an anonymous visitor
see nothing.

The expected sets are written out by hand from the fixture (tests/strategy/conftest.py): the Agentur
is a member of the steering group (goals 2, 2.1, 2.2), the Jugendamt of the Arbeitskreis Jugendhilfe
(goal 5); here goal 2.3 below 2 belongs to the Arbeitskreis, the IHK is responsible for the
Azubi-Speed-Dating, the Gesamtschule takes part in the Berufsorientierungscamp.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from bildungskette.core.models import Role
from bildungskette.organisations.models import Organisation
from bildungskette.strategy import services
from bildungskette.strategy.selectors import goal_forest, goal_ids_readable, goals_visible_to, measures_visible_to

pytestmark = pytest.mark.django_db

ALL_GOALS = {"2", "2.1", "2.2", "2.3", "5"}
ALL_MEASURES = {"Azubi-Speed-Dating", "Berufsorientierungscamp"}


@pytest.fixture
def scene(world, other_tenant, make_user):
    from bildungskette.network.models import Body, Membership
    from bildungskette.network.services import membership_ensure

    arbeitskreis = Body.objects.get(name="Arbeitskreis Jugendhilfe")
    jugendamt = Organisation.objects.get(name="Stadt Kassel – Jugendamt")
    # The membership's own number must differ from the body's, so that mixing them up shows.
    while Membership.objects.get(body=arbeitskreis, organisation=jugendamt).pk == arbeitskreis.pk:
        Membership.objects.filter(body=arbeitskreis, organisation=jugendamt).delete()
        membership_ensure(body=arbeitskreis, organisation=jugendamt, role="mitglied")
    services.goal_create(period=world.period, code="2.3", title="Jugendhilfe an Schulen", parent=world.parent,
                         body=arbeitskreis, level="operational")
    school = Organisation.objects.create(tenant=world.tenant, name="Gesamtschule Kassel", type="schule")
    services.measure_create(tenant=world.tenant, title="Berufsorientierungscamp", schools=[school],
                            start_date=datetime.date(2019, 1, 1))
    foreign_org = Organisation.objects.create(tenant=other_tenant, name="Agentur für Arbeit Bochum", type="agentur")
    services.measure_create(tenant=other_tenant, title="Bochumer Maßnahme", responsible_organisations=[foreign_org],
                            start_date=datetime.date(2019, 1, 1))
    superuser = make_user()
    superuser.is_superuser = True
    superuser.save()
    users = dict(vars(world.users))
    users.update({
        "school_partner": make_user(Role.PARTNER, world.tenant, organisation=school),
        # Tied to the Agentur, but not as a partner: the body's goals are for partners.
        "transition_manager_agentur": make_user(Role.TRANSITION_MANAGER, world.tenant, organisation=world.agentur),
        # A partner for the Jugendamt who is also transition manager at the Agentur: only the partner
        # role opens bodies, so the steering group's goals stay closed.
        "partner_other_and_tm_agentur": make_user(Role.PARTNER, world.tenant, organisation=jugendamt),
        "foreign_partner": make_user(Role.PARTNER, other_tenant, organisation=foreign_org),
        "no_role": make_user(),
        "anonymous": AnonymousUser(),
        "superuser": superuser,
    })
    from bildungskette.core.services import role_assign

    role_assign(user=users["partner_other_and_tm_agentur"], tenant=world.tenant, role=Role.TRANSITION_MANAGER,
                organisation=world.agentur)
    return users


# user → (goals visible as owners, goals readable in the tree (None = all), measures) in Kassel
EXPECTED = {
    "coordination": (ALL_GOALS, None, ALL_MEASURES),
    "monitoring": (ALL_GOALS, None, ALL_MEASURES),
    "admin": (ALL_GOALS, None, ALL_MEASURES),
    "superuser": (ALL_GOALS, None, ALL_MEASURES),
    "partner_member": ({"2", "2.1", "2.2"}, {"2", "2.1", "2.2", "2.3"}, set()),
    "partner_other": ({"2.3", "5"}, {"2.3", "5"}, set()),
    "partner_ihk": (set(), set(), {"Azubi-Speed-Dating"}),
    "school_partner": (set(), set(), {"Berufsorientierungscamp"}),
    "transition_manager_agentur": (set(), set(), set()),
    "partner_other_and_tm_agentur": ({"2.3", "5"}, {"2.3", "5"}, set()),
    "data_protection": (set(), set(), set()),
    "foreign_coordination": (set(), set(), set()),
    "foreign_partner": (set(), set(), set()),
    "no_role": (set(), set(), set()),
    "anonymous": (set(), set(), set()),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_strategy_scoping_in_kassel(world, scene, who):
    user = scene[who]
    goals, readable, measures = EXPECTED[who]
    assert {g.code for g in goals_visible_to(user, world.tenant)} == goals
    ids = goal_ids_readable(user, world.tenant, goal_forest(world.period))
    if readable is None:
        assert ids is None
    else:
        from bildungskette.strategy.models import Goal

        assert set(Goal.objects.filter(pk__in=ids).values_list("code", flat=True)) == readable
    assert {m.title for m in measures_visible_to(user, world.tenant)} == measures


def test_the_foreign_tenant_sees_only_its_own(world, scene, other_tenant):
    assert {m.title for m in measures_visible_to(scene["foreign_partner"], other_tenant)} == {"Bochumer Maßnahme"}
    assert {m.title for m in measures_visible_to(scene["foreign_coordination"], other_tenant)} == {
        "Bochumer Maßnahme"}
    assert not goals_visible_to(scene["foreign_coordination"], other_tenant).exists()
    assert {m.title for m in measures_visible_to(scene["coordination"], other_tenant)} == set()


def test_without_a_tenant_nothing(world, scene):
    for who in ("coordination", "superuser", "partner_member", "anonymous"):
        assert not goals_visible_to(scene[who], None).exists()
        assert not measures_visible_to(scene[who], None).exists()


def test_bodies_of_organisations_are_those_of_the_tenant(world, other_tenant):
    from bildungskette.network.services import body_ensure, membership_ensure
    from bildungskette.strategy.selectors import body_ids_of_organisations

    shared = Organisation.objects.create(tenant=None, name="Berufskolleg (Landesliste)", type="schule")
    bochum = body_ensure(tenant=other_tenant, name="Arbeitskreis Bochum", type="arbeitskreis")
    membership_ensure(body=bochum, organisation=shared, role="mitglied")
    assert body_ids_of_organisations(world.tenant, {shared.pk}) == set()
    assert body_ids_of_organisations(other_tenant, {shared.pk}) == {bochum.pk}
    assert body_ids_of_organisations(world.tenant, {world.agentur.pk}) == {world.steering.pk}
