"""Permissions of the monitoring app (django-rules, tenant-aware)."""

import rules

from bildungskette.core.rules import is_monitoring, is_tenant_admin


@rules.predicate
def is_own_indicator(user, indicator) -> bool:
    return indicator is not None and getattr(indicator, "tenant_id", None) is not None


@rules.predicate
def is_superuser(user, obj=None) -> bool:
    return user.is_authenticated and user.is_superuser


# Objects passed: the tenant (add/import) or the indicator (change). Built-in indicators (no tenant)
# are shared by every tenant; only the system administration changes them.
rules.add_perm("monitoring.add_indicator", is_monitoring | is_tenant_admin)
rules.add_perm("monitoring.change_indicator", (is_own_indicator & (is_monitoring | is_tenant_admin)) | is_superuser)
rules.add_perm("monitoring.import_values", is_monitoring | is_tenant_admin)
