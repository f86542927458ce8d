from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "bildungskette.regions"
    label = "regions"
    verbose_name = _("Gebiete")

    def ready(self) -> None:
        from bildungskette.core.importing import importer_register
        from bildungskette.core.navigation import NavEntry, nav_register

        from .importers import REGION_IMPORTER
        from .panels import panels_register

        nav_register(NavEntry("regions", _("Gebiete"), "regions:index", order=80))
        importer_register(REGION_IMPORTER)
        panels_register()
        from bildungskette.core.search import SearchProvider, search_provider_register

        from .selectors import regions_search

        search_provider_register(SearchProvider("regions", _("Gebiete"), regions_search, order=10))
