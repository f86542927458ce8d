from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassungConfig(AppConfig):
    name = "bildungskette.passung"
    label = "passung"
    verbose_name = _("Passung & Azubi-Recruiting")

    def ready(self) -> None:
        from bildungskette.core.navigation import NavEntry, nav_register
        from bildungskette.transitions.portal import PortalLink, company_portal_link_register

        from .panels import panels_register

        nav_register(NavEntry("passung", _("Passung"), "passung:index", order=45, visible=_nav_visible))
        panels_register()
        company_portal_link_register(PortalLink(_("Ausbildungsplätze melden"), "passung:company_places"))


def _nav_visible(request) -> bool:
    from .rules import can_see_passung

    return request.user.is_authenticated and can_see_passung(request.user, request.tenant)
