"""Role scoping is enforced in the queries: school A's transition manager cannot reach school B's
students through any page or the API; coordination sees only disclosure-controlled aggregates."""

import pytest

from bildungskette.core.models import Role
from bildungskette.transitions.selectors import students_visible_to
from bildungskette.transitions.statistics import cohort_statistics_recompute

from .conftest import leaver


@pytest.fixture
def two_schools(school_a, school_b, student_factory):
    return student_factory(school_a, "9a"), student_factory(school_b, "9b")


def test_selector_returns_only_the_own_schools_students(manager_a, tenant, two_schools):
    own, other = two_schools
    assert list(students_visible_to(manager_a, tenant)) == [own]


def test_manager_a_cannot_open_school_b_pages(client_as, manager_a, school_b, two_schools):
    own, other = two_schools
    client = client_as(manager_a)
    assert client.get(f"/uebergaenge/schueler/{own.pk}/").status_code == 200
    for url in [f"/uebergaenge/schueler/{other.pk}/", f"/uebergaenge/schulen/{school_b.pk}/",
                f"/uebergaenge/schulen/{school_b.pk}/klassen/9b/",
                f"/uebergaenge/schulen/{school_b.pk}/september-garantie/",
                f"/uebergaenge/schueler/{other.pk}/auskunft/", f"/uebergaenge/schueler/{other.pk}/loeschen/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert other.pseudonym not in response.content.decode()
    response = client.post(f"/uebergaenge/schueler/{other.pk}/anschluss/", {"d-kind": "actual"})
    assert response.status_code == 404


def test_manager_a_cannot_list_school_b_through_the_api(client_as, manager_a, school_a, school_b, two_schools):
    own, other = two_schools
    client = client_as(manager_a)
    mine = client.get(f"/api/transitions/schools/{school_a.pk}/students").json()
    assert [s["pseudonym"] for s in mine["students"]] == [own.pseudonym]
    response = client.get(f"/api/transitions/schools/{school_b.pk}/students")
    assert response.status_code == 404 and other.pseudonym not in response.content.decode()


def test_coordination_reads_no_person_level_data(client_as, make_user, tenant, school_a, two_schools):
    own, _ = two_schools
    client = client_as(make_user(role=Role.COORDINATION, tenant=tenant))
    assert client.get(f"/uebergaenge/schueler/{own.pk}/").status_code == 404
    assert client.get(f"/api/transitions/schools/{school_a.pk}/students").status_code == 404


def test_superuser_gets_no_person_level_data_either(client_as, make_user, two_schools):
    admin = make_user()
    admin.is_superuser = True
    admin.save()
    own, _ = two_schools
    assert client_as(admin).get(f"/uebergaenge/schueler/{own.pk}/").status_code in (403, 404)


def test_other_tenants_manager_sees_nothing(client_as, make_user, other_tenant, school_a, two_schools):
    own, _ = two_schools
    stranger = make_user(role=Role.TRANSITION_MANAGER, tenant=other_tenant, organisation=school_a.organisation)
    client = client_as(stranger)
    assert client.get(f"/uebergaenge/schueler/{own.pk}/").status_code == 404


def test_coordinator_sees_suppressed_cells_with_complement_and_the_rule_stated(
        client_as, make_user, tenant, school_a, school_b, student_factory, option):
    from bildungskette.transitions.services import destination_set

    # School A: 10 known, 2 unknown; school B: 12 known, 6 unknown, 5 without next step.
    plan = [(school_a, "DUAL", 10), (school_a, "UNBE", 2), (school_b, "FOS", 12), (school_b, "UNBE", 6),
            (school_b, "NOKEAN", 5)]
    for school, code, n in plan:
        for _ in range(n):
            s = leaver(student_factory(school, "10a", 10))
            destination_set(student=s, kind="actual", option=option(code), on_date=s.left_on)
    cohort_statistics_recompute(tenant=tenant)
    client = client_as(make_user(role=Role.COORDINATION, tenant=tenant))
    html = client.get("/uebergaenge/statistik/").content.decode()
    assert "sekundäre Sperrung" in html
    assert html.count("gesperrt (zu kleine Fallzahl)") >= 1
    assert html.count("gesperrt (sekundäre Sperrung)") >= 1
    data = client.get("/api/transitions/statistics").json()
    by_school = data["tables"]["outcome_by_school"]
    row_a = by_school["rows"].index("Offene Schule Waldau")
    # known, none, unknown for school A: 10, 0, 2 → the 2 is hidden, and so is a complement.
    assert by_school["cells"][row_a][2] is None
    hidden = [(i, j) for i, r in enumerate(by_school["cells"]) for j, v in enumerate(r) if v is None]
    assert len(hidden) >= 2 and len({j for _, j in hidden}) >= 1
    assert sum(1 for i, _ in hidden if i == row_a) >= 2
