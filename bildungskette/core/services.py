"""Writes for tenants, users and roles."""

from __future__ import annotations

from django.db import transaction

from .models import Role, RoleAssignment, Tenant, User


def tenant_ensure(*, slug: str, name: str, **fields) -> Tenant:
    tenant, _ = Tenant.objects.update_or_create(slug=slug, defaults={"name": name, **fields})
    return tenant


def user_ensure(*, username: str, password: str, display_name: str = "", email: str = "",
                is_superuser: bool = False) -> User:
    """Create or reset an account (used by the demo and by administrators' scripts)."""
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username=username)
        user.display_name = display_name
        user.email = email
        user.is_superuser = is_superuser
        user.is_staff = is_superuser
        user.set_password(password)
        user.save()
    return user


def role_assign(*, user: User, tenant: Tenant, role: str, organisation=None) -> RoleAssignment:
    if role not in Role.values:
        raise ValueError(f"unknown role {role}")
    assignment, _ = RoleAssignment.objects.get_or_create(user=user, tenant=tenant, role=role,
                                                         organisation=organisation)
    return assignment
