from django.conf import settings
from django.http import HttpRequest

from .hosts import main_url


def site(request: HttpRequest) -> dict:
    """Links every page needs, absolute because the header is shared by every host."""
    return {
        "community": getattr(request, "community", None),
        "main_site_url": main_url("/", request),
        "login_url": main_url("/akun/masuk/", request),
        "logout_url": main_url("/akun/keluar/", request),
        "base_domain": settings.BASE_DOMAIN,
    }
