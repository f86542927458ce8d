"""Reads about tenants, users and roles."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEntry, RoleAssignment, Tenant


def user_tenants(user) -> list[Tenant]:
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Tenant.objects.all())
    return list(Tenant.objects.filter(role_assignments__user=user).distinct().order_by("name"))


def user_role_assignments(user, tenant: Tenant | None) -> list[RoleAssignment]:
    """The user's role assignments in one tenant (cached on the user object per request)."""
    if not user.is_authenticated or tenant is None:
        return []
    cache = user.__dict__.setdefault("_role_cache", {})
    if tenant.id not in cache:
        cache[tenant.id] = list(
            RoleAssignment.objects.filter(user=user, tenant=tenant).select_related("organisation")
        )
    return cache[tenant.id]


def user_roles(user, tenant: Tenant | None) -> set[str]:
    return {a.role for a in user_role_assignments(user, tenant)}


def user_organisation_ids(user, tenant: Tenant | None, role: str | None = None) -> set[int]:
    return {
        a.organisation_id
        for a in user_role_assignments(user, tenant)
        if a.organisation_id and (role is None or a.role == role)
    }


def audit_entries_for_tenant(tenant: Tenant, *, model_label: str | None = None, object_id: str | None = None,
                             actor_id: int | None = None) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(tenant=tenant).select_related("actor")
    if model_label:
        qs = qs.filter(model_label=model_label)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    return qs


def audit_filter_choices(tenant: Tenant) -> dict:
    """The people and kinds of data that appear in a tenant's log (for the filter selects)."""
    from .models import User

    actor_ids = AuditEntry.objects.filter(tenant=tenant, actor__isnull=False).values_list("actor", flat=True)
    people = sorted(User.objects.filter(pk__in=actor_ids.distinct()), key=str)
    labels = AuditEntry.objects.filter(tenant=tenant).values_list("model_label", flat=True).distinct()
    return {"people": people, "model_labels": sorted(set(labels))}


def tenant_members(tenant: Tenant) -> list:
    """The accounts with a role in ``tenant``, each with ``tenant_assignments`` (two queries)."""
    from django.db.models import Prefetch

    from .models import User

    return list(
        User.objects.filter(role_assignments__tenant=tenant).distinct().order_by("username").prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.filter(tenant=tenant).select_related(
                "organisation"), to_attr="tenant_assignments"))
    )


def role_organisations(tenant: Tenant) -> QuerySet:
    """Organisations a role can be scoped to: the tenant's own and the shared ones (schools) in its area."""
    from django.db.models import Q

    organisation_model = RoleAssignment._meta.get_field("organisation").related_model
    area = Q(tenant=tenant)
    for tenant_area in tenant.areas.select_related("region"):
        region = tenant_area.region
        codes = list(region.members.values_list("code", flat=True)) or [region.code]
        for code in codes:
            area |= Q(tenant__isnull=True, region__code__startswith=code)
    return organisation_model.objects.filter(area).order_by("name")


def public_tenant_for(request) -> Tenant | None:
    """Whose public pages (start page content, Impressum, Barrierefreiheit …) a request shows:
    the tenant in the address (``/kommune/<slug>/…``), else the one the user works in, else the
    installation's public tenant (``BILDUNGSKETTE_PUBLIC_TENANT``), else the only tenant there is."""
    from django.conf import settings

    slug = (getattr(request, "resolver_match", None) and request.resolver_match.kwargs.get("tenant_slug")) or ""
    if slug:
        return Tenant.objects.filter(slug=slug).first()
    if getattr(request, "tenant", None) is not None:
        return request.tenant
    if getattr(settings, "PUBLIC_TENANT", ""):
        return Tenant.objects.filter(slug=settings.PUBLIC_TENANT).first()
    only = list(Tenant.objects.all()[:2])
    return only[0] if len(only) == 1 else None


def legal_pages_of(tenant: Tenant):
    """The tenant's legal pages; before its administration first saves them, the placeholders."""
    from .models import LegalPages

    return LegalPages.objects.filter(tenant=tenant).first() or LegalPages(tenant=tenant)


def accessibility_feedback_for(tenant: Tenant) -> QuerySet:
    from .models import AccessibilityFeedback

    return AccessibilityFeedback.objects.filter(tenant=tenant).order_by("handled", "-created_at", "-id")
