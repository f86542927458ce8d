"""Organisation permissions: everyone reads shared and public data; the owning tenant's staff
edit; a partner edits its own organisation. Shared reference records (no tenant, e.g. the official
school lists) hold for every tenant, so only the platform's operator (superuser) changes them – an
account acting for such a school does not."""

import rules

from bildungskette.core.rules import acts_for_organisation, is_coordination, is_tenant_admin, is_tenant_member


@rules.predicate
def is_shared(user, organisation) -> bool:
    return organisation is not None and organisation.tenant_id is None


can_manage = is_tenant_admin | is_coordination

rules.add_perm("organisations.view_organisation", is_shared | is_tenant_member)
# For add_*, the object is the tenant the organisation is created in.
rules.add_perm("organisations.add_organisation", can_manage)
is_operator = rules.is_superuser
rules.add_perm("organisations.change_organisation",
               (is_shared & is_operator) | (~is_shared & (can_manage | acts_for_organisation)))
rules.add_perm("organisations.delete_organisation", can_manage & ~is_shared)
# For people the object is the Person (tenant-owned) or, for add, the tenant.
rules.add_perm("organisations.add_person", can_manage | is_tenant_member)
rules.add_perm("organisations.change_person", can_manage)
rules.add_perm("organisations.view_person", is_tenant_member)
