from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "bildungskette.network"
    label = "network"
    verbose_name = _("Netzwerk & Gremien")

    def ready(self) -> None:
        from .panels import panels_register

        panels_register()
