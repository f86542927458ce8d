"""Secrets, cookies, HTTPS, Content Security Policy. Safe unless told otherwise."""

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .base import DEBUG
from .environment import ENVIRONMENT, env_bool, env_int, env_str

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if ENVIRONMENT == "production":
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY fehlt. In Produktion muss ein geheimer Schlüssel gesetzt sein "
            "(siehe docs/deployment.md); für die lokale Entwicklung `make run` verwenden."
        )
    SECRET_KEY = "insecure-development-key-only-for-local-use"  # noqa: S105

ALLOWED_HOSTS = [h.strip() for h in (env_str("DJANGO_ALLOWED_HOSTS", "") or "").split(",") if h.strip()]
if ENVIRONMENT != "production":
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver", "[::1]"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in (env_str("DJANGO_CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o]

_https = ENVIRONMENT == "production" and not env_bool("DJANGO_INSECURE_HTTP", False)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SECURE_SSL_REDIRECT = _https and env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
# HSTS is off until the operator confirms HTTPS works everywhere (docs/deployment.md).
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Nothing is loaded from anywhere but this server: the product runs in closed networks.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

if DEBUG and ENVIRONMENT == "production":
    raise ImproperlyConfigured("DEBUG darf in Produktion nicht eingeschaltet sein.")
