from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "bildungskette.organisations"
    label = "organisations"
    verbose_name = _("Akteure")

    def ready(self) -> None:
        from bildungskette.core.importing import importer_register
        from bildungskette.core.navigation import NavEntry, nav_register

        from .importers import HESSEN_SCHOOLS_IMPORTER, NRW_SCHOOLS_IMPORTER
        from .panels import panels_register

        nav_register(NavEntry("organisations", _("Akteure"), "organisations:index", order=70))
        importer_register(NRW_SCHOOLS_IMPORTER)
        importer_register(HESSEN_SCHOOLS_IMPORTER)
        panels_register()
