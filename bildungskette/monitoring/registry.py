"""Everything the app plugs into the foundation at start-up: importers, navigation, panels, API."""

from django.utils.translation import gettext_lazy as _


def monitoring_register() -> None:
    from bildungskette.core.api import api_paths_register
    from bildungskette.core.navigation import NavEntry, nav_register

    from .api import PATHS, SCHEMAS
    from .importers import importers_register
    from .panels import panels_register
    from .sources import sources_register
    from .sources.panels import sources_panels_register

    importers_register()
    sources_register()
    nav_register(NavEntry("monitoring", _("Monitoring"), "monitoring:index", order=10))
    panels_register()
    sources_panels_register()
    api_paths_register(PATHS, SCHEMAS)
