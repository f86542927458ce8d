"""Start-page panels: what a provider has to confirm, what coordination has to review."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bildungskette.core.models import Role
from bildungskette.core.navigation import StartPanel, start_panel_register

from .selectors import provider_entries, review_queue_count


def _provider_context(request) -> dict:
    entries = provider_entries(request.user, request.tenant)
    stale = Q(last_verified__lt=entries["due"]) | Q(last_verified__isnull=True)
    return {
        "places": entries["places"].count(),
        "offers": entries["offers"].count(),
        "due": entries["places"].filter(stale).count() + entries["offers"].filter(stale).count(),
    }


def _review_context(request) -> dict:
    return {"open": review_queue_count(request.tenant) if request.tenant else 0}


def panels_register() -> None:
    start_panel_register(StartPanel(
        "places-nearby", _("Lernorte in meiner Nähe"), "places/panels/nearby.html",
        roles=frozenset({"public"}), order=12,
    ))
    start_panel_register(StartPanel(
        "places-provider", _("Ihre Lernorte und Angebote"), "places/panels/provider.html",
        roles=frozenset({Role.PARTNER, Role.TRANSITION_MANAGER}), order=35, context=_provider_context,
    ))
    start_panel_register(StartPanel(
        "places-review", _("Lernortkarte"), "places/panels/review.html",
        roles=frozenset({Role.COORDINATION, Role.TENANT_ADMIN}), order=45, context=_review_context,
    ))
