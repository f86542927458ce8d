"""Fixtures for the transition tests: the real KAoA catalogue, two schools of one tenant with their
transition managers, and a few students."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from bildungskette.core.models import Role


@pytest.fixture
def kaoa(db):
    from bildungskette.transitions.importers import kaoa_import

    return kaoa_import(settings.DATA_DIR / "kaoa")


@pytest.fixture
def school_factory(tenant):
    from bildungskette.organisations.models import Organisation, OrganisationType
    from bildungskette.regions.selectors import region_by_code
    from bildungskette.transitions.services import school_ensure

    def make(external_id, name, tenant_=None, **fields):
        org, _ = Organisation.objects.get_or_create(
            external_id=external_id, defaults={"name": name, "type": OrganisationType.SCHULE,
                                               "region": region_by_code("06611000")})
        return school_ensure(tenant=tenant_ or tenant, organisation=org, **fields)

    return make


@pytest.fixture
def school_a(school_factory, kaoa):
    return school_factory("HE-9203", "Offene Schule Waldau")


@pytest.fixture
def school_b(school_factory, kaoa):
    return school_factory("HE-7113", "Fasanenhofschule")


@pytest.fixture
def manager_a(make_user, tenant, school_a):
    return make_user(role=Role.TRANSITION_MANAGER, tenant=tenant, organisation=school_a.organisation)


@pytest.fixture
def manager_b(make_user, tenant, school_b):
    return make_user(role=Role.TRANSITION_MANAGER, tenant=tenant, organisation=school_b.organisation)


@pytest.fixture
def student_factory():
    from bildungskette.transitions.services import student_create

    counter = {"n": 0}

    def make(school, class_name="9a", grade=9, **fields):
        counter["n"] += 1
        return student_create(school=school, grade=grade, class_name=class_name,
                              identity=f"test|{counter['n']}", **fields)

    return make


@pytest.fixture
def option():
    from bildungskette.transitions.models import DestinationOption

    def get(code):
        return DestinationOption.objects.get(catalogue__is_current=True, code=code)

    return get


def leaver(student, year=2026, left_on=datetime.date(2026, 6, 30)):
    from bildungskette.transitions.models import StudentStatus

    student.status, student.leaving_year, student.left_on = StudentStatus.LEFT, year, left_on
    student.save()
    return student
