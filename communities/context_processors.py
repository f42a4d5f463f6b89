from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest

from .hosts import main_url


def site(request: HttpRequest) -> dict:
    """Links every page needs, absolute because the header is shared by every host."""
    home = main_url("/", request)
    try:
        current_url = request.build_absolute_uri()
    except DisallowedHost:  # rendering the 400 page for a host that is not ours
        current_url = home
    return {
        "community": getattr(request, "community", None),
        "main_site_url": home,
        "current_url": current_url,
        "login_url": main_url("/akun/masuk/", request),
        "logout_url": main_url("/akun/keluar/", request),
        "base_domain": settings.BASE_DOMAIN,
    }
