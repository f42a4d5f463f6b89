"""Accounts' rules. Sign-in limits: a client over a limit of `accounts.throttle` is refused before
the password is checked, so a flood of guesses costs no password hashing (see `LOGIN_LIMITS` in the
settings). Deleting an account: refused while posts, photos or audit records point to it."""

import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core import signing
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Model, ProtectedError, QuerySet, RestrictedError
from django.db.models.deletion import Collector
from django.http import HttpRequest
from django.utils.translation import ngettext
from django_tenants.routers import TenantSyncRouter

from kimportal.clients import client_network
from kimportal.errors import ActionRefused

from . import throttle
from .models import User

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


# --- deleting an account -------------------------------------------------------------------------


class UserDeletionRefused(ActionRefused):
    """Accounts that posts, photos or audit records point to: they are deactivated, never deleted."""

    def __init__(self, users: Sequence[User]) -> None:
        self.users = list(users)
        accounts = ", ".join(user.email for user in self.users)
        message = ngettext(
            "Akun %(accounts)s tidak dapat dihapus: akun ini masih tercatat sebagai penulis berita, "
            "pengunggah foto, atau dalam riwayat moderasi dan audit, yang harus tetap utuh. "
            "Nonaktifkan akun ini saja: buka akunnya, hapus centang «Aktif», lalu simpan. "
            "Pemiliknya tidak dapat masuk lagi, dan tulisannya tetap ada.",
            "Akun %(accounts)s tidak dapat dihapus: akun-akun ini masih tercatat sebagai penulis "
            "berita, pengunggah foto, atau dalam riwayat moderasi dan audit, yang harus tetap utuh. "
            "Nonaktifkan akun-akun ini saja: buka tiap akun, hapus centang «Aktif», lalu simpan. "
            "Pemiliknya tidak dapat masuk lagi, dan tulisannya tetap ada.",
            len(self.users),
        ) % {"accounts": accounts}
        super().__init__(message)


def _in_community_schemas_only(model: type[Model]) -> bool:
    """Whether the model's table exists only in communities' schemas (a tenant app, not a shared
    one), by django-tenants' own rule (the one migrate_schemas follows)."""
    return not TenantSyncRouter().app_in_list(model._meta.app_label, settings.SHARED_APPS)


class PublicSchemaCollector(Collector):
    """Django's deletion collector without the tables of communities' schemas.

    Posts and photos in every community's schema point to accounts in the public one: the ORM on
    the public schema has no such tables, and must not visit thousands of schemas. Their foreign
    keys (NO ACTION in the database) refuse the deletion instead; see `users_delete`.
    """

    def related_objects(self, related_model: type[Model], related_fields: Any, objs: Any) -> QuerySet:
        if _in_community_schemas_only(related_model):
            return related_model._base_manager.none()
        return super().related_objects(related_model, related_fields, objs)


class _Kept(Exception):
    """Something that must outlive the account points to it."""


def _user_delete(user: User) -> None:
    """Delete one account; raises _Kept, for the caller's savepoint to undo it, when it must stay."""
    if LogEntry.objects.filter(user=user).exists():  # the Django admin's history of their changes
        raise _Kept
    using = router.db_for_write(type(user))
    collector = PublicSchemaCollector(using=using)
    try:
        collector.collect([user])  # PROTECT: submissions, moderation and registration events, notices
    except (ProtectedError, RestrictedError) as error:
        raise _Kept from error
    collector.delete()
    try:
        # The deferred foreign keys checked now, not at commit: those from every community's posts
        # and photos, which the collector above cannot see.
        connections[using].check_constraints()
    except IntegrityError as error:
        raise _Kept from error


def users_delete(*, users: Sequence[User]) -> None:
    """Delete every account given, or none: UserDeletionRefused names those that posts, photos or
    audit records point to (deactivate those instead). Their roles and memberships go with them."""
    kept = []
    with transaction.atomic():
        for user in users:
            try:
                with transaction.atomic():
                    _user_delete(user)
            except _Kept:
                kept.append(user)
        if kept:
            raise UserDeletionRefused(kept)


def users_deletion_refusal(*, users: Sequence[User]) -> UserDeletionRefused | None:
    """What `users_delete` would refuse, found by trying it and rolling it back."""
    # Copies: a deletion clears the primary keys of the instances it deleted.
    copies = User._base_manager.in_bulk([user.pk for user in users])
    try:
        with transaction.atomic():
            users_delete(users=[copies[user.pk] for user in users])
            transaction.set_rollback(True)
    except UserDeletionRefused as refusal:
        return refusal
    return None
