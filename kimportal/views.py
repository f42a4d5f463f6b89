import re
import sys

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, re_path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.static import serve as static_serve

from kimportal.cache import RedisCache
from kimportal.jobs import jobs_waiting
from kimportal.outage import is_database_unavailable, unavailable_response


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


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the friendly 503 when the database could not be reached, else Django's 500."""
    if is_database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request)


def ready(request: HttpRequest) -> JsonResponse:
    """For load balancers: whether this node can serve (the database answers), with the cache and the
    job queue reported beside it. A dead cache only costs speed, so it does not fail readiness."""
    report: dict[str, str | int] = {"database": "ok", "cache": _cache_state(), "jobs": "unknown"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        report["database"] = "unavailable" if is_database_unavailable(error) else "error"
        return JsonResponse(report, status=503, headers={"Cache-Control": "no-store"})
    report.update(_jobs_state())
    return JsonResponse(report, headers={"Cache-Control": "no-store"})


def _jobs_state() -> dict[str, str | int]:
    """The job queue: how many jobs are due and not yet picked up (growing while no worker runs)."""
    try:
        waiting = jobs_waiting()
    except DatabaseError:
        return {"jobs": "error"}
    return {"jobs": "ok", "jobs_waiting": waiting}


def _cache_state() -> str:
    cache = caches["pages"]
    if not isinstance(cache, RedisCache):
        return "local"
    return "ok" if cache.ping() else "unavailable"


def media_patterns() -> list[URLPattern]:
    """Development only: media files from MEDIA_ROOT as it is set now (tests move it)."""
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    return [re_path(rf"^{prefix}(?P<path>.*)$", _serve_media)]


def _serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)
