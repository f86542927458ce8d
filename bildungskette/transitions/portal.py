"""What other modules add to the company portal (links shown to a company signed in by e-mail link).

A module registers its pages in ``AppConfig.ready`` so transitions never imports it (e.g. passung:
"Ausbildungsplätze melden")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PortalLink:
    label: str
    url_name: str


_LINKS: list[PortalLink] = []


def company_portal_link_register(link: PortalLink) -> None:
    if link not in _LINKS:
        _LINKS.append(link)


def company_portal_links() -> list[PortalLink]:
    return list(_LINKS)
