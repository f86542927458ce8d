"""The audit log as people read it: actors as they are known, models and fields by their German
labels, values in their display form (choices, linked objects, yes/no, dates).

Only the display changes; what the audit stores stays as it is (see ``audit.py``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

# Labels written before actors were named properly.
_ACTOR_LABELS = {"AnonymousUser": _("nicht angemeldet"), "anonym": _("nicht angemeldet"), "System": _("System")}


@dataclass
class ChangeRow:
    label: str
    before: str
    after: str


@dataclass
class EntryView:
    entry: object
    actor: str
    model_name: str
    rows: list[ChangeRow] = field(default_factory=list)


def actor_display(entry) -> str:
    label = entry.actor_label or ""
    if entry.actor_id and entry.actor is not None:
        return str(entry.actor)
    return str(_ACTOR_LABELS.get(label, label or _("System")))


def model_display(model_label: str) -> str:
    model = _model(model_label)
    return str(model._meta.verbose_name) if model is not None else model_label


def _model(model_label: str):
    try:
        return apps.get_model(model_label)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    for f in model._meta.get_fields():
        if getattr(f, "attname", None) == name or f.name == name:
            return f
    return None


def _related_ids(entries) -> dict:
    """(related model, pk) pairs on one page, to fetch each model's names in one query."""
    wanted = defaultdict(set)
    for entry in entries:
        model = _model(entry.model_label)
        if not isinstance(entry.changes, dict):
            continue
        for name, pair in entry.changes.items():
            f = _field(model, name)
            if f is None or not f.is_relation or f.related_model is None:
                continue
            for value in pair if isinstance(pair, list) else []:
                for pk in value if isinstance(value, list) else [value]:
                    if isinstance(pk, int) or (isinstance(pk, str) and pk.isdigit()):
                        wanted[f.related_model].add(int(pk))
    return {model: {pk: str(obj) for pk, obj in model._base_manager.in_bulk(list(pks)).items()}
            for model, pks in wanted.items()}


def _value_display(f, value, names: dict) -> str:
    if value is None or value == "":
        return "–"
    if f is None:
        return str(value)
    if f.is_relation and f.related_model is not None:
        lookup = names.get(f.related_model, {})
        values = value if isinstance(value, list) else [value]
        shown = [lookup.get(int(v), f"#{v}") if str(v).isdigit() else str(v) for v in values]
        return ", ".join(shown) if shown else "–"
    if getattr(f, "choices", None):
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("ja") if value else _("nein")
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "d.m.Y H:i")
        except ValueError:
            return value
    if isinstance(f, models.DateField) and isinstance(value, str):
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "d.m.Y")
        except ValueError:
            return value
    return str(value)


# Field names without a German label of their own.
_FIELD_LABELS = {"created_at": _("angelegt am"), "updated_at": _("geändert am"), "confirmed_at": _("bestätigt am"),
                 "cancelled_at": _("abgesagt am")}


def field_display(f, name: str) -> str:
    """The field's German label; for a field without one, the related model's name or a known label."""
    if f is None or not hasattr(f, "verbose_name"):
        label = str(_FIELD_LABELS.get(name, name))
    else:
        label = str(f.verbose_name)
        if label == f.name.replace("_", " "):  # Django's generated default: not a label anyone wrote
            if name in _FIELD_LABELS or f.name in _FIELD_LABELS:
                label = str(_FIELD_LABELS.get(name) or _FIELD_LABELS[f.name])
            elif f.is_relation and f.related_model is not None:
                label = str(f.related_model._meta.verbose_name)
    return label[:1].upper() + label[1:]


def audit_entries_display(entries) -> list[EntryView]:
    entries = list(entries)
    names = _related_ids(entries)
    views = []
    for entry in entries:
        model = _model(entry.model_label)
        view = EntryView(entry=entry, actor=actor_display(entry), model_name=model_display(entry.model_label))
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for name, pair in changes.items():
            f = _field(model, name)
            if f is not None and getattr(f, "primary_key", False):
                continue  # the object's own number says nothing to the reader
            label = field_display(f, name)
            if isinstance(pair, list) and len(pair) == 2:
                view.rows.append(ChangeRow(label, _value_display(f, pair[0], names), _value_display(f, pair[1], names)))
            elif pair is None:  # person-level models log field names only (core.audit, person_level=True)
                not_logged = _("(Wert wird bei personenbezogenen Daten nicht protokolliert)")
                view.rows.append(ChangeRow(label, "", str(not_logged)))
            else:
                view.rows.append(ChangeRow(label, "", str(pair)))
        views.append(view)
    return views
