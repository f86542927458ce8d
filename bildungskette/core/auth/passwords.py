"""Links that let a user set a password: the reset e-mail, and (for user management) invitations.

Both use Django's ``default_token_generator``: the token depends on the password hash and the last
login, so it is void once used, and expires after ``PASSWORD_RESET_TIMEOUT``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def password_set_path(user) -> str:
    """The path of the page where this user sets a new password (valid for one use)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("core:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


def password_set_url(user, *, base_url: str | None = None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + password_set_path(user)
