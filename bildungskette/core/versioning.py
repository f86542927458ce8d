"""Stale saves are refused: every edit form carries the version of what it showed.

``StaleSaveMixin`` puts a hidden field ``stand`` into an edit form: a signed set of short hashes,
one per shown field, of the values the form was filled with. On save it compares them with the
record as it is now. A POST without the token (or with a damaged one) is refused with a German
message and saves nothing: every edit form renders the token, and scripted clients use the API.
If somebody else saved in between, nothing is written: the form comes back
with the user's input intact, a German message names each field the other person changed and
its new value, fields the user had not touched take the other person's value, and the token is
renewed, so the next save is a deliberate one. No migration is needed: the version is derived
from the values themselves, so it also catches changes made elsewhere (API, admin, imports).
"""

from __future__ import annotations

import datetime
import decimal
import enum
import functools
import hashlib

from django import forms
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

VERSION_FIELD = "stand"
_SALT = "bildungskette.core.versioning"


def _normal(value):
    """One representation for a model value and the matching cleaned form value."""
    if isinstance(value, enum.Enum):
        # A choices default on a record not yet read back from the database is the enum member;
        # the same record read from the database (next request) holds its plain value.
        value = value.value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (models.QuerySet, models.Manager)):
        return sorted((obj.pk for obj in value.all()), key=repr)
    if isinstance(value, tuple):
        return tuple(_normal(v) for v in value)
    if isinstance(value, (list, set)):
        return sorted((_normal(v) for v in value), key=repr)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value.normalize())
    if isinstance(value, (datetime.date, datetime.time)):
        return str(value)
    if value is None:
        return ""
    return value


def _digest(value) -> str:
    return hashlib.sha256(repr(_normal(value)).encode()).hexdigest()[:16]


def _display(value) -> str:
    if isinstance(value, (models.QuerySet, models.Manager)):
        value = ", ".join(str(v) for v in value.all())
    elif isinstance(value, bool):
        value = _("ja") if value else _("nein")
    elif isinstance(value, datetime.datetime):
        value = date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    elif isinstance(value, datetime.date):
        value = date_format(value, "DATE_FORMAT")
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    if not text:
        return _("(leer)")
    return text if len(text) <= 120 else text[:119] + "…"


class StaleSaveMixin:
    """Mix into an edit form (before ``forms.Form``/``forms.ModelForm``).

    Model forms are guarded automatically for an existing ``instance``; plain edit forms, whose
    view fills ``initial`` from the record, pass the record as ``version_of=``. A form that shows
    more than its fields (e.g. radio groups rendered by hand) extends ``version_state()``.
    """

    def __init__(self, *args, version_of: models.Model | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        obj = version_of if version_of is not None else getattr(self, "instance", None)
        self.version_object = obj if obj is not None and obj.pk is not None else None
        self.stale_changes: list[tuple[str, str]] = []
        if self.version_object is None:
            return
        # Evaluated on first use (rendering or clean), i.e. after the subclass has added its fields
        # and before a model form copies the input onto its instance.
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False,
                                                     initial=self._version_token)

    @functools.cached_property
    def _version_now(self) -> dict[str, object]:
        return self.version_state()

    def version_state(self) -> dict[str, object]:
        """What the form shows of the record as it is in the database now: its initial values,
        which every edit view fills from the record it has just loaded."""
        return {name: self.get_initial_for_field(field, name) for name, field in self.fields.items()
                if name != VERSION_FIELD}

    def _version_display(self, name: str, value) -> str:
        field = self.fields.get(name)
        if isinstance(field, forms.ModelMultipleChoiceField) and isinstance(value, (list, tuple)):
            objs = [v if isinstance(v, models.Model) else None for v in value]
            if not all(objs):
                objs = list(field.queryset.filter(pk__in=[_normal(v) for v in value]))
            return _display(", ".join(str(o) for o in objs))
        if isinstance(field, forms.ModelChoiceField) and value not in (None, "") \
                and not isinstance(value, models.Model):
            value = field.queryset.filter(pk=value).first() or value
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            value = dict((str(k), v) for k, v in field.choices if not isinstance(v, (list, tuple))).get(
                str(value), value)
        return _display(value)

    def _version_token(self) -> str:
        return signing.dumps({k: _digest(v) for k, v in self._version_now.items()}, salt=_SALT, compress=True)

    def _version_label(self, name: str) -> str:
        field = self.fields.get(name)
        return str(field.label) if field is not None and field.label else name

    @property
    def changed_data(self):
        return [name for name in super().changed_data if name != VERSION_FIELD]

    def clean(self):
        cleaned = super().clean()
        if self.version_object is None:
            return cleaned
        posted = (cleaned or {}).pop(VERSION_FIELD, "") if cleaned is not None else ""
        if self.add_prefix(VERSION_FIELD) not in self.data:
            # Every rendered edit form carries its version; a POST without one cannot show that it
            # saw the record as it is, so it is refused like a stale one (scripts use the API).
            raise forms.ValidationError(
                _("Das Formular enthält keinen Bearbeitungsstand, deshalb wurde nichts gespeichert. Bitte laden "
                  "Sie die Seite neu und geben Sie Ihre Änderungen erneut ein."), code="stale")
        try:
            seen = signing.loads(posted, salt=_SALT) if posted else None
        except signing.BadSignature:
            seen = None
        if not isinstance(seen, dict):
            raise forms.ValidationError(
                _("Das Formular enthält keinen gültigen Bearbeitungsstand. Bitte laden Sie die Seite neu und "
                  "geben Sie Ihre Änderungen erneut ein."), code="stale")
        changed = [name for name, value in self._version_now.items()
                   if name in seen and seen[name] != _digest(value)]
        if not changed:
            return cleaned
        self._stale_refresh(changed, seen, cleaned)
        self.stale_changes = [(self._version_label(n), self._version_display(n, self._version_now[n]))
                              for n in changed]
        listing = "; ".join(f"{label}: „{value}“" for label, value in self.stale_changes)
        raise forms.ValidationError(
            _("Jemand anderes hat diesen Datensatz gespeichert, nachdem Sie ihn geöffnet haben. Ihre Änderungen "
              "wurden deshalb noch nicht gespeichert, sie stehen unten weiter im Formular. Inzwischen geändert: "
              "%(changes)s. Bitte prüfen Sie die Angaben und speichern Sie erneut.") % {"changes": listing},
            code="stale")

    def _stale_refresh(self, changed: list[str], seen: dict, cleaned: dict) -> None:
        """Renew the token; fields the user left as they were take the other person's value."""
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = self._version_token()
        for name in changed:
            if name not in self.fields or name not in cleaned or _digest(cleaned[name]) != seen.get(name):
                continue  # the user changed it too: keep the user's input
            current = self.get_initial_for_field(self.fields[name], name)
            key = self.add_prefix(name)
            if isinstance(current, (list, tuple)):
                data.setlist(key, [str(_normal(v)) for v in current])
            elif isinstance(current, bool):
                if current:
                    data[key] = "on"
                else:
                    data.pop(key, None)
            else:
                data[key] = "" if current is None else (current.pk if isinstance(current, models.Model)
                                                        else current)
        self.data = data
