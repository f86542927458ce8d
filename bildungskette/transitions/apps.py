from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitionsConfig(AppConfig):
    name = "bildungskette.transitions"
    label = "transitions"
    verbose_name = _("Übergänge")

    def ready(self) -> None:
        from bildungskette.core.api import api_paths_register
        from bildungskette.core.importing import importer_register
        from bildungskette.core.navigation import NavEntry, nav_register

        from . import api
        from .importers import CLASS_LIST_IMPORTER, KAOA_IMPORTER
        from .panels import panels_register

        nav_register(NavEntry("transitions", _("Übergänge"), "transitions:index", order=50,
                              visible=_has_role))
        importer_register(KAOA_IMPORTER)
        importer_register(CLASS_LIST_IMPORTER)
        api_paths_register(api.OPENAPI_PATHS, api.OPENAPI_SCHEMAS)
        panels_register()
        from bildungskette.core.search import SearchProvider, search_provider_register

        from .selectors import events_search

        search_provider_register(SearchProvider("events", _("Veranstaltungen"), events_search, order=40))


def _has_role(request) -> bool:
    from bildungskette.core.selectors import user_roles

    return bool(request.user.is_authenticated and request.tenant is not None
                and user_roles(request.user, request.tenant))
