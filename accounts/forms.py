from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("Email atau kata sandi salah. Periksa lagi lalu coba kembali."),
        "inactive": _("Akun ini tidak aktif."),
    }


class AnyAccountPasswordResetForm(PasswordResetForm):
    """Also for accounts that never had a password (made by an operator or an invitation): here a
    reset link is how they set their first one. Django skips them, meant for external sign-in."""

    def get_users(self, email):
        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
