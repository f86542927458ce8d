"""Applications, middleware, templates, i18n, static files."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .environment import ENVIRONMENT, PROJECT_ROOT, env_bool, env_int, env_str

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
    "bildungskette.opendata",
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
    "bildungskette.core.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bildungskette.core.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "bildungskette.core.middleware.TenantMiddleware",
    "bildungskette.core.middleware.AuditActorMiddleware",
    "bildungskette.core.middleware.PersonalDataNoStoreMiddleware",
    "bildungskette.core.dbrouting.ReplicaReadMiddleware",
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
# Upper size of an uploaded file per kind, in bytes (core/uploads.py). Lernort files above
# PLACES_IMPORT_INLINE_LIMIT are imported by a background task instead of inside the request.
UPLOAD_LIMITS = {
    "stadtteile": 10 * 1024 * 1024,
    "lernorte": 20 * 1024 * 1024,
    "klassenliste": 2 * 1024 * 1024,
    "dokument": 20 * 1024 * 1024,
    "monitoring": 100 * 1024 * 1024,
}
PLACES_IMPORT_INLINE_LIMIT = 2 * 1024 * 1024
# Monitoring files above this size get their preview from a background task, not in the request.
MONITORING_IMPORT_INLINE_LIMIT = 5 * 1024 * 1024
# Art. 17 erasure ledger (salted hashes of erased records), re-applied after a database restore by
# `bildungskette erasure-reapply`. It must live OUTSIDE the database and outside its backups
# (see docs/deployment.md), otherwise a restore would roll the ledger back together with the data.
ERASURE_LEDGER_PATH = Path(env_str("BILDUNGSKETTE_ERASURE_LEDGER", str(VAR_DIR / "erasure-ledger" / "ledger.txt")))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login throttling (core/auth/throttle.py): progressive delay per client address and per user name,
# nobody is locked out. Behind a reverse proxy, set how many proxies append to X-Forwarded-For.
TRUSTED_PROXY_HOPS = env_int("BILDUNGSKETTE_TRUSTED_PROXY_HOPS", 0)
# Pages with person-level data are sent with Cache-Control: no-store (core/middleware.py).
PERSONAL_DATA_URL_PREFIXES = ["/uebergaenge/", "/protokoll/", "/api/transitions/", "/konto/",
                              "/mandant/rueckmeldungen/"]
PERSONAL_DATA_PUBLIC_PREFIXES = ["/uebergaenge/veranstaltungen.ics"]
PASSWORD_RESET_TIMEOUT = 60 * 60  # seconds: a reset link lives one hour

OTP_TOTP_ISSUER = "Bildungskette"

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "bildungskette@localhost")

# Map tiles: none by default (closed network); an installation with internet access may set one.
MAP_TILE_URL = env_str("BILDUNGSKETTE_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("BILDUNGSKETTE_MAP_TILE_ATTRIBUTION", "")
FORMS_URLFIELD_ASSUME_HTTPS = True

# The public address of this installation, for links in e-mails sent by background tasks.
SITE_URL = env_str("BILDUNGSKETTE_SITE_URL", "http://127.0.0.1:8000")
# The tenant whose start-page content and legal pages anonymous visitors see outside /kommune/<slug>/
# (its slug); empty: the only tenant if there is one, else the list of Kommunen.
PUBLIC_TENANT = env_str("BILDUNGSKETTE_PUBLIC_TENANT", "") or ""
# Websites allowed to embed the Lernortkarte widget in an iframe (comma-separated origins).
PLACES_WIDGET_ORIGINS = [o.strip() for o in (env_str("BILDUNGSKETTE_WIDGET_ORIGINS", "") or "").split(",") if o.strip()]
# Host name in iCalendar UIDs (meeting-7@<host>); empty: the host of the request.
BILDUNGSKETTE_HOST = env_str("BILDUNGSKETTE_HOST", "") or ""
