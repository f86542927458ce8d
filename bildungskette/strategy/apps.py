from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "bildungskette.strategy"
    label = "strategy"
    verbose_name = _("Strategie & Zielsteuerung")

    def ready(self) -> None:
        from bildungskette.core.api import api_paths_register
        from bildungskette.core.navigation import NavEntry, nav_register

        from .api import API_PATHS, API_SCHEMAS
        from .panels import panels_register

        _dependencies_require()
        nav_register(NavEntry("strategy", _("Strategie"), "strategy:index", order=40, visible=_nav_visible))
        panels_register()
        api_paths_register(API_PATHS, API_SCHEMAS)


def _nav_visible(request) -> bool:
    from .rules import can_see_strategy

    return request.user.is_authenticated and can_see_strategy(request.user, request.tenant)



def _dependencies_require() -> None:
    """Goals link to bodies (network) and indicators (monitoring); say so clearly instead of failing later."""
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    missing = [name for name in ("monitoring", "network") if not apps.is_installed(f"bildungskette.{name}")]
    if missing:
        raise ImproperlyConfigured(
            f"Das Modul „strategy“ braucht die Module {', '.join(missing)}: BILDUNGSKETTE_MODULES um "
            f"{', '.join(missing)} ergänzen oder „strategy“ weglassen."
        )
