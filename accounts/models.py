from typing import ClassVar

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: object) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields: object) -> "User":
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email: str | None) -> "User":
        return self.get(email__iexact=email)


class User(AbstractUser):
    """One account for every host of the portal; people sign in with their email address."""

    username = None  # type: ignore[assignment]  # signed in by email: the field is removed
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)

    first_name = None  # type: ignore[assignment]  # one full_name instead (Indonesian names)
    last_name = None  # type: ignore[assignment]  # as first_name

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]  # by email, not username

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ThrottleEvent(models.Model):
    """One counted attempt (a failed sign-in, a reset email sent, ...) for the rate limits of
    `accounts.throttle`: kept in the database, so limits hold without Redis and across workers."""

    scope = models.CharField(max_length=32)
    account = models.CharField(max_length=254)  # a normalised email address, or another target
    client = models.CharField(max_length=64)  # kimportal.clients.client_network
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "account", "at"], name="throttle_account"),
            models.Index(fields=["scope", "client", "at"], name="throttle_client"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.account} {self.client} {self.at:%Y-%m-%d %H:%M:%S}"
