"""Invitation links: a new account sets its own password through a one-time link.

The token is Django's password-reset token (``default_token_generator``): it is bound to the
account's password hash and last login, so it stops working once the password is set, and it
expires after ``PASSWORD_RESET_TIMEOUT``. Password reset can use the same two functions.
"""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from .models import User


def invitation_path(user: User) -> str:
    """The site-relative link with which ``user`` sets a password (valid until used or expired)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("core:invitation_accept", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


def invitation_user(uidb64: str, token: str) -> User | None:
    """The account a link belongs to, or None if the link is wrong, used or expired."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.filter(pk=int(pk), is_active=True).first()
    except (TypeError, ValueError, OverflowError):
        return None
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user
