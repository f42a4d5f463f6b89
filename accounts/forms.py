import time

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kimportal.forms import VisibleTextMixin

from . import services
from .models import User


class ThrottledAuthenticationForm(VisibleTextMixin, AuthenticationForm):
    """Refuses a sign-in while this client is over a limit (accounts.services), before the password
    is checked; counts each wrong password."""

    def clean(self):
        email = str(self.data.get("username", ""))
        if self.request is None:  # not from a web request: nothing to count by
            return super().clean()
        wait = services.login_wait_seconds(request=self.request, email=email)
        if wait:
            message = ngettext(
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.",
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.",
                -(-wait // 60),
            )
            raise _too_many(message, wait)
        try:
            cleaned = super().clean()
        except ValidationError:
            if self.user_cache is None:  # a wrong password, not an inactive account
                services.login_failed(request=self.request, email=email)
            raise
        if self.user_cache is not None:
            services.login_succeeded(request=self.request, email=email)
        return cleaned


class LoginForm(ThrottledAuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("Email atau kata sandi salah. Periksa lagi lalu coba kembali."),
        "inactive": _("Akun ini tidak aktif."),
    }


class AdminLoginForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's sign-in, under the same limits."""


def _too_many(message: str, wait: int) -> ValidationError:
    minutes = -(-wait // 60)
    return ValidationError(message, code="throttled", params={"minutes": minutes})


class PasswordResetForm(VisibleTextMixin, auth_forms.PasswordResetForm):
    """Django's reset form, limited per address and client, and as slow for an unknown address as
    for a known one: both build the mail (token and templates) and the answer is padded to
    PASSWORD_RESET_SECONDS, which covers handing the mail to a slow SMTP server."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.stand_in = False

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email") if cleaned else None
        if email and self.request is not None:
            wait = services.password_reset_wait_seconds(request=self.request, email=email)
            if wait:
                message = ngettext(
                    "Terlalu banyak permintaan atur ulang kata sandi. Coba lagi dalam %(minutes)d menit.",
                    "Terlalu banyak permintaan atur ulang kata sandi. Coba lagi dalam %(minutes)d menit.",
                    -(-wait // 60),
                )
                raise _too_many(message, wait)
        return cleaned

    def save(self, **kwargs) -> None:  # type: ignore[override]  # Django's view passes keywords only
        started = time.monotonic()
        request = kwargs.get("request")
        if request is not None:
            services.password_reset_requested(request=request, email=self.cleaned_data["email"])
        super().save(**kwargs)
        services.pad_to(started, settings.PASSWORD_RESET_SECONDS)

    def get_users(self, email):
        # Also accounts that never had a password (made by an operator or an invitation): a reset
        # link is how they set their first one. Django skips them, meant for external sign-in.
        users = list(get_user_model()._default_manager.filter(email__iexact=email, is_active=True))
        self.stand_in = not users
        # No account: the same work for someone who is not there (a user never saved, pk 0).
        return users or [User(pk=0, email=email, password=make_password(None))]

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        if not self.stand_in:
            return super().send_mail(
                subject_template_name, email_template_name, context, from_email, to_email, **kwargs
            )
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).message()  # built, never sent
        return None
