"""Date checks that guard the user: nothing is recorded for an event before it began, and a due date
in the past needs an explicit confirmation (a tick box next to the date field)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


def started_or_refuse(starts_at: datetime.datetime, *, message: str, now: datetime.datetime | None = None) -> None:
    """Raise ``ValidationError(message)`` while ``starts_at`` lies in the future; from the start instant
    on it passes. ``message`` may use ``%(start)s`` (local date and time)."""
    now = now or timezone.now()
    if now < starts_at:
        start = date_format(timezone.localtime(starts_at), "d.m.Y, H:i")
        raise ValidationError(message % {"start": start}, code="not_started")


CONFIRM_PAST_FIELD = "confirm_past_date"


class PastDateConfirmMixin:
    """A form whose ``past_date_fields`` may hold a date before today only with the tick box
    "Datum in der Vergangenheit bestätigen". A date left unchanged (an overdue task being edited)
    needs no confirmation."""

    past_date_fields: tuple[str, ...] = ("due_date",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = list(self.fields.items())
        position = max(i for i, (name, _field) in enumerate(fields) if name in self.past_date_fields) + 1
        fields.insert(position, (CONFIRM_PAST_FIELD, forms.BooleanField(
            label=_("Datum in der Vergangenheit bestätigen"), required=False)))
        self.fields = type(self.fields)(fields)

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in self.past_date_fields:
            value = cleaned.get(name)
            if (value and value < today and value != self.initial.get(name)
                    and not cleaned.get(CONFIRM_PAST_FIELD)):
                self.add_error(name, ValidationError(
                    _("Das Datum %(date)s liegt in der Vergangenheit. Wenn das so gewollt ist, kreuzen Sie "
                      "„Datum in der Vergangenheit bestätigen“ an.") % {"date": value.strftime("%d.%m.%Y")},
                    code="past_date"))
        return cleaned
