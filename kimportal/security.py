"""Security headers on every answer: Content-Security-Policy, Permissions-Policy, and
`Cache-Control: private, no-store` on whatever depends on who is asking.

A middleware of our own rather than django-csp: the policy has no nonces and no per-view variants
(nothing on any page is inline), so it is one string built once from the settings; django-csp would
add a dependency, a configuration format of its own and per-request work for no gain here.

Posts may show a video (posts/videos.py): a still picture that becomes the provider's player when the
reader taps it. The policy names exactly those player hosts in frame-src and YouTube's picture host
in img-src, on every page rather than per view: a frame from those two hosts cannot reach our pages,
and one policy keeps the cached pages and the review screen alike.
"""

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# The video players a post may show (posts.videos: YOUTUBE_PLAYER, FACEBOOK_PLAYER, YOUTUBE_STILLS).
VIDEO_PLAYERS = ("https://www.youtube-nocookie.com", "https://www.facebook.com")
VIDEO_STILLS = ("https://i.ytimg.com",)

# Browser features no page of the portal uses (photo upload uses a file input, not the camera API);
# autoplay only for the players, so a video starts with the tap that asked for it.
_PLAYER_ORIGINS = " ".join(f'"{origin}"' for origin in VIDEO_PLAYERS)
PERMISSIONS_POLICY = ", ".join(
    [f"autoplay=(self {_PLAYER_ORIGINS})"]
    + [
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "browsing-topics",
            "camera",
            "display-capture",
            "geolocation",
            "gyroscope",
            "hid",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    ]
)


@cache
def content_security_policy() -> str:
    """Only our own hosts, nothing inline, nothing framing us. Pages of the main domain show
    photos from the communities' hosts, forms and sign-in redirects cross between hosts, and media
    may come from object storage (an absolute MEDIA_URL)."""
    port = settings.SITE_PORT
    portal = [
        f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}",
        f"{settings.SITE_SCHEME}://*.{settings.BASE_DOMAIN}{port}",
    ]
    media = [settings.MEDIA_URL] if settings.MEDIA_URL.startswith(("https://", "http://")) else []
    directives = {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the blank favicon of base.html; blob: for previews of photos chosen on the phone.
        "img-src": ["'self'", "data:", "blob:", *portal, *media, *VIDEO_STILLS, *settings.CSP_EXTRA_IMG_SRC],
        "frame-src": list(VIDEO_PLAYERS),
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "form-action": ["'self'", *portal],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def is_private(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the answer depends on who asks: it read a session with something in it (a signed-in
    user, a reset token, messages), shows messages kept in a cookie, or sets a cookie (a CSRF token:
    a form bound to this browser). A view that marked its answer `public` has decided otherwise."""
    if "public" in response.get("Cache-Control", ""):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.accessed and not session.is_empty():
        return True
    return "messages" in request.COOKIES or bool(response.cookies)


class SecurityHeadersMiddleware:
    """Outermost, so cached pages, static files and error pages get the headers too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-site")
        if is_private(request, response):
            patch_cache_control(response, private=True, no_store=True)
        return response
