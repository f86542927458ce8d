from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "bildungskette.places"
    label = "places"
    verbose_name = _("Lernortkarte")

    def ready(self) -> None:
        from .registration import places_register

        places_register()
