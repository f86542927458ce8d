"""Coordination reminders at their limits: an agreement enters its reminder window exactly
``reminder_days`` before review or expiry, is reminded again exactly ``reminder_days`` after the
last reminder (not a day earlier), and a task is overdue the day after its due date."""

import datetime

import pytest

from bildungskette.network import services
from bildungskette.network.selectors import agreement_deadlines, agreements_due_for_reminder, overdue_action_items

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def agreement(net):
    return services.agreement_create(tenant=net.tenant, title="Arbeitsbündnis", subject="Zusammenarbeit",
                                     parties=[net.agentur, net.stadt], review_on=D(2026, 12, 30), reminder_days=30)


def test_the_review_window_opens_exactly_reminder_days_before(agreement):
    assert agreement_deadlines(agreement, D(2026, 11, 29)) == []
    assert agreement_deadlines(agreement, D(2026, 11, 30)) == ["Überprüfung fällig am 30.12.2026"]
    assert agreement_deadlines(agreement, D(2026, 12, 30)) == ["Überprüfung fällig am 30.12.2026"]
    assert agreement_deadlines(agreement, D(2026, 12, 31)) == ["Überprüfung war fällig am 30.12.2026"]


def test_expiry_window_and_expired(net):
    agreement = services.agreement_create(tenant=net.tenant, title="Befristet", subject="x", reminder_days=10,
                                          valid_from=D(2026, 1, 1), valid_until=D(2026, 12, 10))
    assert agreement_deadlines(agreement, D(2026, 11, 29)) == []
    assert agreement_deadlines(agreement, D(2026, 11, 30)) == ["läuft aus am 10.12.2026"]
    assert agreement_deadlines(agreement, D(2026, 12, 11)) == ["abgelaufen am 10.12.2026"]


def test_the_reminder_comes_again_after_exactly_reminder_days(agreement):
    agreement.last_reminder_on = D(2026, 12, 1)
    agreement.save()
    assert agreements_due_for_reminder(today=D(2026, 12, 30)) == []  # 29 days after the last reminder
    due = agreements_due_for_reminder(today=D(2026, 12, 31))  # exactly 30 days after
    assert [(a.pk, reason) for a, reason in due] == [(agreement.pk, "Überprüfung war fällig am 30.12.2026")]


def test_only_active_agreements_of_the_tenant_are_reminded(net, agreement):
    agreement.status = "terminated"
    agreement.save()
    assert agreements_due_for_reminder(today=D(2026, 12, 1)) == []
    other = services.agreement_create(tenant=net.other_tenant, title="Bochum", subject="x",
                                      review_on=D(2026, 12, 30), reminder_days=30)
    assert [a.pk for a, _ in agreements_due_for_reminder(today=D(2026, 12, 1))] == [other.pk]
    assert agreements_due_for_reminder(today=D(2026, 12, 1), tenant=net.tenant) == []


def test_a_task_is_overdue_the_day_after_its_due_date(net):
    item = services.action_item_create(body=net.steering, title="Flyer drucken", due_date=D(2026, 11, 30))
    assert list(overdue_action_items(today=D(2026, 11, 30))) == []
    assert list(overdue_action_items(today=D(2026, 12, 1))) == [item]
    assert list(overdue_action_items(today=D(2026, 12, 1), tenant=net.other_tenant)) == []
