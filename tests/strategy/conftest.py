"""Fixtures for the strategy tests: a tenant with a steering group, goals, an indicator and measures."""

import datetime
from types import SimpleNamespace

import pytest

from bildungskette.core.models import Role
from bildungskette.organisations.models import Organisation
from bildungskette.regions.selectors import region_by_code
from bildungskette.regions.services import tenant_area_set


@pytest.fixture
def world(db, tenant, other_tenant, make_user):
    from bildungskette.network.services import body_ensure, membership_ensure
    from bildungskette.strategy import services

    agentur = Organisation.objects.create(tenant=tenant, name="Agentur für Arbeit Kassel", type="agentur")
    ihk = Organisation.objects.create(tenant=tenant, name="IHK Kassel-Marburg", type="ihk")
    jugendamt = Organisation.objects.create(tenant=tenant, name="Stadt Kassel – Jugendamt", type="jugendamt")
    steering = body_ensure(tenant=tenant, name="OloV-Steuerungsgruppe", type="steuerungsgruppe")
    other_body = body_ensure(tenant=tenant, name="Arbeitskreis Jugendhilfe", type="arbeitskreis")
    membership_ensure(body=steering, organisation=agentur, role="mitglied")
    membership_ensure(body=other_body, organisation=jugendamt, role="mitglied")
    period = services.period_create(tenant=tenant, name="Regionale Strategie 2017–2020", start_year=2017,
                                    end_year=2020)
    parent = services.goal_create(period=period, code="2", title="Direkte Begegnungen zwischen Jugendlichen und "
                                  "Betrieben stärken", body=steering)
    child = services.goal_create(period=period, code="2.1", title="Mehr Ausbildungsstellen je Bewerber*in",
                                 parent=parent, body=steering, level="operational")
    sibling = services.goal_create(period=period, code="2.2", title="Mehr Praxisformate", parent=parent,
                                   body=steering, level="operational")
    hidden = services.goal_create(period=period, code="5", title="Jugendhilfeplanung", body=other_body)
    services.goal_indicator_create(
        goal=sibling, label="Teilnehmende an Praxisformaten", baseline_year=2017, baseline_value=180,
        target_year=2020, target_value=300, observations=[(2018, 215, "Demo", True), (2019, 262, "Demo", True)])
    kassel = region_by_code("06611")
    tenant_area_set(tenant=tenant, regions=[kassel, region_by_code("06633")], primary=kassel)
    group = services.target_group_ensure(name="Schüler*innen Sek. I")
    measure = services.measure_create(tenant=tenant, title="Azubi-Speed-Dating", description="Speed-Dating",
                                      responsible_organisations=[ihk], target_groups=[group], regions=[kassel],
                                      goals=[sibling], start_date=datetime.date(2018, 1, 1))
    users = SimpleNamespace(
        coordination=make_user(Role.COORDINATION, tenant),
        monitoring=make_user(Role.MONITORING, tenant),
        admin=make_user(Role.TENANT_ADMIN, tenant),
        partner_member=make_user(Role.PARTNER, tenant, organisation=agentur),
        partner_other=make_user(Role.PARTNER, tenant, organisation=jugendamt),
        partner_ihk=make_user(Role.PARTNER, tenant, organisation=ihk),
        data_protection=make_user(Role.DATA_PROTECTION, tenant),
        foreign_coordination=make_user(Role.COORDINATION, other_tenant),
    )
    return SimpleNamespace(tenant=tenant, period=period, parent=parent, child=child, sibling=sibling,
                           hidden=hidden, measure=measure, steering=steering, users=users, kassel=kassel,
                           group=group, agentur=agentur, ihk=ihk)


@pytest.fixture
def strategy_demo(db):
    """Core, regions, the seed organisations, monitoring (catalogue, Kassel seed figures, GENESIS
    21111-02-06-4), network and strategy demos – without the school lists and the other apps."""
    from .fixtures import strategy_demo_load

    strategy_demo_load()


@pytest.fixture
def strategy_demo_live(db):
    """The same for browser tests (the live server shares the test's connection and sees it)."""
    from .fixtures import strategy_demo_load

    strategy_demo_load()
