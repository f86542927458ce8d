from django.conf import settings

from .navigation import nav_entries
from .selectors import user_roles


def platform(request):
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    roles = user_roles(user, tenant) if user is not None and user.is_authenticated else set()
    return {
        "nav_entries": nav_entries(request),
        "current_tenant": tenant,
        "available_tenants": getattr(request, "available_tenants", []),
        "current_roles": roles,
        "environment": settings.ENVIRONMENT,
    }
