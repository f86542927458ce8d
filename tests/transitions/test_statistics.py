"""Cohort statistics: unknown and no-next-step stay apart, leavers without any record count as
unknown, the NCCIS headline, and the disclosure-controlled feed into Monitoring."""

import datetime
from decimal import Decimal

from bildungskette.transitions.statistics import cohort_statistics_recompute, monitoring_publish, tenant_tables

from .conftest import leaver


def _cohort(school, student_factory, option, plan, year=2026):
    from bildungskette.transitions.services import destination_set

    for code, n in plan:
        for _ in range(n):
            s = leaver(student_factory(school, "10a", 10, gender="w"), year=year,
                       left_on=datetime.date(year, 6, 30))
            if code:
                destination_set(student=s, kind="actual", option=option(code), on_date=datetime.date(year, 9, 30))


def test_outcomes_sectors_and_headline(tenant, school_a, school_b, student_factory, option):
    _cohort(school_a, student_factory, option, [("DUAL", 10), ("FOS", 20), ("UNBE", 6), ("NOKEAN", 4), (None, 5)])
    cohort_statistics_recompute(tenant=tenant)
    data = tenant_tables(tenant)
    outcome = data["tables"]["outcome_by_year"]
    assert outcome.rows == ["2026"]
    assert outcome.disclosed.cells == [[30, 4, 11]], "no record counts as unknown, not as no next step"
    sectors = data["tables"]["sector_by_year"]
    assert sectors.disclosed.cells[0][:5] == [10, 0, 20, 0, 0]
    head = data["headline"][0]
    assert head["no_step_or_unknown_rate"] == round(100 * 15 / 45, 1)
    assert head["unknown_rate"] == round(100 * 11 / 45, 1)


def test_statistics_feed_monitoring_with_suppressed_cells_flagged(tenant, school_a, student_factory, option):
    from bildungskette.monitoring.models import Value

    _cohort(school_a, student_factory, option, [("DUAL", 10), ("FOS", 20), ("UNBE", 6), ("NOKEAN", 2)])
    cohort_statistics_recompute(tenant=tenant)
    notes = monitoring_publish(tenant=tenant)
    assert "Monitoring" in notes[0]
    values = {v.categories: v for v in Value.objects.filter(statistic__code="uebergang.abgaenger.verbleib",
                                                            region__code="06611", period__code="2025/26")}
    assert values["uebergang-verbleib=kein_anschluss"].value is None
    assert values["uebergang-verbleib=kein_anschluss"].flag == "."
    # The complementary cell is hidden too, so the 2 cannot be recomputed from the total of 38.
    assert values["uebergang-verbleib=unbekannt"].value is None
    assert values[""].value == Decimal(38)
    assert values["uebergang-verbleib=bekannt"].value == Decimal(30)
    again = monitoring_publish(tenant=tenant)
    assert "0 neu" in again[0]
