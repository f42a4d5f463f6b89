"""Paging: the query parameter every paged list uses, and keyset pagination over (a moment, id), in
which page 500 costs what page 1 costs and a post published meanwhile never pushes a row onto the
next page twice.

Keyset pages are used by the public lists (newest first) and by the moderation console (the pending
queue oldest first). A cursor is "<microseconds since 1970>.<id>": two integers, so a tampered one
names another place in the list or is refused with BadCursor, never a strange query.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

# The one name of the page in every paged URL: a keyset cursor on lists, a page number where pages
# are numbered (search, a member's posts). Whatever its value, it says which page of the list.
PAGE_PARAM = "halaman"
# Names earlier versions used (feed lists, search, the moderation console): they redirect.
RETIRED_PAGE_PARAMS = ("setelah", "hal", "after")

PAGE_SIZE = 20
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Digits only, no leading zeros (one spelling per place, so one cached page), and no longer than
# any real moment or id: int() refuses more than 4,300 digits with a ValueError.
_CURSOR = re.compile(r"(0|[1-9][0-9]{0,17})\.([1-9][0-9]{0,18})")

Key = tuple[datetime, int]
# rows(after, limit): up to `limit` rows following the key `after` (None: from the start).
Rows = Callable[[Key | None, int], list]


class BadCursor(ValueError):
    """A cursor that is not one (edited by hand, cut off, or from another site)."""


@dataclass
class Page:
    items: list
    next_cursor: str | None
    is_first: bool


def encode_cursor(moment: datetime, pk: int) -> str:
    return f"{(moment - _EPOCH) // timedelta(microseconds=1)}.{pk}"


def decode_cursor(cursor: str | None) -> Key | None:
    """The key a cursor names (None for no cursor); BadCursor for anything else."""
    if not cursor:
        return None
    found = _CURSOR.fullmatch(cursor)
    if found is None:
        raise BadCursor(cursor)
    try:
        return _EPOCH + timedelta(microseconds=int(found[1])), int(found[2])
    except OverflowError:  # past the year 9999
        raise BadCursor(cursor) from None


def _queryset_rows(queryset: QuerySet, field: str, newest_first: bool) -> Rows:
    op, order = ("lt", [f"-{field}", "-pk"]) if newest_first else ("gt", [field, "pk"])

    def rows(after: Key | None, limit: int) -> list:
        qs = queryset
        if after:
            moment, pk = after
            qs = qs.filter(Q(**{f"{field}__{op}": moment}) | Q(**{field: moment, f"pk__{op}": pk}))
        return list(qs.order_by(*order)[:limit])

    return rows


def queryset_page(
    queryset: QuerySet,
    after: Key | None,
    size: int = PAGE_SIZE,
    *,
    field: str = "published_at",
    newest_first: bool = True,
) -> Page:
    """One page of a queryset in (field, id) order, after the key (one query)."""
    return keyset_page(_queryset_rows(queryset, field, newest_first), after, size, field=field)


def keyset_page(rows: Rows, after: Key | None, size: int = PAGE_SIZE, *, field: str = "published_at") -> Page:
    """One page of `rows` after the key, fetched with one row more to know whether more follow."""
    found = rows(after, size + 1)
    items = found[:size]
    more = len(found) > size
    next_cursor = encode_cursor(getattr(items[-1], field), items[-1].pk) if more else None
    return Page(items=items, next_cursor=next_cursor, is_first=after is None)


def retired_page_param_redirect(request: HttpRequest) -> HttpResponse | None:
    """A permanent redirect to the same page under PAGE_PARAM, for a GET that names its page by a
    retired name (links in feeds, bookmarks and search engines); None otherwise."""
    if request.method not in ("GET", "HEAD") or not request.META.get("QUERY_STRING"):
        return None
    if not any(name in request.GET for name in RETIRED_PAGE_PARAMS):
        return None
    query = request.GET.copy()
    for name in RETIRED_PAGE_PARAMS:
        values = query.pop(name, [])
        if values and PAGE_PARAM not in query:
            query[PAGE_PARAM] = values[-1]
    return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")


class RetiredPageParamMiddleware:
    """Send requests that use a retired paging parameter to the page's current address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return retired_page_param_redirect(request) or self.get_response(request)
