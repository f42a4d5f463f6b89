"""Keyset pagination over (published_at, id), newest first: page 500 costs what page 1 costs.

The cursor is signed, so a tampered one is refused instead of producing a strange query.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db.models import Q, QuerySet

PAGE_SIZE = 20
_SALT = "feed.cursor"


class BadCursor(ValueError):
    pass


@dataclass
class Page:
    items: list
    next_cursor: str | None
    is_first: bool


def encode_cursor(published_at: datetime, pk: int) -> str:
    return signing.dumps([published_at.isoformat(), pk], salt=_SALT, compress=True)


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        published, pk = signing.loads(cursor, salt=_SALT)
        return datetime.fromisoformat(published), int(pk)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadCursor(cursor) from error


Rows = Callable[[tuple[datetime, int] | None, int], list]


def queryset_rows(queryset: QuerySet) -> Rows:
    """rows(after, limit) for a queryset of rows with a published_at: newest first, after the key."""

    def rows(after: tuple[datetime, int] | None, limit: int) -> list:
        qs = queryset
        if after:
            published_at, pk = after
            qs = qs.filter(Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk))
        return list(qs.order_by("-published_at", "-pk")[:limit])

    return rows


def keyset_page(rows: Rows, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """One page of `rows(after, limit)` (newest first) after `cursor`; raises BadCursor for a tampered one."""
    found = rows(decode_cursor(cursor) if cursor else None, size + 1)
    items = found[:size]
    more = len(found) > size
    next_cursor = encode_cursor(items[-1].published_at, items[-1].pk) if more else None
    return Page(items=items, next_cursor=next_cursor, is_first=not cursor)
