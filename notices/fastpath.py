"""The notices app's measured fast path: the box of an area's official notices, which every public
page of a KIM site (home and post pages) and the first page of the province and kabupaten/kota feeds
show, without a query on most renders.

A cold community home and post page run one query each (tests/feed/test_community_pages.py) and must
keep 0.15 of the /healthz baseline's requests/s. Measured in-process on the demo seed (`make run`'s
database; the lowest of 15 rounds of 200 calls, six runs on this shared machine at a load average of
7-9 on 2 cores, where a whole cold community home took 5.3 ms): the plain ORM read of the box
(`selectors.showing()` filtered, `.only()`, ordered, sliced, regions attached) 1.6-3.2 ms, the
hand-written SQL below 0.48-1.03 ms, a kept box 0.009 ms.

- `area_notices` keeps each area's box in this process (`_boxes`, at most BOXES_KEPT areas), read
  by the SQL below when missing.
- A page the page cache will store (`page_version` given: its host's (schema, version), which
  `public_page` has read anyway) uses a box kept under that version: every change of a notice bumps
  the versions of its area's hosts in its transaction (communities.pages.area_pages_changed), so a
  box read under a version is never older than it, and a withdrawn notice never reaches a stored page.
- Any other render (a signed-in reader, or PAGE_CACHE off) uses a box at most BOX_SECONDS old; a
  notice change drops this process's boxes at once (others within BOX_SECONDS).
- Each box is for one day (Asia/Jakarta): a notice leaves it the day after its last day.

Everything else in notices is plain Django: selectors.py, services.py.
"""

import threading
import time
from collections import OrderedDict

from django.utils import timezone

from kimportal.db import connection_for_read

from .models import Notice

BOX_SIZE = 3  # notices a box shows, newest first
BOX_SECONDS = 30
BOXES_KEPT = 4096

_COLUMNS = (
    "id",
    "kind",
    "title",
    "slug",
    "province_id",
    "regency_id",
    "by_province",
    "expires_on",
    "published_at",
)
_SQL = (
    f"SELECT {', '.join(_COLUMNS)} FROM {Notice._meta.db_table}"
    " WHERE state = %s AND expires_on >= %s AND province_id = %s AND (regency_id IS NULL OR regency_id = %s)"
    " ORDER BY published_at DESC, id DESC LIMIT %s"
)

_boxes: OrderedDict[tuple, tuple[float, list[Notice]]] = OrderedDict()
_lock = threading.Lock()


def area_notices(
    *, province_id: int, regency_id: int | None, page_version: tuple[str, int] | None = None
) -> list[Notice]:
    """The notices showing in an area (the province's and, with `regency_id`, its kabupaten/kota's),
    newest first, at most BOX_SIZE; province and kabupaten/kota set from the regions in memory."""
    from .selectors import with_regions  # selectors reads through this module

    today = timezone.localdate()
    key = (province_id, regency_id, today, page_version)
    now = time.monotonic()
    with _lock:
        found = _boxes.get(key)
        if found is not None and (page_version is not None or now - found[0] < BOX_SECONDS):
            _boxes.move_to_end(key)
            return found[1]
    connection = connection_for_read(Notice)  # the replica on anonymous readers' public pages
    with connection.cursor() as cursor:
        cursor.execute(_SQL, [Notice.State.PUBLISHED, today, province_id, regency_id, BOX_SIZE])
        rows = cursor.fetchall()
    notices = with_regions(Notice.from_db(connection.alias, _COLUMNS, row) for row in rows)
    with _lock:
        _boxes[key] = (now, notices)
        _boxes.move_to_end(key)
        while len(_boxes) > BOXES_KEPT:
            _boxes.popitem(last=False)
    return notices


def forget() -> None:
    """Drop this process's boxes (a notice changed: services call it now and once the change
    commits, since a render in between would keep the old box)."""
    with _lock:
        _boxes.clear()
