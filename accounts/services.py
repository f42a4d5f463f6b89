"""Sign-in limits: a client over a limit of `accounts.throttle` is refused before the password is
checked, so a flood of guesses costs no password hashing (see `LOGIN_LIMITS` in the settings)."""

import time

from django.conf import settings
from django.http import HttpRequest

from kimportal.clients import client_network

from . import throttle

LOGIN = "login"


def _login_key(request: HttpRequest, email: str) -> dict[str, str]:
    return {"account": email.strip().lower()[:254], "client": client_network(request)}


def _login_limits() -> tuple[throttle.Limit, ...]:
    return throttle.limits_from(settings.LOGIN_LIMITS)


def login_wait_seconds(*, request: HttpRequest, email: str) -> int:
    """0 when this client may try this account now; else the seconds until it may."""
    return throttle.wait_seconds(LOGIN, limits=_login_limits(), **_login_key(request, email))


def login_failed(*, request: HttpRequest, email: str) -> None:
    keep = max(limit.seconds for limit in _login_limits())
    throttle.record(LOGIN, keep_seconds=keep, **_login_key(request, email))


def login_succeeded(*, request: HttpRequest, email: str) -> None:
    throttle.forget(LOGIN, **_login_key(request, email))


PASSWORD_RESET = "password_reset"


def _reset_key(request: HttpRequest, email: str) -> dict[str, str]:
    return _login_key(request, email)


def password_reset_wait_seconds(*, request: HttpRequest, email: str) -> int:
    """0 when a reset mail may be asked for this address from this client now (known address or
    not: the answer must not tell them apart)."""
    limits = throttle.limits_from(settings.PASSWORD_RESET_LIMITS)
    return throttle.wait_seconds(PASSWORD_RESET, limits=limits, **_reset_key(request, email))


def password_reset_requested(*, request: HttpRequest, email: str) -> None:
    keep = max(seconds for _count, seconds, _per in settings.PASSWORD_RESET_LIMITS)
    throttle.record(PASSWORD_RESET, keep_seconds=keep, **_reset_key(request, email))


def pad_to(started: float, seconds: float) -> None:
    """Sleep until `seconds` have passed since `started` (time.monotonic()), so an answer takes as
    long whichever branch it took, as long as no branch takes longer."""
    time.sleep(max(0.0, started + seconds - time.monotonic()))
