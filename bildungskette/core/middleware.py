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


class SecondFactorMiddleware:
    """Every login path ends here: a session of a user with a confirmed second factor that was not
    verified with a code (e.g. a password-only login through another view or backend) is ended and
    sent to the one login flow (``core:login`` → ``core:login_token``). Runs after django-otp's
    OTPMiddleware, which sets ``user.is_verified()``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth import logout
        from django.contrib.auth.views import redirect_to_login
        from django.urls import reverse
        from django_otp import user_has_device

        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not user.is_verified()
                and user_has_device(user, confirmed=True)):
            logout(request)
            return redirect_to_login(request.get_full_path(), login_url=reverse("core:login"))
        return self.get_response(request)


class PersonalDataNoStoreMiddleware:
    """``Cache-Control: no-store`` for every response under the URL prefixes that carry person-level
    data (``settings.PERSONAL_DATA_URL_PREFIXES``: the transition area with the company portal, the
    access log and the Art. 15 export, the audit log, the account pages). One rule by URL space,
    so a new view there is covered without remembering a decorator."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "PERSONAL_DATA_URL_PREFIXES", ()))
        self.public = tuple(getattr(settings, "PERSONAL_DATA_PUBLIC_PREFIXES", ()))

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        path = request.path_info
        if path.startswith(self.prefixes) and not path.startswith(self.public):
            add_never_cache_headers(response)
        return response
