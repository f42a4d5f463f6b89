from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import RedirectURLMixin
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse

from kimportal.hosts import is_served_host

from . import services
from .forms import PasswordResetForm


class PortalHostsRedirectMixin(RedirectURLMixin):
    request: HttpRequest
    """Let `next` point at the main domain or an existing community's host, never elsewhere."""

    def get_success_url_allowed_hosts(self) -> set[str]:
        requested = self.request.POST.get("next") or self.request.GET.get("next", "")
        return super().get_success_url_allowed_hosts() | _portal_netloc(requested)


def _portal_netloc(url: str) -> set[str]:
    """{netloc} when `url` names a portal host and nothing else: no user part ("kim.id:80@evil.example"
    is evil.example to a browser), nothing but a port after the host."""
    try:
        parts = urlsplit(url)
        hostname, port = parts.hostname, parts.port
    except ValueError:  # a port that is not a number, an unclosed IPv6 bracket
        return set()
    if not hostname or "@" in parts.netloc or not is_served_host(hostname):
        return set()
    expected = f"{hostname}:{port}" if port is not None else hostname
    return {parts.netloc} if parts.netloc.lower() == expected else set()


def _throttled(form: forms.Form, response: HttpResponse) -> HttpResponse:
    if form.has_error(NON_FIELD_ERRORS, "throttled"):
        response.status_code = 429  # Too Many Requests: the page explains how long to wait
    return response


class LoginView(PortalHostsRedirectMixin, auth_views.LoginView):
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        return _throttled(form, super().form_invalid(form))

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        email = str(form.data.get("username", ""))
        response.set_cookie(
            services.DEVICE_COOKIE,
            services.device_cookie_value(request=self.request, email=email),
            max_age=services.DEVICE_SECONDS,
            domain=settings.SESSION_COOKIE_DOMAIN,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form: PasswordResetForm) -> HttpResponse:
        return _throttled(form, super().form_invalid(form))


class LogoutView(PortalHostsRedirectMixin, auth_views.LogoutView):
    pass
