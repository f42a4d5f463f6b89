"""Upload size caps enforced by the app as the bytes arrive, not after a whole file is stored.

- `RequestSizeLimitMiddleware`: a request announcing more than UPLOAD_MAX_REQUEST_BYTES is answered
  413 with a page that says so, before a byte of its body is read.
- `FileSizeCapUploadHandler` (first in FILE_UPLOAD_HANDLERS): past UPLOAD_MAX_FILE_BYTES, the rest of
  a file is not stored; a `TooLargeUpload` marker stands in for it, so the form comes back with a
  clear message and everything else that was sent (kimportal.forms checks the marker).
"""

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class TooLargeUpload(UploadedFile):
    """A file that was cut off at the cap: its name and how much of it arrived, no content."""

    too_large = True

    def __init__(self, name: str, content_type: str, received: int):
        super().__init__(file=None, name=name, content_type=content_type, size=received)

    def open(self, mode=None):  # nothing was kept to read
        raise ValueError("A file over the upload cap has no content")

    def read(self, *args):  # as open()
        raise ValueError("A file over the upload cap has no content")

    def seek(self, *args):
        return 0

    def tell(self):
        return self.size

    def chunks(self, chunk_size=None):
        return iter(())


class FileSizeCapUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_FILE_BYTES:
            return None  # the handlers below (memory, temporary file) never see the rest
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received > settings.UPLOAD_MAX_FILE_BYTES:
            return TooLargeUpload(self.file_name or "", self.content_type or "", self.received)
        return None  # the next handler keeps the file as usual


def too_large_message(upload: UploadedFile) -> str:
    return _("Berkas %(name)s terlalu besar (lebih dari %(limit)s). Perkecil lalu unggah lagi.") % {
        "name": upload.name,
        "limit": filesizeformat(settings.UPLOAD_MAX_FILE_BYTES),
    }


class RequestSizeLimitMiddleware:
    """Refuse a body over UPLOAD_MAX_REQUEST_BYTES by its Content-Length, before reading it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_REQUEST_BYTES:
            context = {"limit": filesizeformat(settings.UPLOAD_MAX_REQUEST_BYTES)}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)
