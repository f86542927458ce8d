"""Request-scoped context: the active tenant and the actor for the audit log."""

from .audit import audit_actor
from .selectors import user_tenants

SESSION_TENANT_KEY = "bildungskette_tenant_id"


class TenantMiddleware:
    """Sets ``request.tenant``: the tenant the user works in now (chosen in the session).

    Anonymous visitors have no tenant; public pages show shared and public data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        request.available_tenants = []
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            tenants = user_tenants(user)
            request.available_tenants = tenants
            chosen = request.session.get(SESSION_TENANT_KEY)
            by_id = {t.id: t for t in tenants}
            request.tenant = by_id.get(chosen) or (tenants[0] if tenants else None)
        return self.get_response(request)


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        with audit_actor(user if signed_in else None, str(user) if signed_in else "anonym"):
            return self.get_response(request)
