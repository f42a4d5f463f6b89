from django.conf import settings
from django.http import HttpRequest

from .hosts import main_url, site_url


def site(request: HttpRequest) -> dict:
    """Links every page needs, absolute because the header is shared by every host."""
    community = getattr(request, "community", None)
    return {
        "community": community,
        "main_site_url": main_url("/"),
        # The page's own address, from settings and the path only (see hosts.site_url).
        "current_url": site_url(request.get_full_path(), subdomain=community.slug if community else ""),
        "login_url": main_url("/akun/masuk/"),
        "logout_url": main_url("/akun/keluar/"),
        "base_domain": settings.BASE_DOMAIN,
    }
