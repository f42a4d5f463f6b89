"""Sign-in limits: a client over a limit of `accounts.throttle` is refused before the password is
checked, so a flood of guesses costs no password hashing (see `LOGIN_LIMITS` in the settings)."""

import time

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

from kimportal.clients import client_network

from . import throttle

LOGIN = "login"


def _login_key(request: HttpRequest, email: str) -> dict[str, str]:
    return {"account": email.strip().lower()[:254], "client": client_network(request)}


def _login_limits() -> tuple[throttle.Limit, ...]:
    return throttle.limits_from(settings.LOGIN_LIMITS)


# A browser that signed in to an account before carries this signed cookie: the per-account limit,
# the only one that many addresses together can use against the owner, does not apply to it.
DEVICE_COOKIE = "kim_device"
DEVICE_SALT = "accounts.known-device"


def login_wait_seconds(*, request: HttpRequest, email: str) -> int:
    """0 when this client may try this account now; else the seconds until it may."""
    limits = _login_limits()
    if is_known_device(request=request, email=email):
        limits = tuple(limit for limit in limits if limit.per != "account")
    return throttle.wait_seconds(LOGIN, limits=limits, **_login_key(request, email))


def is_known_device(*, request: HttpRequest, email: str) -> bool:
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    try:
        known = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_SECONDS)
    except signing.BadSignature:
        return False
    return isinstance(known, list) and _login_key(request, email)["account"] in known


def device_cookie_value(*, request: HttpRequest, email: str) -> str:
    """The cookie's new value after `email` signed in here: the accounts it knows, this one last."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    try:
        known = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_SECONDS)
    except signing.BadSignature:
        known = []
    account = _login_key(request, email)["account"]
    accounts = [a for a in known if isinstance(a, str) and a != account][-4:] + [account]
    return signing.dumps(accounts, salt=DEVICE_SALT)


DEVICE_SECONDS = 365 * 24 * 3600


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
