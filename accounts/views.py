from urllib.parse import urlsplit

from django.contrib.auth import views as auth_views

from communities.hosts import is_portal_host


class PortalHostsRedirectMixin:
    """Let `next` point at any host of the portal (a community's subdomain), never elsewhere."""

    def get_success_url_allowed_hosts(self) -> set[str]:
        requested = self.request.POST.get("next") or self.request.GET.get("next", "")
        netloc = urlsplit(requested).netloc
        portal_host = {netloc} if netloc and is_portal_host(netloc) else set()
        return super().get_success_url_allowed_hosts() | portal_host


class LoginView(PortalHostsRedirectMixin, auth_views.LoginView):
    redirect_authenticated_user = True


class LogoutView(PortalHostsRedirectMixin, auth_views.LogoutView):
    pass
