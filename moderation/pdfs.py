"""The one check of an uploaded PDF: it must be one (its bytes, not its name), open without a
password, have pages, and carry no JavaScript, launch actions or embedded files, since readers open
it in their browser. A KIM's decree (moderation.decrees) and a notice's public PDF both pass here;
each caller words the problem for its own form."""

import enum
import io
import logging
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

# Names that make a PDF do something when opened (run code, start a program, carry other files).
ACTIVE_NAMES = frozenset(
    {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
)
_MAX_OBJECTS = 200_000  # a walk that long is a crafted file, not a scanned document

logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed scans are common; we judge them here


class PdfProblem(enum.Enum):
    NOT_PDF = "not_pdf"
    ENCRYPTED = "encrypted"
    BROKEN = "broken"
    NO_PAGES = "no_pages"
    ACTIVE = "active"


def looks_like_pdf(head: bytes) -> bool:
    """Whether a file's first bytes say it is a PDF (its name and type say nothing)."""
    return b"%PDF-" in head


def pdf_problem(content: bytes) -> PdfProblem | None:
    """What is wrong with this PDF, or None when it may be stored and shown."""
    if not content.lstrip().startswith(b"%PDF-"):
        return PdfProblem.NOT_PDF
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return PdfProblem.ENCRYPTED
        pages = len(reader.pages)
        active = _has_active_content(reader.trailer)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        return PdfProblem.BROKEN
    if not pages:
        return PdfProblem.NO_PAGES
    if active:
        return PdfProblem.ACTIVE
    return None


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
