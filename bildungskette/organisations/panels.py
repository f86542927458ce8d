from django.utils.translation import gettext_lazy as _

from bildungskette.core.models import Role
from bildungskette.core.navigation import StartPanel, start_panel_register
from bildungskette.core.selectors import user_role_assignments


def _own_organisations(request):
    return {
        "assignments": [a for a in user_role_assignments(request.user, request.tenant) if a.organisation_id],
    }


def panels_register() -> None:
    start_panel_register(StartPanel(
        "own-organisation", _("Ihre Organisation"), "organisations/panels/own.html",
        roles=frozenset({Role.PARTNER, Role.TRANSITION_MANAGER}), order=30, context=_own_organisations,
    ))
