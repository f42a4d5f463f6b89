"""Sign-in limits: a client over a limit of `accounts.throttle` is refused before the password is
checked, so a flood of guesses costs no password hashing (see `LOGIN_LIMITS` in the settings)."""

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
