"""Photo upload pipeline: validate an upload, make it upright, strip metadata, encode web renditions.

Pure Pillow, no models and no database, so views, forms and background jobs can all call
``process_photo`` and store the returned bytes wherever they like.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms, ImageFile

try:  # HEIC/HEIF (iPhone photos) only when the optional pillow-heif package is installed.
    import pillow_heif
except ImportError:  # pragma: no cover - depends on the environment
    pillow_heif = None
else:
    pillow_heif.register_heif_opener()

WIDTHS = (480, 960, 1600)
OG_WIDTH = 1200  # OpenGraph/WhatsApp previews look best at ~1200px wide.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 60_000_000  # Phones shoot 12-50 MP; 60 MP of RGBA is already ~240 MB once decoded.
FORMATS = ("JPEG", "PNG", "WEBP") + (("HEIF",) if pillow_heif else ())
WEBP_OPTIONS: dict[str, Any] = {"quality": 78, "method": 4}
JPEG_OPTIONS: dict[str, Any] = {"quality": 82, "optimize": True, "progressive": True}

# Transpose that makes an image upright, per EXIF orientation (same table as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SWAPS_AXES = {5, 6, 7, 8}
# Pillow has no single base class for "bad image data"; these are what its decoders raise.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_LANCZOS = Image.Resampling.LANCZOS
_REDUCING_GAP = 3.0  # Box-reduce first when shrinking >3x: much faster, visually identical.


class PhotoRejected(ValueError):
    """An upload that is not a usable photo; ``message`` is safe to show to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Rendition:
    """One encoded output image."""

    width: int
    height: int
    content: bytes
    format: str  # "webp" or "jpeg"


@dataclass(frozen=True)
class ProcessedPhoto:
    """Upright full-resolution size, detected source format and the encoded renditions."""

    width: int
    height: int
    source_format: str  # "JPEG", "PNG", "WEBP" or "HEIF"
    renditions: list[Rendition]


def process_photo(fileobj: BinaryIO, *, max_bytes: int = MAX_UPLOAD_BYTES) -> ProcessedPhoto:
    """Validate an uploaded photo and return upright, metadata-free WebP and JPEG renditions."""
    _check_byte_size(fileobj, max_bytes)
    with _open(fileobj) as im:
        source_format = "JPEG" if im.format == "MPO" else im.format  # phone JPEGs are often MPO
        orientation = _orientation(im)
        width, height = im.size[::-1] if orientation in _SWAPS_AXES else im.size
        webp_widths = [w for w in WIDTHS if w <= width] or [min(WIDTHS[0], width)]
        webp_sizes = [_fit(w, width, height) for w in webp_widths]
        og_size = _fit(min(OG_WIDTH, width), width, height)
        top = _decode(im, orientation, max(webp_sizes[-1], og_size))
    # The source file is closed here, so its decoded pixels are freed before encoding starts.
    renditions = _webp_renditions(top, webp_sizes)
    renditions.append(_jpeg_rendition(top, og_size))
    return ProcessedPhoto(width, height, source_format, renditions)


def _check_byte_size(fileobj: BinaryIO, max_bytes: int) -> None:
    """Reject empty or oversized uploads using .size or seek/tell, without reading the content."""
    size = getattr(fileobj, "size", None)
    if size is None:
        size = fileobj.seek(0, io.SEEK_END)
    fileobj.seek(0)
    if not size:
        raise PhotoRejected(_("Berkas kosong. Pilih foto yang akan diunggah."))
    if size > max_bytes:
        limit = f"{max_bytes / (1024 * 1024):g}"
        raise PhotoRejected(
            format_lazy(_("Ukuran berkas terlalu besar. Maksimum {limit} MB."), limit=limit)
        )


def _open(fileobj: BinaryIO) -> ImageFile.ImageFile:
    """Identify the real format from the bytes and check the pixel count from the header alone."""
    try:
        with _bomb_warning_as_error():
            im = Image.open(fileobj, formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(_too_many_pixels(None)) from None
    except _DECODE_ERRORS:
        raise PhotoRejected(_unsupported_format()) from None
    if im.width * im.height > MAX_PIXELS:
        im.close()
        raise PhotoRejected(_too_many_pixels(im.width * im.height))
    return im


@contextmanager
def _bomb_warning_as_error() -> Iterator[None]:
    """Make Pillow's DecompressionBombWarning (>89 MP) raise, so it ends up as a rejection."""
    # catch_warnings swaps the process-wide filter list; a racing thread could at worst leave this
    # filter installed, which only turns other >89 MP opens into errors as well.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _orientation(im: Image.Image) -> int:
    """EXIF (or XMP) orientation from the header; 1 means upright, malformed EXIF counts as upright."""
    try:
        # The base-class getexif() only reads the parsed header; PngImageFile's override decodes pixels.
        value = Image.Image.getexif(im).get(ExifTags.Base.Orientation, 1)
    except (SyntaxError, ValueError, struct.error, OSError):
        return 1
    return value if value in _UPRIGHT else 1


def _fit(width: int, full_width: int, full_height: int) -> tuple[int, int]:
    """Size at `width` keeping the aspect ratio of the full upright image."""
    return width, max(1, round(full_height * width / full_width))


def _decode(im: ImageFile.ImageFile, orientation: int, size: tuple[int, int]) -> Image.Image:
    """Decode only as many pixels as `size` (upright) needs, then sRGB, resize, turn upright, strip."""
    stored = size[::-1] if orientation in _SWAPS_AXES else size
    im.draft("RGB", stored)  # JPEG only: libjpeg decodes at 1/2, 1/4 or 1/8 scale, far cheaper
    try:
        im.load()
    except _DECODE_ERRORS:
        raise PhotoRejected(_("Foto rusak atau tidak lengkap. Coba unggah ulang.")) from None
    out = _to_srgb(im)  # always a new image: closing the source frees its pixels
    if out.size != stored:
        out = out.resize(stored, _LANCZOS, reducing_gap=_REDUCING_GAP)
    if orientation in _UPRIGHT:
        out = out.transpose(_UPRIGHT[orientation])  # after resizing: fewer pixels to move
    out.info = {}  # EXIF/GPS, XMP, ICC, comments: some savers copy these from .info
    return out


def _to_srgb(im: Image.Image) -> Image.Image:
    """Copy as 8-bit sRGB, RGBA if the source can be transparent (WebP keeps alpha), else RGB."""
    transparent = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
    mode = "RGBA" if transparent else "RGB"
    if im.mode in ("I", "I;16", "I;16B", "I;16L"):
        im = im.point(lambda v: v / 256, "L")  # 16-bit grey: convert() would clip it to white
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:  # e.g. iPhone's Display P3 looks washed out if its profile is simply dropped
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "sRGB" not in ImageCms.getProfileDescription(source):
                return ImageCms.profileToProfile(im, source, _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # unusable profile: keep the pixel values as they are
    return im.convert(mode)


def _webp_renditions(top: Image.Image, sizes: list[tuple[int, int]]) -> list[Rendition]:
    """WebP at each size (ascending), each resized from the next larger one, which is cheaper."""
    renditions, current = [], top
    for size in reversed(sizes):
        current = current if current.size == size else current.resize(size, _LANCZOS)
        renditions.append(_encode(current, "webp", WEBP_OPTIONS))
    return renditions[::-1]


def _jpeg_rendition(top: Image.Image, size: tuple[int, int]) -> Rendition:
    """JPEG for link previews (WhatsApp, Facebook), transparency flattened onto white."""
    im = top if top.size == size else top.resize(size, _LANCZOS)
    if im.mode == "RGBA":
        flat = Image.new("RGB", im.size, "white")
        flat.paste(im, mask=im.getchannel("A"))
        im = flat
    return _encode(im, "jpeg", JPEG_OPTIONS)


def _encode(im: Image.Image, fmt: str, options: dict[str, Any]) -> Rendition:
    """Encode `im` without any metadata."""
    buffer = io.BytesIO()
    im.save(buffer, fmt.upper(), **options)
    return Rendition(im.width, im.height, buffer.getvalue(), fmt)


def _too_many_pixels(pixels: int | None) -> str:
    """User message for an image over MAX_PIXELS, naming its size when known."""
    limit = MAX_PIXELS // 1_000_000
    if pixels is None:  # Pillow refused it before we saw the header (>178 MP)
        return format_lazy(_("Ukuran foto terlalu besar. Maksimum {limit} megapiksel."), limit=limit)
    return format_lazy(
        _("Ukuran foto terlalu besar ({size} megapiksel). Maksimum {limit} megapiksel."),
        size=math.ceil(pixels / 1_000_000),  # ceil: never "60 megapiksel, maximum 60"
        limit=limit,
    )


def _unsupported_format() -> str:
    """User message listing the formats this server accepts."""
    if pillow_heif:
        return _("Format foto tidak didukung. Gunakan JPG, PNG, WebP, atau HEIC.")
    return _("Format foto tidak didukung. Gunakan JPG, PNG, atau WebP.")
