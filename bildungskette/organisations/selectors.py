"""Reads about organisations and people, always through the tenant's eyes."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bildungskette.regions.selectors import tenant_regions

from .models import Organisation, Person


def organisations_visible_to(tenant) -> QuerySet[Organisation]:
    """Shared reference organisations plus the tenant's own."""
    if tenant is None:
        return Organisation.objects.filter(tenant__isnull=True, is_active=True)
    return Organisation.objects.filter(Q(tenant__isnull=True) | Q(tenant=tenant))


def organisation_list(*, tenant, query: str = "", type: str = "", region_code: str = "",
                      in_tenant_area: bool = False) -> QuerySet[Organisation]:
    qs = organisations_visible_to(tenant).select_related("region")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(city__icontains=query))
    if type:
        qs = qs.filter(type=type)
    if region_code:
        qs = qs.filter(region__code__startswith=region_code)
    if in_tenant_area and tenant is not None:
        area = Q(tenant=tenant)
        for region in tenant_regions(tenant):
            codes = list(region.members.values_list("code", flat=True)) or [region.code]
            for code in codes:
                area |= Q(region__code__startswith=code)
        qs = qs.filter(area)
    return qs.order_by("name")


def people_visible_to(tenant, organisation: Organisation) -> QuerySet[Person]:
    """A tenant sees its own contact persons; others only those who consented to be listed."""
    qs = Person.objects.filter(organisation=organisation)
    if tenant is None:
        return qs.filter(consent_to_list=True)
    return qs.filter(Q(tenant=tenant) | Q(consent_to_list=True))
