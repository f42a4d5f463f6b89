"""A KIM's decree (SK penetapan) upload: a real PDF without active content, or a photo of it.

Photos go through the post photos' checks (posts.images: real format, size, pixel bombs) and are
kept as their largest WebP rendition, upright and without metadata (no GPS). A PDF must be one
(its bytes, not its name) and carry no JavaScript, launch actions or embedded files: reviewers
open it in their browser.
"""

import io
import logging
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from kimportal.errors import ActionRefused
from posts.images import PhotoRejected, process_photo

MAX_BYTES = 10 * 1024 * 1024
# Names that make a PDF do something when opened (run code, start a program, carry other files).
ACTIVE_NAMES = frozenset(
    {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
)
_MAX_OBJECTS = 200_000  # a walk that long is a crafted file, not a scanned decree

logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed scans are common; we judge them here


class DecreeRejected(ActionRefused):
    """An upload that is not a usable decree; `message` is safe to show."""


@dataclass(frozen=True)
class Decree:
    content: bytes
    content_type: str
    extension: str


def decree_check(upload: BinaryIO, size: int) -> Decree:
    """The decree to store, or DecreeRejected with the reason in Bahasa Indonesia."""
    if not size:
        raise DecreeRejected(_("Berkas SK kosong. Pilih berkas PDF atau foto SK."))
    if size > MAX_BYTES:
        raise DecreeRejected(_("Berkas SK terlalu besar. Maksimum 10 MB."))
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" in head:
        return _pdf(upload.read())
    if head[:4] == b"%!PS" or head.lstrip()[:1] == b"<":
        raise DecreeRejected(_("Berkas SK harus PDF, JPG, PNG, atau HEIC."))
    try:
        photo = process_photo(upload)
    except PhotoRejected as rejected:
        raise DecreeRejected(
            _("Berkas SK harus PDF, JPG, PNG, atau HEIC. %(why)s") % {"why": rejected.message}
        ) from None
    largest = max((r for r in photo.renditions if r.format == "webp"), key=lambda r: r.width)
    return Decree(largest.content, "image/webp", "webp")


def _pdf(content: bytes) -> Decree:
    if not content.lstrip().startswith(b"%PDF-"):
        raise DecreeRejected(
            _("Berkas ini bukan PDF yang sah. Simpan ulang sebagai PDF, atau unggah fotonya.")
        )
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise DecreeRejected(_("PDF ini dikunci kata sandi. Unggah PDF tanpa kata sandi."))
        pages = len(reader.pages)
        active = _has_active_content(reader.trailer)
    except DecreeRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        raise DecreeRejected(
            _("Berkas PDF ini rusak atau tidak lengkap. Simpan ulang sebagai PDF, atau unggah fotonya.")
        ) from None
    if not pages:
        raise DecreeRejected(_("PDF ini tidak berisi halaman."))
    if active:
        raise DecreeRejected(
            _(
                "PDF ini berisi JavaScript atau berkas tersembunyi. "
                "Cetak ulang sebagai PDF biasa, atau unggah fotonya."
            )
        )
    return Decree(content, "application/pdf", "pdf")


def _has_active_content(root: PdfObject) -> bool:
    """Walk every object reachable from the trailer (object streams included) for ACTIVE_NAMES."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [root]
    walked = 0
    while stack:
        walked += 1
        if walked > _MAX_OBJECTS:
            return True
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for name, value in obj.items():
                if name in ACTIVE_NAMES:
                    return True
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject) and obj in ACTIVE_NAMES:
            return True
    return False
