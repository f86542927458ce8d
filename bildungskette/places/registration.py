"""Everything the app plugs into the platform at start-up: navigation, panels, importers, API."""

from django.utils.translation import gettext_lazy as _


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
    from bildungskette.core.search import SearchProvider, search_provider_register

    from .selectors import offers_search, places_search

    search_provider_register(SearchProvider("places", _("Lernorte"), places_search, order=20))
    search_provider_register(SearchProvider("offers", _("Angebote"), offers_search, order=30))
    api_paths_register(OPENAPI_PATHS, OPENAPI_SCHEMAS)
