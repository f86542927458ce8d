"""Writes of the open-data room: the tenant's allowed embed origins."""

from __future__ import annotations

from .models import EmbedOrigin, origin_normalise


def embed_origin_add(*, tenant, origin: str) -> EmbedOrigin:
    """Allow one website (scheme, host, port) to embed the tenant's charts; idempotent."""
    found, _created = EmbedOrigin.objects.get_or_create(tenant=tenant, origin=origin_normalise(origin))
    return found


def embed_origin_remove(*, tenant, pk: int) -> None:
    EmbedOrigin.objects.filter(tenant=tenant, pk=pk).delete()
