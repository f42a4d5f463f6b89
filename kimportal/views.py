from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Switch the interface language by a plain link, so cached public pages need no CSRF form."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("Unknown language")
    next_url = request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
    return response


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers (and the benchmark's baseline): the full middleware stack, no database."""
    return HttpResponse("ok\n", content_type="text/plain")
