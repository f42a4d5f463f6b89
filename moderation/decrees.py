"""A KIM's decree (SK penetapan) upload: a real PDF without active content, or a photo of it.

Photos go through the post photos' checks (posts.images: real format, size, pixel bombs) and are
kept as their largest WebP rendition, upright and without metadata (no GPS). A PDF must be one
(its bytes, not its name) and carry no JavaScript, launch actions or embedded files: reviewers
open it in their browser.
"""

from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kimportal.errors import ActionRefused
from posts.images import PhotoRejected, process_photo

from .pdfs import PdfProblem, looks_like_pdf, pdf_problem

MAX_BYTES = 10 * 1024 * 1024


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
    if looks_like_pdf(head):
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
    problem = pdf_problem(content)
    if problem is not None:
        raise DecreeRejected(_PDF_PROBLEMS[problem])
    return Decree(content, "application/pdf", "pdf")


_PDF_PROBLEMS = {
    PdfProblem.NOT_PDF: gettext_lazy(
        "Berkas ini bukan PDF yang sah. Simpan ulang sebagai PDF, atau unggah fotonya."
    ),
    PdfProblem.ENCRYPTED: gettext_lazy("PDF ini dikunci kata sandi. Unggah PDF tanpa kata sandi."),
    PdfProblem.BROKEN: gettext_lazy(
        "Berkas PDF ini rusak atau tidak lengkap. Simpan ulang sebagai PDF, atau unggah fotonya."
    ),
    PdfProblem.NO_PAGES: gettext_lazy("PDF ini tidak berisi halaman."),
    PdfProblem.ACTIVE: gettext_lazy(
        "PDF ini berisi JavaScript atau berkas tersembunyi. "
        "Cetak ulang sebagai PDF biasa, atau unggah fotonya."
    ),
}
