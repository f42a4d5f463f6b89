"""One JSON log line per request (kimportal/logs.py formats it), with its request id; /metrics."""

import logging
import re
import uuid
from contextlib import ExitStack
from time import perf_counter

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from kimportal import metrics
from kimportal.db import connection, connection_named
from kimportal.routers import REPLICA

logger = logging.getLogger("kimportal.requests")

# What a proxy may pass as X-Request-ID: short, and safe to put in a log line or a header.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_for(request: HttpRequest) -> str:
    """The proxy's X-Request-ID if it is well-formed, else a new one."""
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    """Outermost middleware: times every request, counts its queries, logs it and counts it in the
    metrics. Also answers METRICS_PATH itself, before the host checks: Prometheus scrapes a worker
    by its address, with no portal host name."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == settings.METRICS_PATH:
            return metrics.metrics_response(request)
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]  # for views and error pages
        queries, replica_queries = _QueryCounter(), _QueryCounter()
        replica = REPLICA in settings.DATABASES
        started = perf_counter()
        with ExitStack() as counting:
            counting.enter_context(connection.execute_wrapper(queries))
            if replica:
                counting.enter_context(connection_named(REPLICA).execute_wrapper(replica_queries))
            response = self.get_response(request)
        seconds = perf_counter() - started
        response["X-Request-ID"] = request_id
        view = _view_name(request)
        metrics.request_observe(status=response.status_code, view=view, seconds=seconds)
        community = getattr(request, "community", None)
        fields = {
            "request_id": request_id,
            "method": request.method,
            "host": request.META.get("HTTP_HOST", "")[:255],
            "path": request.path[:500],
            "view": view,
            "community": getattr(community, "schema_name", None),
            "user_id": _user_id(request),
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            "queries": queries.count + replica_queries.count,
        }
        if replica:
            fields["replica_queries"] = replica_queries.count
        logger.info("request", extra={"fields": fields})
        return response


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match._func_path
    return "page_cache" if getattr(request, "page_cache_hit", False) else "-"


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, without a query the request did not make itself."""
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:  # type: ignore[attr-defined]
        loaded = getattr(getattr(request, "session", None), "_session_cache", None) or {}
        raw = loaded.get("_auth_user_id")
        return int(raw) if raw and str(raw).isdigit() else None
    return user.pk if user is not None and user.is_authenticated else None
