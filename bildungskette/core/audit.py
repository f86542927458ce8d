"""The audit log: every create, update and delete of audited domain data is recorded.

Models opt in with ``@audited``; the actor comes from the request (AuditActorMiddleware) or,
for commands and background jobs, from ``audit_actor(...)``.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import decimal
from collections.abc import Iterator

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .models import AuditEntry

_actor: contextvars.ContextVar = contextvars.ContextVar("audit_actor", default=None)
_AUDITED: set[type[models.Model]] = set()
_EXCLUDED: dict[type[models.Model], frozenset[str]] = {}
# Models about one natural person (a pupil's record and everything hanging off it): their entries
# keep which fields changed, never a value, so an erasure (Art. 17) leaves nothing behind in the
# log – not even the delete entries the erasure's own cascade writes.
_PERSON_LEVEL: set[type[models.Model]] = set()
# Fields whose values never go into the log (secrets, person-level free text stays out via exclude).
_NEVER_LOGGED = {"password"}


def audited(model: type[models.Model] | None = None, *, exclude: tuple[str, ...] = (), person_level: bool = False):
    """Class decorator: record every change of this model in the audit log.

    ``@audited(exclude=("first_name_enc",))`` keeps fields out of the log entirely.
    ``@audited(person_level=True)`` records only the names of changed fields and a neutral
    label ("Schüler*in 17") for data about one person, so the log never holds a copy of values
    that must go when the person's record goes.
    """
    if model is None:
        return lambda cls: audited(cls, exclude=exclude, person_level=person_level)
    _AUDITED.add(model)
    _EXCLUDED[model] = frozenset(exclude)
    if person_level:
        _PERSON_LEVEL.add(model)
    pre_save.connect(_remember_previous, sender=model, dispatch_uid=f"audit-pre-{model._meta.label}")
    post_save.connect(_record_save, sender=model, dispatch_uid=f"audit-post-{model._meta.label}")
    post_delete.connect(_record_delete, sender=model, dispatch_uid=f"audit-del-{model._meta.label}")
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(_record_m2m, sender=field.remote_field.through,
                            dispatch_uid=f"audit-m2m-{model._meta.label}-{field.name}")
    return model


@contextlib.contextmanager
def audit_actor(user, label: str = "") -> Iterator[None]:
    """Attribute changes inside the block to ``user`` (or a label such as 'Import' or 'System')."""
    token = _actor.set((user, label or (str(user) if user else "System")))
    try:
        yield
    finally:
        _actor.reset(token)


def _current_actor():
    value = _actor.get()
    if value is None:
        return None, "System"
    user, label = value
    if user is not None and not getattr(user, "is_authenticated", False):
        return None, label or "anonym"
    return user, label


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time, decimal.Decimal)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, dict, str, int, float, bool)) or value is None:
        return value
    return str(value)


def _snapshot(instance: models.Model) -> dict:
    data = {}
    excluded = _EXCLUDED.get(type(instance), frozenset())
    for field in instance._meta.concrete_fields:
        if field.name in _NEVER_LOGGED or field.name in excluded or field.attname in excluded:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and len(value) > 2000:
            value = value[:2000] + "…"
        if field.get_internal_type() == "JSONField" and value is not None and len(str(value)) > 2000:
            value = "(umfangreiche Daten)"
        data[field.attname] = _plain(value)
    return data


def _tenant_id(instance) -> int | None:
    return getattr(instance, "tenant_id", None)


def _remember_previous(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._audit_previous = None
        return
    previous = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_previous = _snapshot(previous) if previous is not None else None


def is_person_level(model: type[models.Model]) -> bool:
    return model in _PERSON_LEVEL


def _write(instance, action: str, changes: dict) -> None:
    actor, label = _current_actor()
    object_repr = str(instance)
    if type(instance) in _PERSON_LEVEL:
        changes = {name: None for name in changes}
        object_repr = f"{instance._meta.verbose_name} {instance.pk}"
    AuditEntry.objects.create(
        tenant_id=_tenant_id(instance),
        actor=actor,
        actor_label=label[:150],
        action=action,
        model_label=instance._meta.label,
        object_id=str(instance.pk),
        object_repr=object_repr[:300],
        changes=changes,
    )


def _record_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    now = _snapshot(instance)
    previous = getattr(instance, "_audit_previous", None)
    if created or previous is None:
        _write(instance, AuditEntry.Action.CREATE, {k: [None, v] for k, v in now.items() if v not in (None, "")})
        return
    diff = {k: [previous.get(k), v] for k, v in now.items() if previous.get(k) != v}
    if diff:
        _write(instance, AuditEntry.Action.UPDATE, diff)


def _record_delete(sender, instance, **kwargs):
    _write(instance, AuditEntry.Action.DELETE, {k: [v, None] for k, v in _snapshot(instance).items() if v})


def _record_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Adding or removing members of a many-to-many field is a change of the audited object."""
    if action not in {"post_add", "post_remove", "post_clear"} or reverse or type(instance) not in _AUDITED:
        return
    field = next((f.name for f in instance._meta.local_many_to_many if f.remote_field.through is sender), "?")
    ids = sorted(pk_set or [])
    change = {"post_add": [None, ids], "post_remove": [ids, None], "post_clear": ["alle", None]}[action]
    _write(instance, AuditEntry.Action.UPDATE, {field: change})


def audit_record_import(*, tenant=None, model_label: str, summary: dict, description: str) -> AuditEntry:
    """One entry for a bulk import (rows loaded in bulk bypass the per-object signals)."""
    actor, label = _current_actor()
    return AuditEntry.objects.create(
        tenant=tenant,
        actor=actor,
        actor_label=label[:150],
        action=AuditEntry.Action.IMPORT,
        model_label=model_label,
        object_repr=description[:300],
        changes=summary,
    )
