"""What the portal answers while PostgreSQL is unreachable: a friendly 503 that needs no database.

`kimportal.views.server_error` (the URLconfs' handler500) sends every request that failed because the
database could not be reached here. A form that was being sent comes back with what was typed, so
nothing is lost; `feed.cache` serves anonymous readers the cached copy of their page instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise as _StrPromise

RETRY_AFTER_SECONDS = 30
# Fields a browser sends but a writer did not type: kept hidden for the resend, never shown.
_MACHINE_FIELDS = frozenset(
    {"csrfmiddlewaretoken", "action", "next", "version", "page", "draft", "pending_photos"}
)
_MACHINE_VALUE = re.compile(r"^[\d,:-]*$")  # ids, versions, lists of ids
_LABELS: dict[str, str | _StrPromise] = {
    "title": _("Judul"),
    "body": _("Isi tulisan"),
    "activity_date": _("Tanggal kegiatan"),
    "activity_place": _("Tempat kegiatan"),
    "category": _("Kategori"),
    "tags": _("Tag"),
    "video_url": _("Tautan video"),
}


def is_database_unavailable(error: BaseException | None) -> bool:
    """Whether a request failed because PostgreSQL could not be reached (or dropped the connection)."""
    return isinstance(error, OperationalError | InterfaceError)


def _typed_fields(request: HttpRequest) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """What the writer typed ((name, label, value), shown) and the form's own fields (name, value)."""
    shown: list[tuple[str, str, str]] = []
    hidden: list[tuple[str, str]] = []
    try:
        fields = list(request.POST.lists())
    except Exception:  # a body that cannot be read (too big, broken): the page must still answer
        return shown, hidden
    for name, values in fields:
        if "password" in name:
            continue  # never echoed into a page
        for value in values:
            if name in _MACHINE_FIELDS or _MACHINE_VALUE.match(value):
                hidden.append((name, value))
            else:
                label = _("Keterangan foto") if name.startswith("caption_") else _LABELS.get(name, name)
                shown.append((name, str(label), value))
    return shown, hidden


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The friendly 503, rendered without a request context (its processors read the database)."""
    # The reader's language, as LocaleMiddleware would choose it (the failure may have come before it).
    with translation.override(translation.get_language_from_request(request)):
        shown, hidden = _typed_fields(request) if request.method == "POST" else ([], [])
        context = {
            "shown": shown,
            "hidden": hidden,
            "action": request.get_full_path(),
            "retry": RETRY_AFTER_SECONDS,
        }
        html = render_to_string("503.html", context)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response.database_unavailable = True  # type: ignore[attr-defined]  # read by feed.cache
    return response
