"""Reads of the open-data room."""

from __future__ import annotations

from .models import EmbedOrigin


def embed_origins(tenant) -> list[str]:
    return list(EmbedOrigin.objects.filter(tenant=tenant).values_list("origin", flat=True))
