"""Writes for organisations and people. Every write is audited (see core.audit)."""

from __future__ import annotations

from django.db import transaction

from .models import Organisation, Person


def organisation_create(*, tenant, name: str, type: str, **fields) -> Organisation:
    organisation = Organisation(tenant=tenant, name=name, type=type, **fields)
    organisation.full_clean()
    organisation.save()
    return organisation


def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    for key, value in fields.items():
        setattr(organisation, key, value)
    organisation.full_clean()
    organisation.save()
    return organisation


def organisation_ensure(*, tenant, name: str, type: str, **fields) -> Organisation:
    """Idempotent create for demo and seed data: matched by tenant and name."""
    with transaction.atomic():
        organisation = Organisation.objects.filter(tenant=tenant, name=name).first()
        if organisation is None:
            return organisation_create(tenant=tenant, name=name, type=type, **fields)
        changed = {k: v for k, v in {"type": type, **fields}.items() if getattr(organisation, k) != v}
        return organisation_update(organisation=organisation, **changed) if changed else organisation


def person_create(*, tenant, organisation: Organisation, name: str, **fields) -> Person:
    person = Person(tenant=tenant, organisation=organisation, name=name, **fields)
    person.full_clean()
    person.save()
    return person
