from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses a sign-in while this client is over a limit (accounts.services), before the password
    is checked; counts each wrong password."""

    def clean(self):
        email = str(self.data.get("username", ""))
        if self.request is None:  # not from a web request: nothing to count by
            return super().clean()
        wait = services.login_wait_seconds(request=self.request, email=email)
        if wait:
            minutes = -(-wait // 60)
            message = ngettext(
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.",
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.",
                minutes,
            )
            raise ValidationError(message, code="throttled", params={"minutes": minutes})
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
