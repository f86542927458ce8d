"""Permission matrix: partners read goals of bodies they belong to; only coordination edits."""

import pytest
from django.contrib.auth.models import AnonymousUser

from bildungskette.core.models import Role

pytestmark = pytest.mark.django_db

ROLES = ["coordination", "monitoring", "admin", "partner_member", "partner_other", "partner_ihk",
         "data_protection", "foreign_coordination", "anonymous"]


def _user(world, role):
    return AnonymousUser() if role == "anonymous" else getattr(world.users, role)


@pytest.mark.parametrize("role,expected", [
    ("coordination", True), ("monitoring", True), ("admin", True), ("partner_member", True),
    ("partner_other", False), ("partner_ihk", False), ("data_protection", False),
    ("foreign_coordination", False), ("anonymous", False),
])
def test_view_goal_of_the_steering_group(world, role, expected):
    assert _user(world, role).has_perm("strategy.view_goal", world.child) is expected


@pytest.mark.parametrize("role,expected", [
    ("partner_member", False), ("partner_other", True), ("coordination", True),
])
def test_view_goal_of_another_body(world, role, expected):
    assert _user(world, role).has_perm("strategy.view_goal", world.hidden) is expected


@pytest.mark.parametrize("role", ROLES)
def test_only_coordination_changes_goals_measures_and_reviews(world, role):
    user = _user(world, role)
    expected = role == "coordination"
    assert user.has_perm("strategy.change_goal", world.child) is expected
    assert user.has_perm("strategy.add_goal", world.tenant) is expected
    assert user.has_perm("strategy.change_measure", world.measure) is expected
    assert user.has_perm("strategy.add_measure", world.tenant) is expected
    assert user.has_perm("strategy.decide_overlap", world.tenant) is expected
    assert user.has_perm("strategy.add_goalassessment", world.child) is expected
    assert user.has_perm("strategy.add_strategyreview", world.tenant) is expected


@pytest.mark.parametrize("role,expected", [
    ("coordination", True), ("monitoring", True), ("admin", True), ("partner_ihk", True),
    ("partner_member", False), ("data_protection", False), ("foreign_coordination", False), ("anonymous", False),
])
def test_view_measure_staff_or_responsible_partner(world, role, expected):
    assert _user(world, role).has_perm("strategy.view_measure", world.measure) is expected


@pytest.mark.parametrize("role,expected", [
    ("coordination", True), ("monitoring", True), ("admin", True), ("partner_member", False),
    ("data_protection", False), ("foreign_coordination", False),
])
def test_analysis_is_for_staff(world, role, expected):
    assert _user(world, role).has_perm("strategy.view_analysis", world.tenant) is expected


def test_archived_strategy_is_read_only_even_for_coordination(world):
    from bildungskette.strategy.services import period_successor_create

    period_successor_create(period=world.period, name="Regionale Strategie 2021–2024", start_year=2021,
                            end_year=2024)
    world.child.period.refresh_from_db()
    assert not world.users.coordination.has_perm("strategy.change_goal", world.child)
    assert world.users.coordination.has_perm("strategy.view_goal", world.child)


def test_ended_membership_no_longer_opens_the_goals(world):
    import datetime

    from bildungskette.network.models import Membership

    Membership.objects.filter(body=world.steering, organisation=world.agentur).update(
        end_date=datetime.date(2020, 1, 1))
    partner = type(world.users.partner_member).objects.get(pk=world.users.partner_member.pk)
    assert not partner.has_perm("strategy.view_goal", world.child)


@pytest.mark.parametrize("role,expected", [
    ("coordination", True), ("monitoring", True), ("admin", True), ("partner_member", True),
    ("partner_other", True), ("partner_ihk", True), ("data_protection", False),
    ("foreign_coordination", False), ("anonymous", False),
])
def test_who_sees_the_strategy_of_the_tenant(world, role, expected):
    """Staff and partners of the tenant see the strategy area; nobody sees it without a tenant."""
    from bildungskette.strategy.rules import can_see_strategy

    user = _user(world, role)
    assert can_see_strategy(user, world.tenant) is expected
    assert user.has_perm("strategy.view_strategy", world.tenant) is expected
    assert can_see_strategy(user, None) is False


def test_partners_of_agreements_and_schools_of_measures_take_part(world):
    import datetime

    from bildungskette.organisations.models import Organisation
    from bildungskette.strategy import services

    agreement = services.agreement_create(tenant=world.tenant, title="Zielvereinbarung Ausbildung",
                                          start_date=datetime.date(2018, 1, 1), parties=[(world.ihk, "IHK")])
    users = world.users
    assert users.partner_ihk.has_perm("strategy.view_goalagreement", agreement)
    assert not users.partner_member.has_perm("strategy.view_goalagreement", agreement)
    assert not users.foreign_coordination.has_perm("strategy.view_goalagreement", agreement)
    assert users.monitoring.has_perm("strategy.view_goalagreement", agreement)
    school = Organisation.objects.create(tenant=world.tenant, name="Offene Schule Waldau", type="schule")
    measure = services.measure_create(tenant=world.tenant, title="Berufsorientierung", schools=[school],
                                      start_date=datetime.date(2018, 1, 1))
    school_partner = type(users.partner_ihk).objects.get(pk=users.partner_ihk.pk)
    from bildungskette.core.services import role_assign

    role_assign(user=school_partner, tenant=world.tenant, role=Role.TRANSITION_MANAGER, organisation=school)
    school_partner = type(users.partner_ihk).objects.get(pk=users.partner_ihk.pk)
    assert school_partner.has_perm("strategy.view_measure", measure)
    assert not users.partner_member.has_perm("strategy.view_measure", measure)
    # Goals are no measure or agreement: taking part in something says nothing about them.
    from bildungskette.strategy.rules import takes_part

    assert not takes_part(users.partner_ihk, world.hidden)
    assert not takes_part(users.partner_ihk, None)


def test_a_goal_without_body_is_read_through_its_parents_body(world):
    from bildungskette.strategy import services

    grandchild = services.goal_create(period=world.period, code="2.1.1", title="Betriebsbesuche",
                                      parent=world.child, level="operational")
    orphan = services.goal_create(period=world.period, code="9", title="Ohne Gremium")
    assert world.users.partner_member.has_perm("strategy.view_goal", grandchild)
    assert not world.users.partner_other.has_perm("strategy.view_goal", grandchild)
    assert not world.users.partner_member.has_perm("strategy.view_goal", orphan)


def test_goal_indicators_and_periods_are_frozen_with_the_archived_strategy(world):
    from bildungskette.strategy.models import GoalIndicator
    from bildungskette.strategy.services import period_successor_create

    indicator = GoalIndicator.objects.get(goal=world.sibling)
    coordination = world.users.coordination
    assert coordination.has_perm("strategy.change_goalindicator", indicator)
    assert coordination.has_perm("strategy.change_strategyperiod", world.period)
    period_successor_create(period=world.period, name="Regionale Strategie 2021–2024", start_year=2021,
                            end_year=2024)
    indicator = GoalIndicator.objects.select_related("goal__period").get(pk=indicator.pk)
    world.period.refresh_from_db()
    assert not coordination.has_perm("strategy.change_goalindicator", indicator)
    assert not coordination.has_perm("strategy.change_strategyperiod", world.period)


@pytest.mark.parametrize("levels_above,expected", [(9, True), (10, False)])
def test_the_owning_body_is_looked_for_at_most_ten_goals_up(world, levels_above, expected):
    """The goal itself and nine above it are searched (depth 0–9); a body ten levels up no longer counts."""
    from bildungskette.strategy.models import Goal
    from bildungskette.strategy.rules import partner_in_owning_body

    current = world.parent  # owned by the steering group, where the partner's organisation is a member
    for i in range(levels_above):
        current = Goal.objects.create(tenant=world.tenant, period=world.period, code=f"2.{i}.x", title=f"Ebene {i}",
                                      parent=current)
    partner = world.users.partner_member
    assert partner.has_perm("strategy.view_goal", current) is expected
    assert partner_in_owning_body(partner, world.measure) is False  # a measure has no owning body


def _chain(world, length, top_body):
    """``length`` goals, each below the previous one; only the top one is owned by ``top_body``."""
    from bildungskette.strategy import services

    goal = services.goal_create(period=world.period, code="9", title="Oberstes Ziel", body=top_body)
    for level in range(1, length):
        goal = services.goal_create(period=world.period, code=f"9.{level}", title=f"Ebene {level}", parent=goal)
    return goal


@pytest.mark.parametrize("length,expected", [(10, True), (11, False)])
def test_a_partner_reads_a_goal_up_to_ten_levels_below_its_bodys_goal(world, length, expected):
    # The body's goal is looked for on the goal itself and nine levels above it (ten goals in all).
    lowest = _chain(world, length, world.steering)
    assert world.users.partner_member.has_perm("strategy.view_goal", lowest) is expected
    assert world.users.partner_other.has_perm("strategy.view_goal", lowest) is False


def test_a_cycle_of_goals_ends_the_search(world):
    from bildungskette.strategy.models import Goal
    from bildungskette.strategy.rules import partner_in_owning_body

    a = _chain(world, 2, world.hidden.body)  # owned by the other body, below it one goal without body
    Goal.objects.filter(pk=a.parent_id).update(parent=a, body=None)  # broken data: a loop of two goals
    a.refresh_from_db()
    assert partner_in_owning_body(world.users.partner_member, a) is False
