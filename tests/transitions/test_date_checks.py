"""Attendance of an event is recorded only from its start; a follow-up's due date in the past needs
a confirmation unless it is the date already stored."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.transitions.forms import FollowUpForm
from bildungskette.transitions.models import Activity
from bildungskette.transitions.services import attendance_record, booking_confirm, booking_create, event_create

pytestmark = pytest.mark.django_db


def test_attendance_from_the_exact_start_instant_not_a_microsecond_before(tenant, school_a, student_factory):
    company = Organisation.objects.create(tenant=tenant, name="Elektro Test GmbH", type=OrganisationType.BETRIEB)
    starts = timezone.now() + datetime.timedelta(days=21)
    event = event_create(tenant=tenant, organisation=company, title="Berufsfelderkundung Elektro",
                         starts_at=starts, ends_at=starts + datetime.timedelta(hours=3), location="Kassel",
                         capacity=3)
    student = student_factory(school_a)
    booking = booking_create(event=event, student=student)
    booking_confirm(booking=booking)

    message = r"Die Teilnahme kann erst ab Beginn der Veranstaltung \(\d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr\) erfasst"
    with pytest.raises(ValidationError, match=message):
        attendance_record(booking=booking, attended=True, now=starts - datetime.timedelta(microseconds=1))
    booking.refresh_from_db()
    assert booking.attended is None and not Activity.objects.filter(event=event).exists()

    attendance_record(booking=booking, attended=True, now=starts)
    booking.refresh_from_db()
    assert booking.attended is True and Activity.objects.filter(event=event, student=student).count() == 1


def _follow_up_form(data, stored=None):
    return FollowUpForm(data, initial={"due_on": stored, "notes": ""} if stored else None)


def test_follow_up_due_today_passes_yesterday_needs_confirmation():
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    assert _follow_up_form({"due_on": today.isoformat()}).is_valid()
    refused = _follow_up_form({"due_on": yesterday.isoformat()})
    assert not refused.is_valid()
    assert refused.errors["due_on"] == [
        f"Das Datum {yesterday:%d.%m.%Y} liegt in der Vergangenheit. Wenn das so gewollt ist, kreuzen Sie "
        "„Datum in der Vergangenheit bestätigen“ an."]
    assert _follow_up_form({"due_on": yesterday.isoformat(), "confirm_past_date": "on"}).is_valid()
    # An overdue follow-up whose date is left as it is: only the notes change, no confirmation.
    assert _follow_up_form({"due_on": yesterday.isoformat(), "notes": "angerufen"}, stored=yesterday).is_valid()
