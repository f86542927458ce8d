import importlib.util

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from bildungskette.core.api import openapi_document

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("verwaltung/", admin.site.urls),
    path("gebiete/", include("bildungskette.regions.urls")),
    path("akteure/", include("bildungskette.organisations.urls")),
]

# Domain apps that exist bring their own URLs (see config/settings/base.py OPTIONAL_APPS).
_APP_URLS = {
    "bildungskette.monitoring": "monitoring/",
    "bildungskette.places": "lernorte/",
    "bildungskette.network": "netzwerk/",
    "bildungskette.strategy": "strategie/",
    "bildungskette.transitions": "uebergaenge/",
    "bildungskette.passung": "passung/",
    "bildungskette.reports": "berichte/",
    "bildungskette.opendata": "offene-daten/",
}
for _app, _prefix in _APP_URLS.items():
    if _app in settings.INSTALLED_APPS:
        urlpatterns.append(path(_prefix, include(f"{_app}.urls")))
        # Paths that must sit at the root (e.g. /oparl/v1/, /api/...) live in an app's urls_root.py.
        if importlib.util.find_spec(f"{_app}.urls_root") is not None:
            urlpatterns.append(path("", include(f"{_app}.urls_root")))

urlpatterns.append(path("api/openapi.json", openapi_document, name="openapi"))

urlpatterns.append(path("", include("bildungskette.core.urls")))

handler403 = "bildungskette.core.views.permission_denied"
handler404 = "bildungskette.core.views.not_found"
handler500 = "bildungskette.core.views.server_error"

admin.site.site_header = "Bildungskette – Stammdatenverwaltung"
admin.site.site_title = "Bildungskette"
