"""Helpers for tests that measure pages from the outside."""

from collections.abc import Callable, Iterable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def queries_per_page(
    client: Client, urls: Iterable[str], *, before_each: Callable[[], object] = lambda: None
) -> dict[str, int]:
    """{url: the number of queries its GET ran}, each page answering 200; `before_each` runs
    outside the count, before every request."""
    counts = {}
    for url in urls:
        before_each()
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        assert status == 200, url
        counts[url] = len(queries.captured_queries)
    return counts
