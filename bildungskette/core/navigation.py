"""The main navigation and the start-page panels. Each app registers its own in ``AppConfig.ready``.

So the foundation never links to an area that is not built, and an app brings its own entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    url_name: str
    order: int = 50
    # Who sees the entry: a callable(request) -> bool; None = everyone, also the public.
    visible: Callable | None = None

    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class StartPanel:
    """A box on the start page: what a person in one of ``roles`` has to do or know."""

    key: str
    title: str
    template: str
    roles: frozenset[str] = field(default_factory=frozenset)
    order: int = 50
    context: Callable | None = None  # callable(request) -> dict


_nav: dict[str, NavEntry] = {}
_panels: dict[str, StartPanel] = {}


def nav_register(entry: NavEntry) -> None:
    _nav[entry.key] = entry


def start_panel_register(panel: StartPanel) -> None:
    _panels[panel.key] = panel


def _module_off(entry: NavEntry, request) -> bool:
    """A tenant that chose its modules does not see the others' entries (keys are app labels)."""
    from django.conf import settings

    tenant = getattr(request, "tenant", None)
    modules = getattr(tenant, "modules", None) or []
    optional = {app.rsplit(".", 1)[1] for app in settings.OPTIONAL_APPS}
    return bool(modules) and entry.key in optional and entry.key not in modules


def nav_entries(request) -> list[NavEntry]:
    return sorted(
        (e for e in _nav.values() if (e.visible is None or e.visible(request)) and not _module_off(e, request)),
        key=lambda e: (e.order, e.label),
    )


def start_panels(roles: set[str]) -> list[StartPanel]:
    return sorted((p for p in _panels.values() if not p.roles or p.roles & roles), key=lambda p: p.order)
