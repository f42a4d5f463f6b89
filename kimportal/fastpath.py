"""The project package's measured fast path: pages compressed at zlib level 1, not Django's 6.

Django's GZipMiddleware compresses every page at level 6 (`django.utils.text.compress_string` has
no setting for it). A cold page's compression is work no other part of it does for it: in-process,
on the large bench seed's pages, level 6 took 0.33 ms of the province feed's ~4 ms of CPU (25 KB of
HTML), 0.68 ms of the search page's (34 KB) and 0.90 ms of the RSS feed's (33 KB); level 1 takes
0.15, 0.26 and 0.26 ms and sends 15-20 % more bytes (3.9 KB against 3.3 KB for the province feed,
well within the 30 KB page-weight target). Level 1 is also nginx's default `gzip_comp_level`.

`GZipMiddleware` is Django's in every other respect (streaming answers, short bodies, Vary, weak
ETags, and the random-length file name against BREACH, as `compress_string` adds it).
"""

import gzip
import secrets

from django.http import HttpRequest, HttpResponseBase
from django.middleware import gzip as django_gzip
from django.utils.cache import patch_vary_headers

LEVEL = 1


def compress_page(content: bytes, max_random_bytes: int) -> bytes:
    """`django.utils.text.compress_string` at LEVEL: the gzip header names a file of a random
    length, so the compressed length does not tell what the page holds (BREACH)."""
    compressed = gzip.compress(content, compresslevel=LEVEL, mtime=0)
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    return bytes(header) + b"a" * secrets.randbelow(max_random_bytes) + b"\x00" + compressed[10:]


class GZipMiddleware(django_gzip.GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        accepts = django_gzip.re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if response.streaming or not accepts or response.has_header("Content-Encoding"):
            return super().process_response(request, response)
        content = response.content  # type: ignore[attr-defined]  # not streaming
        if len(content) < 200:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = compress_page(content, self.max_random_bytes)
        if len(compressed) >= len(content):
            return response
        response.content = compressed  # type: ignore[attr-defined]
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
