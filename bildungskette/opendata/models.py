"""Allowed origins for embedded charts, tables and maps: the tenant decides which websites may
show its embeds in an iframe (sent as CSP ``frame-ancestors`` with each embed response)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bildungskette.core.audit import audited


def origin_normalise(value: str) -> str:
    """``https://www.kassel.de/seite`` → ``https://www.kassel.de``; raises ValidationError if no origin."""
    parts = urlsplit((value or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Bitte eine Adresse wie https://www.beispiel.de angeben."))
    if parts.username or parts.password:
        raise ValidationError(_("Die Adresse darf keine Zugangsdaten enthalten."))
    host = parts.hostname.lower()
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


@audited
class EmbedOrigin(models.Model):
    tenant = models.ForeignKey("core.Tenant", verbose_name=_("Mandant"), on_delete=models.CASCADE,
                               related_name="embed_origins")
    origin = models.CharField(_("Website (Origin)"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("erlaubte Website für Einbettungen")
        verbose_name_plural = _("erlaubte Websites für Einbettungen")
        ordering = ["origin"]
        constraints = [models.UniqueConstraint(fields=["tenant", "origin"], name="opendata_unique_embed_origin")]

    def __str__(self) -> str:
        return self.origin
