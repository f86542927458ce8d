"""Passung permissions: the tenant's staff (administration, coordination – e.g. the Azubi-Manager –,
monitoring) read; coordination and administration save groups and run Messe allocations."""

from __future__ import annotations

import rules

from bildungskette.core.rules import is_coordination, is_tenant_admin, is_tenant_staff

can_see_passung = is_tenant_staff
can_steer_passung = is_coordination | is_tenant_admin

rules.add_perm("passung.view", can_see_passung)
rules.add_perm("passung.change", can_steer_passung)
