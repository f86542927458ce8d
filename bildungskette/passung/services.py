"""Writes: occupation groups, Passung figures, the Messe allocation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bildungskette.monitoring.importers.kldb import kldb_titles

from .allocation import Plan, allocate
from .models import Messe, MesseAssignment, OccupationGroup


class GroupInvalid(ValueError):
    """German message for the form."""


def occupation_group_save(*, tenant, name: str, codes: list[str], description: str = "",
                          group: OccupationGroup | None = None) -> OccupationGroup:
    """Create or change a saved selection; every code must be a KldB 2010 code."""
    titles = kldb_titles()
    clean = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    unknown = [c for c in clean if c not in titles]
    if unknown:
        raise GroupInvalid(f"Unbekannte KldB-2010-Schlüssel: {', '.join(unknown)}")
    if not clean:
        raise GroupInvalid("Bitte mindestens einen KldB-2010-Schlüssel angeben.")
    if group is None:
        group = OccupationGroup(tenant=tenant)
    group.name, group.kldb_codes, group.description = name.strip(), clean, description
    group.save()
    return group


def messe_allocate(*, messe: Messe) -> Plan:
    """Run the allocation and store it (replacing an earlier run) in one transaction."""
    companies = list(messe.companies.all())
    pupils = list(messe.pupils.all())
    by_id = {c.pk: c for c in companies}
    wishes = {p.pseudonym: [str(w) for w in p.wishes if w in by_id] for p in pupils}
    capacities = {str(c.pk): c.capacity for c in companies}
    plan = allocate(wishes, capacities, k=messe.slots_per_pupil, seed=messe.seed)
    pupil_by = {p.pseudonym: p for p in pupils}
    rows = []
    for pseudonym, got in plan.slots.items():
        ranks = {c: r for r, c in enumerate(wishes[pseudonym], start=1)}
        for c in got:
            rows.append(MesseAssignment(messe=messe, pupil=pupil_by[pseudonym], company=by_id[int(c)],
                                        wish_rank=ranks.get(c)))
    with transaction.atomic():
        messe.assignments.all().delete()
        MesseAssignment.objects.bulk_create(rows)
        messe.allocated_at = timezone.now()
        messe.summary = {
            "pupils": len(pupils), "companies": len(companies), "k": plan.k, "total": plan.total,
            "satisfied": plan.satisfied, "rank_sum": plan.rank_sum, "filled": plan.filled,
            "wishes": sum(len(w) for w in wishes.values()), "seed": plan.seed,
            "full_k": sum(1 for got in plan.slots.values() if len(got) == plan.k),
            "unmet": {p: [[by_id[int(c)].name, why] for c, why in reasons] for p, reasons in plan.unmet.items()},
        }
        messe.save(update_fields=["allocated_at", "summary"])
    return plan
