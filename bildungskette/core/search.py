"""The one search box of the public start page: each app registers what it can find
(``search_provider_register`` in ``AppConfig.ready``), the core runs them and groups the hits by kind.

So the core never imports a domain app, and an app that is switched off adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

MIN_QUERY = 2
MAX_QUERY = 100


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    detail: str = ""


@dataclass
class SearchGroup:
    key: str
    label: str
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    more_url: str = ""  # the full list of this kind for the query
    leading: SearchHit | None = None  # an exact match (a region by its name or key), shown first


@dataclass(frozen=True)
class SearchProvider:
    key: str
    label: str
    # callable(query: str, tenant, limit: int) -> SearchGroup (label and key are filled in)
    find: Callable
    order: int = 50


_providers: dict[str, SearchProvider] = {}


def search_provider_register(provider: SearchProvider) -> None:
    _providers[provider.key] = provider


def search_query_clean(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_QUERY]


def search_run(query: str, *, tenant=None, limit: int = 8) -> list[SearchGroup]:
    """Every registered kind, in order; kinds without hits are left out."""
    if len(query) < MIN_QUERY:
        return []
    groups = []
    for provider in sorted(_providers.values(), key=lambda p: (p.order, p.key)):
        group = provider.find(query, tenant, limit)
        group.key, group.label = provider.key, provider.label
        if group.hits or group.leading:
            groups.append(group)
    return groups
