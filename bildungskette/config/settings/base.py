"""Applications, middleware, templates, i18n, static files."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .environment import ENVIRONMENT, PROJECT_ROOT, env_bool, env_str

BASE_DIR = Path(__file__).resolve().parents[2]  # the bildungskette package
VAR_DIR = Path(env_str("BILDUNGSKETTE_VAR_DIR", str(PROJECT_ROOT / "var")))

# Real reference data shipped with the package (bildungskette/data, see SOURCES.md there);
# BILDUNGSKETTE_DATA_DIR points an installation at its own files instead.
DATA_DIR = Path(env_str("BILDUNGSKETTE_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("DJANGO_DEBUG", ENVIRONMENT == "development")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Our rooms; dependencies point down this list (see docs/architecture.md).
    "bildungskette.core",
    "bildungskette.regions",
    "bildungskette.organisations",
]

# Domain apps built on the foundation register themselves here when present.
OPTIONAL_APPS = [
    "bildungskette.monitoring",
    "bildungskette.places",
    "bildungskette.network",
    "bildungskette.strategy",
    "bildungskette.transitions",
    "bildungskette.passung",
    "bildungskette.reports",
]


def _app_present(dotted: str) -> bool:
    return (BASE_DIR / dotted.rsplit(".", 1)[1] / "apps.py").is_file()


# An installation may switch modules off: BILDUNGSKETTE_MODULES=monitoring,places (default: all present).
_wanted = env_str("BILDUNGSKETTE_MODULES")
_wanted_set = None if _wanted is None else {m.strip() for m in _wanted.split(",") if m.strip()}
INSTALLED_APPS += [
    app for app in OPTIONAL_APPS
    if _app_present(app) and (_wanted_set is None or app.rsplit(".", 1)[1] in _wanted_set)
]


MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "bildungskette.core.middleware.TenantMiddleware",
    "bildungskette.core.middleware.AuditActorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bildungskette.config.urls"
WSGI_APPLICATION = "bildungskette.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "bildungskette.core.context_processors.platform",
            ],
        },
    },
]

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:start"
LOGOUT_REDIRECT_URL = "core:start"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
if "bildungskette.places" in INSTALLED_APPS:
    # Leaflet's JS/CSS come from the django-leaflet package's static folder (no CDN, nothing copied).
    # The package is not added as an app: its form widgets import GeoDjango, which needs GDAL.
    import importlib.util as _importlib_util

    _leaflet = _importlib_util.find_spec("leaflet")
    if _leaflet is not None and _leaflet.origin:
        STATICFILES_DIRS.append(Path(_leaflet.origin).parent / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if ENVIRONMENT == "production"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login rate limiting (django-axes): lock an account/IP pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/login_locked.html"
AXES_ENABLED = env_bool("BILDUNGSKETTE_AXES", True)

OTP_TOTP_ISSUER = "Bildungskette"

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "bildungskette@localhost")

# Map tiles: none by default (closed network); an installation with internet access may set one.
MAP_TILE_URL = env_str("BILDUNGSKETTE_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("BILDUNGSKETTE_MAP_TILE_ATTRIBUTION", "")
FORMS_URLFIELD_ASSUME_HTTPS = True

# The public address of this installation, for links in e-mails sent by background tasks.
SITE_URL = env_str("BILDUNGSKETTE_SITE_URL", "http://127.0.0.1:8000")
# Websites allowed to embed the Lernortkarte widget in an iframe (comma-separated origins).
PLACES_WIDGET_ORIGINS = [o.strip() for o in (env_str("BILDUNGSKETTE_WIDGET_ORIGINS", "") or "").split(",") if o.strip()]
