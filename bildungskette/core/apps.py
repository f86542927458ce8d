from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bildungskette.core"
    label = "core"
    verbose_name = _("Plattform")

    def ready(self) -> None:
        from . import audit  # noqa: F401  (connects the audit signal handlers)
        from .panels import panels_register

        panels_register()
