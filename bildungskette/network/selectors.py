"""Reads of the network area, always through the eyes of the person asking.

Visibility: the tenant's staff (administration, coordination, monitoring, data protection) see all
bodies of their tenant; a partner or a school sees the bodies its organisation belongs to; everyone,
also the public, sees public bodies.
"""

from __future__ import annotations

import calendar
import datetime
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bildungskette.core.models import Role
from bildungskette.core.selectors import user_organisation_ids, user_roles

from .models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    AgendaItem,
    Body,
    ChairRotation,
    CommitmentStatus,
    CooperationAgreement,
    Meeting,
    MeetingStatus,
    Membership,
)

STAFF_ROLES = {Role.TENANT_ADMIN, Role.COORDINATION, Role.MONITORING, Role.DATA_PROTECTION}


def sees_whole_tenant(user, tenant) -> bool:
    if tenant is None or not user.is_authenticated:
        return False
    return user.is_superuser or bool(user_roles(user, tenant) & STAFF_ROLES)


def member_body_ids(user, tenant) -> set[int]:
    """Bodies in which one of the user's organisations is an active member (cached per request)."""
    if tenant is None or not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_network_body_cache", {})
    if tenant.id not in cache:
        org_ids = user_organisation_ids(user, tenant)
        today = timezone.localdate()
        cache[tenant.id] = (
            set(
                Membership.objects.filter(tenant=tenant, organisation_id__in=org_ids)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
                .values_list("body_id", flat=True)
            )
            if org_ids
            else set()
        )
    return cache[tenant.id]


def bodies_visible_to(user, tenant) -> QuerySet[Body]:
    if sees_whole_tenant(user, tenant):
        return Body.objects.filter(Q(tenant=tenant) | Q(is_public=True))
    ids = member_body_ids(user, tenant)
    return Body.objects.filter(Q(is_public=True) | Q(pk__in=ids))


def body_list(*, user, tenant, query: str = "", type: str = "", only_own_tenant: bool = True) -> QuerySet[Body]:
    qs = bodies_visible_to(user, tenant).select_related("parent", "tenant")
    if only_own_tenant and tenant is not None:
        qs = qs.filter(tenant=tenant)
    if query:
        qs = qs.filter(
            Q(name__icontains=query)
            | Q(short_name__icontains=query)
            | Q(mandate__icontains=query)
            | Q(field_of_action__icontains=query)
        )
    if type:
        qs = qs.filter(type=type)
    today = timezone.localdate()
    return qs.annotate(
        active_members=Count(
            "memberships",
            filter=Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today),
            distinct=True,
        ),
    ).order_by("name")


def body_memberships(body: Body, *, include_former: bool = False) -> list[Membership]:
    qs = body.memberships.select_related("organisation").prefetch_related("delegates", "deputies")
    rows = list(qs)
    role_order = {"vorsitz": 0, "co_vorsitz": 1, "geschaeftsfuehrung": 2, "mitglied": 3, "staendiger_gast": 4}
    rows.sort(key=lambda m: (not m.is_active, role_order.get(m.role, 9), m.organisation.name))
    if not include_former:
        rows = [m for m in rows if m.is_active]
    return rows


# Chair rotation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChairTerm:
    starts_on: datetime.date
    ends_on: datetime.date
    organisation: object
    label: str

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def chair_schedule(
    rotation: ChairRotation, *, until: datetime.date, since: datetime.date | None = None
) -> list[ChairTerm]:
    """The chair's terms from the rotation's start (or ``since``) until ``until``."""
    slots = list(rotation.slots.select_related("organisation"))
    if not slots:
        return []
    terms = []
    k = 0
    while True:
        start = _add_months(rotation.starts_on, k * rotation.term_months)
        if start > until:
            break
        end = _add_months(rotation.starts_on, (k + 1) * rotation.term_months) - datetime.timedelta(days=1)
        if since is None or end >= since:
            slot = slots[k % len(slots)]
            terms.append(ChairTerm(start, end, slot.organisation, slot.chair_label))
        k += 1
        if k > 2000:  # a term of at least one month: 2000 terms are 166 years
            break
    return terms


def chair_on(rotation: ChairRotation, day: datetime.date) -> ChairTerm | None:
    if day < rotation.starts_on:
        return None
    for term in chair_schedule(rotation, until=day, since=day):
        if term.covers(day):
            return term
    return None


def chair_overview(body: Body, *, today: datetime.date | None = None) -> dict | None:
    """Current and next chair plus the schedule from last year to three years ahead."""
    rotation = ChairRotation.objects.filter(body=body).first()
    if rotation is None:
        return None
    today = today or timezone.localdate()
    schedule = chair_schedule(rotation, since=_add_months(today, -12), until=_add_months(today, 36))
    current = next((t for t in schedule if t.covers(today)), None)
    upcoming = [t for t in schedule if t.starts_on > today]
    next_year = datetime.date(today.year + 1, today.month, min(today.day, 28))
    return {
        "rotation": rotation,
        "schedule": schedule,
        "current": current,
        "next": upcoming[0] if upcoming else None,
        "next_year": next((t for t in schedule if t.covers(next_year)), None),
        "today": today,
    }


# Meetings ----------------------------------------------------------------------------------------


def meetings_visible_to(user, tenant) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body__in=bodies_visible_to(user, tenant))


def meetings_upcoming(*, body_ids, limit: int = 5, now: datetime.datetime | None = None) -> list[Meeting]:
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(body_id__in=body_ids, starts_at__gte=now - datetime.timedelta(hours=12))
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("body")
        .order_by("starts_at")[:limit]
    )


def agenda_tree(meeting: Meeting, *, flat: bool = False, public_only: bool = False, items=None):
    """The agenda as [(number, item, children)], numbered 1, 2, 2.1 …; ``flat`` lists all levels in order."""
    if items is None:
        items = list(meeting.agenda_items.all().prefetch_related("documents", "decisions"))
    if public_only:
        items = [i for i in items if i.is_public]
    top = sorted([i for i in items if i.parent_id is None], key=lambda i: (i.position, i.id))
    children: dict[int, list[AgendaItem]] = {}
    for item in items:
        if item.parent_id is not None:
            children.setdefault(item.parent_id, []).append(item)
    tree = []
    for n, item in enumerate(top, start=1):
        kids = sorted(children.get(item.pk, []), key=lambda i: (i.position, i.id))
        tree.append((str(n), item, [(f"{n}.{m}", kid, []) for m, kid in enumerate(kids, start=1)]))
    if not flat:
        return tree
    rows = []
    for number, item, kids in tree:
        rows.append((number, item, kids))
        rows.extend(kids)
    return rows


def agenda_numbers(meeting: Meeting, items=None) -> dict[int, str]:
    return {item.pk: number for number, item, _kids in agenda_tree(meeting, flat=True, items=items)}


def meeting_detail(meeting_id: int, *, queryset: QuerySet[Meeting]) -> Meeting:
    return (
        queryset.select_related("body", "body__tenant")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.prefetch_related("documents")),
            "decisions",
            "attendances__organisation",
            "documents",
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner_organisation", "owner_person", "decision"),
            ),
        )
        .get(pk=meeting_id)
    )


# Action items ------------------------------------------------------------------------------------


def action_items_visible_to(user, tenant) -> QuerySet[ActionItem]:
    """Staff see all of their tenant's; a partner sees those of its bodies and those it owns."""
    if sees_whole_tenant(user, tenant):
        return ActionItem.objects.filter(tenant=tenant)
    if tenant is None:
        return ActionItem.objects.none()
    org_ids = user_organisation_ids(user, tenant)
    return ActionItem.objects.filter(tenant=tenant).filter(
        Q(body_id__in=member_body_ids(user, tenant)) | Q(owner_organisation_id__in=org_ids)
    )


def action_item_list(
    *,
    user,
    tenant,
    body_id: int | None = None,
    organisation_id: int | None = None,
    status: str = "open",
    overdue_only: bool = False,
    query: str = "",
    today: datetime.date | None = None,
) -> QuerySet[ActionItem]:
    today = today or timezone.localdate()
    qs = action_items_visible_to(user, tenant).select_related(
        "body", "owner_organisation", "owner_person", "meeting", "decision"
    )
    if status == "open":
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if body_id:
        qs = qs.filter(body_id=body_id)
    if organisation_id:
        qs = qs.filter(owner_organisation_id=organisation_id)
    if overdue_only:
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return qs.order_by("owner_organisation__name", "due_date", "id")


def action_items_grouped(items) -> list[tuple[object, list[ActionItem]]]:
    """[(organisation or None, items)] in the order given (sorted by organisation)."""
    groups: OrderedDict = OrderedDict()
    for item in items:
        groups.setdefault(item.owner_organisation_id, (item.owner_organisation, []))[1].append(item)
    return list(groups.values())


def action_item_counts_by_organisation(*, user, tenant, today: datetime.date | None = None) -> list[dict]:
    """Per owner organisation: open and overdue action items (for the 'offene Aufgaben' overview)."""
    today = today or timezone.localdate()
    rows = (
        action_items_visible_to(user, tenant)
        .filter(status__in=OPEN_ACTION_STATUSES)
        .values("owner_organisation_id", "owner_organisation__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by("owner_organisation__name")
    )
    return list(rows)


def overdue_action_items(*, today: datetime.date, tenant=None) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)
    if tenant is not None:
        qs = qs.filter(tenant=tenant)
    return qs.select_related("tenant", "body", "owner_organisation").order_by("tenant_id", "due_date")


# Agreements --------------------------------------------------------------------------------------


def agreements_visible_to(user, tenant) -> QuerySet[CooperationAgreement]:
    if sees_whole_tenant(user, tenant):
        return CooperationAgreement.objects.filter(Q(tenant=tenant) | Q(is_public=True))
    org_ids = user_organisation_ids(user, tenant) if tenant is not None else set()
    return CooperationAgreement.objects.filter(
        Q(is_public=True)
        | Q(tenant=tenant, parties__in=org_ids)
        | Q(tenant=tenant, body_id__in=member_body_ids(user, tenant))
    ).distinct()


def agreement_progress(agreement: CooperationAgreement) -> dict:
    """What of an agreement has been implemented: counts per status, overall and per party."""
    commitments = list(agreement.commitments.all().select_related("party").prefetch_related("documents"))
    total = len(commitments)
    counts = {s: 0 for s in CommitmentStatus.values}
    parties: OrderedDict = OrderedDict()
    for party in agreement.parties.all().order_by("name"):
        parties[party.pk] = {"party": party, "commitments": [], "fulfilled": 0}
    for c in commitments:
        counts[c.status] += 1
        entry = parties.setdefault(c.party_id, {"party": c.party, "commitments": [], "fulfilled": 0})
        entry["commitments"].append(c)
        if c.status == CommitmentStatus.FULFILLED:
            entry["fulfilled"] += 1
    for entry in parties.values():
        entry["by_status"] = [
            sum(1 for c in entry["commitments"] if c.status == value) for value in CommitmentStatus.values
        ]
        n = len(entry["commitments"])
        entry["percent"] = round(100 * entry["fulfilled"] / n) if n else None
    fulfilled = counts[CommitmentStatus.FULFILLED]
    return {
        "total": total,
        "counts": counts,
        "fulfilled": fulfilled,
        "percent": round(100 * fulfilled / total) if total else None,
        "by_status": [(value, label, counts[value]) for value, label in CommitmentStatus.choices],
        "parties": list(parties.values()),
        "has_synthetic": any(c.is_synthetic for c in commitments),
    }


def agreement_deadlines(agreement: CooperationAgreement, today: datetime.date) -> list[str]:
    """Why the coordination should look at this agreement now (review date or expiry near or past)."""
    reasons = []
    window = datetime.timedelta(days=agreement.reminder_days)
    if agreement.review_on and agreement.review_on - window <= today:
        if agreement.review_on < today:
            reasons.append(_("Überprüfung war fällig am %(d)s") % {"d": f"{agreement.review_on:%d.%m.%Y}"})
        else:
            reasons.append(_("Überprüfung fällig am %(d)s") % {"d": f"{agreement.review_on:%d.%m.%Y}"})
    if agreement.valid_until and agreement.valid_until - window <= today:
        if agreement.valid_until < today:
            reasons.append(_("abgelaufen am %(d)s") % {"d": f"{agreement.valid_until:%d.%m.%Y}"})
        else:
            reasons.append(_("läuft aus am %(d)s") % {"d": f"{agreement.valid_until:%d.%m.%Y}"})
    return reasons


def agreements_due_for_reminder(*, today: datetime.date, tenant=None) -> list[tuple[CooperationAgreement, str]]:
    qs = CooperationAgreement.objects.filter(status="active").select_related("tenant")
    if tenant is not None:
        qs = qs.filter(tenant=tenant)
    due = []
    for agreement in qs:
        reasons = agreement_deadlines(agreement, today)
        if not reasons:
            continue
        # Remind once per window: not again if reminded within the reminder period.
        if agreement.last_reminder_on and (today - agreement.last_reminder_on).days < agreement.reminder_days:
            continue
        due.append((agreement, "; ".join(reasons)))
    return due


def network_facts(tenant, *, today: datetime.date) -> list[dict]:
    """Key figures of the tenant's network for reports: what exists today and what happened in the
    twelve months up to ``today`` (counts only, nothing about persons). ``synthetic``: the count
    includes demo records."""
    from .models import AgreementStatus, Decision

    year_ago = today - datetime.timedelta(days=365)
    start = timezone.make_aware(datetime.datetime.combine(year_ago, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(today, datetime.time.max))
    held = (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
    current = Q(start_date__isnull=True) | Q(start_date__lte=today)
    current &= Q(end_date__isnull=True) | Q(end_date__gte=today)
    open_items = ActionItem.objects.filter(tenant=tenant, status__in=OPEN_ACTION_STATUSES)
    meetings = Meeting.objects.filter(tenant=tenant, status__in=held, starts_at__range=(start, end))
    decisions = Decision.objects.filter(tenant=tenant, meeting__starts_at__range=(start, end))
    facts = [
        {"key": "gremien", "label": "Gremien", "value": Body.objects.filter(tenant=tenant).count()},
        {"key": "mitgliedschaften", "label": "Mitgliedsorganisationen in Gremien (heute)",
         "value": Membership.objects.filter(tenant=tenant).filter(current).values("organisation").distinct().count()},
        {"key": "sitzungen", "label": "durchgeführte Sitzungen (letzte 12 Monate)",
         "value": meetings.count(), "synthetic": meetings.filter(is_synthetic=True).exists()},
        {"key": "beschluesse", "label": "Beschlüsse (letzte 12 Monate)",
         "value": decisions.count(), "synthetic": decisions.filter(is_synthetic=True).exists()},
        {"key": "aufgaben-offen", "label": "offene Aufgaben", "value": open_items.count(),
         "synthetic": open_items.filter(is_synthetic=True).exists()},
        {"key": "aufgaben-ueberfaellig", "label": "davon überfällig",
         "value": open_items.filter(due_date__lt=today).count()},
        {"key": "vereinbarungen", "label": "Kooperationsvereinbarungen in Kraft",
         "value": CooperationAgreement.objects.filter(tenant=tenant, status=AgreementStatus.ACTIVE).count()},
    ]
    return [{"synthetic": False} | f for f in facts]
