"""Attempt counting for login delays and request rate limits.

Login: failures are counted per client IP (across all user names, so a password spray from one
address slows down) and per user name (across all addresses). After a few free failures each
further failure doubles the time the next attempt has to wait, up to a cap. Nobody is locked out:
a real user waits at most ``USER_DELAY_CAP`` seconds. The wait is enforced by refusing early
attempts without checking the password, so no worker sleeps.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from ..models import AuthThrottleEvent

LOGIN_WINDOW = datetime.timedelta(hours=1)
LOGIN_FREE_FAILURES = 3  # per user name and per IP, before any delay
USER_DELAY_CAP = 30  # seconds: a real user is slowed, never locked out
IP_DELAY_CAP = 300  # seconds: one address trying many accounts


def _key(value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, value.strip().lower().encode(), hashlib.sha256).hexdigest()


def client_ip(request) -> str:
    """The client address; behind a proxy the operator sets BILDUNGSKETTE_TRUSTED_PROXY_HOPS."""
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def attempt_record(*, kind: str, value: str, at: datetime.datetime | None = None) -> None:
    attempts_prune()  # the table holds at most a day of attempts
    AuthThrottleEvent.objects.create(kind=kind, key=_key(value), at=at or timezone.now())


def attempts_since(*, kind: str, value: str, window: datetime.timedelta) -> list[datetime.datetime]:
    since = timezone.now() - window
    return list(AuthThrottleEvent.objects.filter(kind=kind, key=_key(value), at__gte=since)
                .order_by("at").values_list("at", flat=True))


def attempts_clear(*, kind: str, value: str) -> None:
    AuthThrottleEvent.objects.filter(kind=kind, key=_key(value)).delete()


def attempts_prune(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    return AuthThrottleEvent.objects.filter(at__lt=timezone.now() - older_than).delete()[0]


def _delay(failures: int, cap: int) -> int:
    """Seconds the next attempt waits after ``failures`` failures: 0, …, then 1, 2, 4, 8 … up to ``cap``."""
    extra = failures - LOGIN_FREE_FAILURES
    if extra <= 0:
        return 0
    return min(2 ** (extra - 1), cap)


@dataclass(frozen=True)
class LoginWait:
    seconds: int

    def __bool__(self) -> bool:
        return self.seconds > 0


def login_wait(*, username: str, ip: str) -> LoginWait:
    """How long this attempt must still wait (0 = go ahead)."""
    now = timezone.now()
    wait = 0
    for kind, value, cap in (("login_ip", ip, IP_DELAY_CAP), ("login_user", username, USER_DELAY_CAP)):
        failures = attempts_since(kind=kind, value=value, window=LOGIN_WINDOW)
        delay = _delay(len(failures), cap)
        if delay and failures:
            remaining = (failures[-1] + datetime.timedelta(seconds=delay) - now).total_seconds()
            wait = max(wait, int(remaining + 0.999))
    return LoginWait(max(wait, 0))


def login_failure_record(*, username: str, ip: str) -> None:
    attempt_record(kind="login_ip", value=ip)
    attempt_record(kind="login_user", value=username)


def login_success_record(*, username: str, ip: str) -> None:
    """A correct password clears the user name's count (not the address's: a sprayer who guesses one
    account keeps its delay for the others)."""
    attempts_clear(kind="login_user", value=username)


def rate_limited(*, kind: str, value: str, limit: int, window: datetime.timedelta) -> bool:
    """True if ``limit`` attempts of this kind and value already happened in ``window``; otherwise the
    attempt is counted and False returned."""
    if len(attempts_since(kind=kind, value=value, window=window)) >= limit:
        return True
    attempt_record(kind=kind, value=value)
    return False
