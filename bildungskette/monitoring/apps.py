from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "bildungskette.monitoring"
    label = "monitoring"
    verbose_name = _("Bildungsmonitoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .registry import monitoring_register

        monitoring_register()
