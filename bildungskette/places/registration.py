"""Everything the app plugs into the platform at start-up: navigation, panels, importers, API,
and (until the settings list it) Leaflet's static files from the django-leaflet package."""

import importlib.util
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _


def leaflet_static_register() -> None:
    """Serve Leaflet from the installed django-leaflet package (no CDN, nothing copied).

    The clean way is "leaflet" in INSTALLED_APPS (requested from the foundation); until then its
    static folder is added to STATICFILES_DIRS, which yields the same URLs (/static/leaflet/…).
    """
    if "leaflet" in settings.INSTALLED_APPS:
        return
    spec = importlib.util.find_spec("leaflet")
    if spec is None or not spec.origin:
        return
    folder = str(Path(spec.origin).parent / "static")
    dirs = settings.STATICFILES_DIRS
    if folder not in [str(d) for d in dirs]:
        settings.STATICFILES_DIRS = [*dirs, folder]


def places_register() -> None:
    from bildungskette.core.api import api_paths_register
    from bildungskette.core.importing import importer_register
    from bildungskette.core.navigation import NavEntry, nav_register

    from .api import OPENAPI_PATHS, OPENAPI_SCHEMAS
    from .importers import PLACE_IMPORTERS
    from .panels import panels_register

    nav_register(NavEntry("places", _("Lernortkarte"), "places:map", order=20))
    for importer in PLACE_IMPORTERS:
        importer_register(importer)
    panels_register()
    api_paths_register(OPENAPI_PATHS, OPENAPI_SCHEMAS)
    leaflet_static_register()
