from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "bildungskette.reports"
    label = "reports"
    verbose_name = _("Bildungsberichte")

    def ready(self) -> None:
        from bildungskette.core.navigation import NavEntry, nav_register

        from . import rules  # noqa: F401  (registers the permissions)
        from .panels import panels_register

        _dependencies_require()
        nav_register(NavEntry("reports", _("Berichte"), "reports:index", order=45))
        panels_register()


def _dependencies_require() -> None:
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    missing = [n for n in ("monitoring", "strategy", "network") if not apps.is_installed(f"bildungskette.{n}")]
    if missing:
        raise ImproperlyConfigured(
            f"Das Modul „reports“ braucht die Module {', '.join(missing)}: BILDUNGSKETTE_MODULES ergänzen "
            "oder „reports“ weglassen."
        )
