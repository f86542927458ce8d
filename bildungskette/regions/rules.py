"""Who may do what with regions: everyone reads official regions; tenant staff manage their own."""

import rules

from bildungskette.core.rules import is_tenant_member, is_tenant_staff


@rules.predicate
def is_official(user, region) -> bool:
    return region is None or region.tenant_id is None


# Every member of a tenant reads its own groups and Stadtteile (the start page links to them).
rules.add_perm("regions.view_region", is_official | is_tenant_member)
# obj is the tenant for which Stadtteile are uploaded.
rules.add_perm("regions.upload_stadtteile", is_tenant_staff)
rules.add_perm("regions.change_region", is_tenant_staff & ~is_official)
