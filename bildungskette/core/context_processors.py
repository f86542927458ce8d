from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import nav_entries
from .selectors import public_tenant_for, user_roles


class _LegalTenant:
    """Wraps the optional tenant so a lazy object can stand for "none"."""

    def __init__(self, tenant):
        self.tenant = tenant



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
        # Whose Impressum etc. the footer links to; looked up only when the footer is rendered.
        "legal_tenant": SimpleLazyObject(lambda: _LegalTenant(public_tenant_for(request))),
        "page_translated": getattr(request, "page_translated", False),
        "language_chosen": getattr(request, "language_chosen", "de"),
    }
