"""Single-use, short-lived tokens for links sent by e-mail.

The token itself is only in the e-mail; the database keeps its SHA-256. ``token_consume`` marks it
used in one conditional UPDATE, so two tabs (or a replay from a proxy log) cannot both use it.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.utils import timezone

from ..models import OneTimeToken


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(*, purpose: str, subject: str, lifetime: datetime.timedelta) -> str:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    OneTimeToken.objects.create(purpose=purpose, subject=subject, token_hash=_hash(token), created_at=now,
                                expires_at=now + lifetime)
    OneTimeToken.objects.filter(expires_at__lt=now - datetime.timedelta(days=1)).delete()
    return token


def _valid(purpose: str, token: str):
    if not token or len(token) > 200:
        return OneTimeToken.objects.none()
    return OneTimeToken.objects.filter(purpose=purpose, token_hash=_hash(token), used_at__isnull=True,
                                       expires_at__gt=timezone.now())


def token_peek(*, purpose: str, token: str) -> str | None:
    """The subject of a valid, unused token, without using it up (for the landing page)."""
    return _valid(purpose, token).values_list("subject", flat=True).first()


def token_consume(*, purpose: str, token: str) -> str | None:
    """Use the token up; returns its subject, or None if it was unknown, expired or already used."""
    row = _valid(purpose, token).values("pk", "subject").first()
    if row is None:
        return None
    used = OneTimeToken.objects.filter(pk=row["pk"], used_at__isnull=True).update(used_at=timezone.now())
    return row["subject"] if used == 1 else None


def tokens_revoke(*, purpose: str, subject: str) -> int:
    return OneTimeToken.objects.filter(purpose=purpose, subject=subject, used_at__isnull=True).update(
        used_at=timezone.now())
