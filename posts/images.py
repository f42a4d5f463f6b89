"""Photo upload pipeline: validate an upload, make it upright, strip metadata, encode web renditions.

Pure Pillow, no models and no database, so views, forms and background jobs can all call
``process_photo`` and store the returned bytes wherever they like. Resizing and encoding are shared
with one worker thread per process (Pillow releases the GIL for both); the caller's file is never
closed here.
"""

from __future__ import annotations

import importlib
import io
import logging
import math
import os
import struct
import threading
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms, ImageFile

from kimportal.errors import ActionRefused

from .phash import photo_hashes

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _register_heif() -> bool:
    """Let Pillow open HEIC/HEIF (iPhone photos) when pi-heif or pillow-heif is installed."""
    for module in ("pi_heif", "pillow_heif"):  # pi-heif: decoder only, no GPL x265 in its wheels
        try:
            importlib.import_module(module).register_heif_opener()
        except ImportError:
            continue
        return True
    return False


HEIF_SUPPORTED = _register_heif()
logger = logging.getLogger(__name__)

WIDTHS = (480, 960, 1600)
OG_WIDTH, OG_HEIGHT = 1200, 630  # OpenGraph/WhatsApp previews: 1.91:1, best at 1200x630.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
WEBP_MAX_SIDE = 16383  # libwebp cannot encode anything taller.
MAX_PIXELS = 60_000_000  # Phones shoot 12-50 MP; 60 MP of RGBA is already ~240 MB once decoded.
FORMATS = ("JPEG", "PNG", "WEBP") + (("HEIF",) if HEIF_SUPPORTED else ())
# How a photo is processed, and why (`make bench` measures it against naive Pillow: the photo table):
# Pillow releases the GIL while it decodes, resizes and encodes, so two threads share the work.
# This thread decodes at 1/2 scale (JPEG draft mode) while the worker decodes a second copy at 1/4
# scale for the two small sizes; each size is resized from the previous one, in strips (less peak
# memory), and the worker encodes each size as soon as it exists. The second decode costs some CPU
# but runs while the worker would otherwise wait. Cheaper filters or WebP method 0 everywhere would
# be faster still, but cost sharpness and bytes on the 480/960 px files that phones load.
#
# WebP method 2: the PSNR of method 4 for slightly larger files, much faster to encode; methods 0 and
# 1 need noticeably more bytes for the same quality.
WEBP_OPTIONS: dict[str, Any] = {"quality": 78, "method": 2}
# optimize: smaller files for little time; progressive costs far more time for little gain.
JPEG_OPTIONS: dict[str, Any] = {"quality": 82, "optimize": True}
# LANCZOS keeps detail through the chain of downscales; BICUBIC is faster per resize but visibly
# softer by the 960 px step, and Image.reduce(2) for 960->480 aliases fine patterns such as fences.
RESAMPLE = Image.Resampling.LANCZOS

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
_CORRUPT = _("Foto rusak atau tidak lengkap. Coba unggah ulang.")
_REDUCING_GAP = 3.0  # Box-reduce by whole factors first, leaving >=3x for the filter: huge PNGs.
_STRIPS_PER_HALF = 4  # see _resize_halves


class PhotoRejected(ActionRefused):
    """An upload that is not a usable photo; ``message`` is safe to show to the user."""


@dataclass(frozen=True)
class Rendition:
    """One encoded output image."""

    width: int
    height: int
    content: bytes
    format: str  # "webp" or "jpeg"


@dataclass(frozen=True)
class ProcessedPhoto:
    """Upright full-resolution size, detected source format, the encoded renditions and the perceptual
    hashes of the whole photo and of its centre (posts.phash)."""

    width: int
    height: int
    source_format: str  # "JPEG", "PNG", "WEBP" or "HEIF"
    renditions: list[Rendition]
    hashes: tuple[int, int]


def process_photo(fileobj: BinaryIO, *, max_bytes: int = MAX_UPLOAD_BYTES) -> ProcessedPhoto:
    """Validate an uploaded photo and return upright, metadata-free WebP and JPEG renditions."""
    _check_byte_size(fileobj, max_bytes)
    with _open(fileobj) as im:
        source_format = "JPEG" if im.format == "MPO" else str(im.format)  # phone JPEGs are often MPO
        orientation = _orientation(im)
        width, height = _turned(im.size, orientation)
        webp_sizes, og_size = _plan(width, height)
        top_size = max(webp_sizes[-1], og_size)
        smaller = _smaller_copy_decoded_apart(fileobj, im, orientation, webp_sizes, top_size)
        with _cancelled_on_error([smaller] if smaller else []):
            top = _decode(im, orientation, top_size)
    _free(im)  # the source's decoded pixels, if resizing has not dropped them already
    spare = _spare(smaller) if smaller else None
    renditions, hashes = _encode_all(top, webp_sizes, og_size, spare)
    return ProcessedPhoto(width, height, source_format, renditions, hashes)


def _check_byte_size(fileobj: BinaryIO, max_bytes: int) -> None:
    """Reject empty or oversized uploads using .size or seek/tell, without reading the content."""
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
    fileobj.seek(0)
    if not size:
        raise PhotoRejected(_("Berkas kosong. Pilih foto yang akan diunggah."))
    if size > max_bytes:
        limit = f"{max_bytes / (1024 * 1024):g}"
        raise PhotoRejected(format_lazy(_("Ukuran berkas terlalu besar. Maksimum {limit} MB."), limit=limit))


def _open(fileobj: BinaryIO) -> ImageFile.ImageFile:
    """Identify the real format from the bytes and check the pixel count from the header alone."""
    try:
        with _bomb_warning_as_error():
            im = Image.open(fileobj, formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(_too_many_pixels(None)) from None
    except _DECODE_ERRORS:
        raise PhotoRejected(_CORRUPT if _has_known_signature(fileobj) else _unsupported_format()) from None
    if im.width * im.height > MAX_PIXELS:
        im.close()
        raise PhotoRejected(_too_many_pixels(im.width * im.height))
    return im


def _has_known_signature(fileobj: BinaryIO) -> bool:
    """Whether the file starts like a supported format, i.e. it is damaged rather than foreign."""
    fileobj.seek(0)
    prefix = fileobj.read(16)
    fileobj.seek(0)
    accepts = (Image.OPEN[name][1] for name in FORMATS if name in Image.OPEN)
    return any(accept is not None and accept(prefix) for accept in accepts)


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


def _plan(width: int, height: int) -> tuple[list[tuple[int, int]], tuple[int, int]]:
    """Sizes of the WebP renditions (ascending) and of the photo the preview JPEG is cut from.

    WIDTHS bound the longest side, so a portrait photo's largest rendition is 1200x1600, not
    1600x2133: pages never need more, and JPEG draft mode can then decode it at half scale too.
    """
    if round(height * min(WIDTHS[-1], width) / width) > WEBP_MAX_SIDE:  # e.g. a long chat screenshot
        raise PhotoRejected(_("Foto terlalu tinggi dibandingkan lebarnya. Potong foto lalu unggah ulang."))
    longest = max(width, height)
    sides = [side for side in WIDTHS if side <= longest] or [min(WIDTHS[0], longest)]
    return [_fit(side, width, height) for side in sides], _og_source_size(width, height)


def og_size(width: int, height: int) -> tuple[int, int]:
    """Size of the preview JPEG (og:image) of an upright photo of this size: its centre cut to
    1.91:1, the shape WhatsApp and Facebook show (a portrait cover would be cropped badly by them),
    at most OG_WIDTH x OG_HEIGHT, never upscaled."""
    crop_width, crop_height = _og_crop(width, height)
    scale = min(1.0, OG_WIDTH / crop_width)
    return max(1, round(crop_width * scale)), max(1, round(crop_height * scale))


def _og_crop(width: int, height: int) -> tuple[int, int]:
    """The largest 1.91:1 box inside width x height."""
    return min(width, round(height * OG_WIDTH / OG_HEIGHT)), min(height, round(width * OG_HEIGHT / OG_WIDTH))


def _og_source_size(width: int, height: int) -> tuple[int, int]:
    """The whole photo at the scale its og:image is cut from (the cut then takes the centre)."""
    scale = min(1.0, OG_WIDTH / _og_crop(width, height)[0])
    return max(1, round(width * scale)), max(1, round(height * scale))


def _centre_cut(im: Image.Image) -> Image.Image:
    width, height = _og_crop(*im.size)
    left, top = (im.width - width) // 2, (im.height - height) // 2
    return im if (width, height) == im.size else im.crop((left, top, left + width, top + height))


def _fit(longest: int, full_width: int, full_height: int) -> tuple[int, int]:
    """Size whose longest side is `longest`, keeping the aspect ratio of the full upright image."""
    scale = longest / max(full_width, full_height)
    return max(1, round(full_width * scale)), max(1, round(full_height * scale))


def _smaller_copy_decoded_apart(
    fileobj: BinaryIO,
    im: ImageFile.ImageFile,
    orientation: int,
    webp_sizes: list[tuple[int, int]],
    top_size: tuple[int, int],
) -> _Job | None:
    """Have the worker decode the JPEG a second time, at the smaller scale enough for all but the top.

    A 12 MP JPEG is decoded at 1/2 scale for the 1600px rendition, but 1/4 scale (1000x750) is enough
    for the 960px and 480px ones: the worker decodes that while this thread decodes the larger one,
    instead of waiting, and those renditions are then made from it (1000x750->960x720 instead of
    1200x900->960x720 after 1600->1200). Only with a second reader of the same bytes (an upload in
    memory or in a temporary file) and where JPEG draft mode can scale down further. `im` must not be
    drafted yet: its size is the stored one.
    """
    if len(webp_sizes) < 2 or im.format not in ("JPEG", "MPO"):
        return None
    size = webp_sizes[-2]
    if _jpeg_scale(im, orientation, size) <= _jpeg_scale(im, orientation, top_size):
        return None  # no fewer pixels to decode, e.g. an 8 MP photo: 1/2 scale for both
    reopen = _another_reader(fileobj)
    return _Job(_decode_smaller, reopen, orientation, size) if reopen else None


def _turned(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """An upright size as stored, or a stored size upright: swapped by a quarter turn, else the same."""
    return (size[1], size[0]) if orientation in _SWAPS_AXES else size


def _spare(job: _Job) -> Image.Image | None:
    """The worker's smaller copy, or None when the renditions had better come down the chain.

    Not begun yet: the worker is busy with another photo, and decoding the copy here would only add
    work. Failed: this thread's decode of the same bytes worked, so the photo is good all the same.
    """
    try:
        return job.begun_result()
    except Exception:
        logger.warning("A photo's smaller decode failed; resizing down from the larger one", exc_info=True)
        return None


def _jpeg_scale(im: ImageFile.ImageFile, orientation: int, size: tuple[int, int]) -> int:
    """The 1/n scale JPEG draft mode decodes at for `size` (upright), as JpegImageFile.draft picks it."""
    stored = _turned(size, orientation)
    fits = min(im.size[0] // stored[0], im.size[1] // stored[1])
    return next(scale for scale in (8, 4, 2, 1) if fits >= scale)


def _another_reader(fileobj: BinaryIO) -> Callable[[], BinaryIO] | None:
    """What opens a second, independent reader of the upload's bytes without copying them, if any."""
    if hasattr(fileobj, "temporary_file_path"):  # Django keeps uploads over 2.5 MB in a temporary file
        path = fileobj.temporary_file_path()
        return lambda: open(path, "rb")  # noqa: SIM115 (closed by _decode_smaller)
    inner = getattr(fileobj, "file", fileobj)  # smaller uploads: a BytesIO inside InMemoryUploadedFile
    if isinstance(inner, io.BytesIO):
        data = inner.getvalue()  # the BytesIO's own buffer, not a copy
        return lambda: io.BytesIO(data)
    return None


def _decode_smaller(reopen: Callable[[], BinaryIO], orientation: int, size: tuple[int, int]) -> Image.Image:
    """The photo upright, decoded at the JPEG scale that `size` needs, not resized to it."""
    with reopen() as reader, Image.open(reader, formats=("JPEG", "MPO")) as im:
        return _decode(im, orientation, size, resize=False)


def _decode(
    im: ImageFile.ImageFile, orientation: int, size: tuple[int, int], *, resize: bool = True
) -> Image.Image:
    """Decode only as many pixels as `size` (upright) needs, then resize, sRGB, turn upright, strip.

    Without `resize`, the result keeps the size decoded: at least `size`, as JPEG draft mode allows.
    """
    stored = _turned(size, orientation)
    im.draft("RGB", stored)  # JPEG only: libjpeg decodes at 1/2, 1/4 or 1/8 scale, far cheaper
    try:
        im.load()
    except _DECODE_ERRORS:
        raise PhotoRejected(_CORRUPT) from None
    mode = "RGBA" if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info else "RGB"
    out = _resizable(im, mode)
    if resize and out.size != stored:  # before any other step: every later one then touches fewer pixels
        out = _resize(out, stored)  # also frees the decoded pixels, `im`'s own if `out` is `im`
    out = _to_srgb(out, im.info.get("icc_profile"), mode)
    if orientation in _UPRIGHT:
        out = out.transpose(_UPRIGHT[orientation])
    if out is im:
        out = im.copy()  # closing the source file would free these pixels
    out.info = {}  # EXIF/GPS, XMP, ICC, comments: some savers copy these from .info
    return out


def _resizable(im: Image.Image, mode: str) -> Image.Image:
    """The decoded image itself if Pillow resamples its mode well, else converted (no full-size copy)."""
    if im.mode in ("I", "I;16", "I;16B", "I;16L"):
        return im.point(lambda v: v / 256, "L")  # 16-bit grey: convert() would clip it to white
    if im.mode in ("RGB", "RGBA", "CMYK", "L", "LA") and "transparency" not in im.info:
        return im
    return im.convert(mode)  # palette, 1-bit, colour-key transparency


def _to_srgb(im: Image.Image, icc: bytes | None, mode: str) -> Image.Image:
    """`im` as 8-bit sRGB in `mode`, converting from its embedded colour profile when there is one."""
    if icc and im.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:  # e.g. iPhone's Display P3 looks washed out if its profile is simply dropped
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "sRGB" not in ImageCms.getProfileDescription(source):
                converted = ImageCms.profileToProfile(im, source, _SRGB, outputMode=mode)
                if converted is not None:  # None only when converting in place, which this does not
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # unusable profile: keep the pixel values as they are
    return im if im.mode == mode else im.convert(mode)


def _resize(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Same pixels as ``im.resize(size, RESAMPLE, reducing_gap=_REDUCING_GAP)``, on two threads; frees `im`.

    Pillow resizes across, then down, and each row of the first pass (each column of the second)
    depends on nothing else, so two threads can do half the rows each, then half the columns. Not with
    alpha (Pillow premultiplies around each resize call) or where reducing_gap would box-reduce first.
    """
    reduces = max(im.width / size[0], im.height / size[1]) / _REDUCING_GAP >= 2  # as Pillow decides
    if im.mode != "RGB" or reduces or im.height < 2 or size[0] < 2:  # halves need 2 rows, then 2 columns
        out = im.resize(size, RESAMPLE, reducing_gap=_REDUCING_GAP)
        _free(im)
        return out
    across = _resize_halves(im, (size[0], im.height), cut_rows=True)
    _free(im)  # the decoded photo (12 MB at 12 MP) goes before the second pass allocates
    return _resize_halves(across, size, cut_rows=False)


def _free(im: Image.Image) -> None:
    """Drop an image's pixels. Not ImageFile.close: for MPO (most phone JPEGs) that closes the
    caller's upload too."""
    Image.Image.close(im)


def _resize_halves(im: Image.Image, size: tuple[int, int], *, cut_rows: bool) -> Image.Image:
    """Resize along one axis only; the worker does one half of the other axis, this thread the other.

    Each half goes in strips, so the copies being resized at any moment are 1/4 of the image, not all
    of it: ~7 MB less peak memory for a 12 MP photo, and no slower.
    """
    w, h = im.size
    out = Image.new(im.mode, size, None)

    def resize_into(start: int, stop: int) -> None:  # rows (or columns) of `im`
        strips = min(_STRIPS_PER_HALF, stop - start)
        for i in range(strips):
            low, high = start + (stop - start) * i // strips, start + (stop - start) * (i + 1) // strips
            box = (0, low, w, high) if cut_rows else (low, 0, high, h)
            part = im.crop(box)
            part = part.resize((size[0], high - low) if cut_rows else (high - low, size[1]), RESAMPLE)
            out.paste(part, box[:2])

    middle = (h if cut_rows else w) // 2
    other_half = _Job(resize_into, middle, h if cut_rows else w)
    with _cancelled_on_error([other_half]):
        resize_into(0, middle)
    other_half.result()
    return out


def _encode_all(
    top: Image.Image,
    webp_sizes: list[tuple[int, int]],
    og_size: tuple[int, int],
    spare: Image.Image | None,
) -> tuple[list[Rendition], tuple[int, int]]:
    """Encode all renditions; returns the WebPs smallest first, then the JPEG, and the photo's hashes."""
    # Largest first, each resized from the previous one (or from the spare, a smaller decode, once
    # that is big enough): far cheaper than always from the top.
    # This thread resizes down the chain and the worker encodes each size as soon as it exists, except
    # the second-largest WebP, which this thread encodes once the chain is done: the largest WebP alone
    # is ~40% of the work here, and this split keeps the two threads about equally busy.
    jobs = sorted([(size, "webp") for size in webp_sizes] + [(og_size, "jpeg")], reverse=True)
    callers_job = next((job for job in jobs[1:] if job[1] == "webp"), None)
    current, in_use, kept = top, False, None
    started: list[_Job] = []
    with _cancelled_on_error(started):
        for size, fmt in jobs:
            if spare is not None and _fits(size, spare) and spare.width < current.width:
                current, in_use, spare = spare, False, None
            if current.size != size:
                current, in_use = current.resize(size, RESAMPLE), False
            elif in_use:  # two formats of one size: Image.save keeps its options on the image, so
                current = current.copy()  # two encodes at once must not share one
            in_use = True
            if (size, fmt) == callers_job:
                kept = current
            else:
                started.append(_Job(_encode, current, fmt))
        # From the largest decode, while the worker encodes (encoders only read it too): the smaller
        # sizes come from the worker's spare decode or down the chain, whichever the load allowed,
        # and a hash of either would move a few bits with the server's load.
        hashes = photo_hashes(top)
        renditions = [_encode(kept, "webp")] if kept is not None else []
        renditions += [job.result() for job in reversed(started)]  # smallest first: the likeliest not begun
    return sorted(renditions, key=lambda r: (r.format == "jpeg", r.width)), hashes


def _fits(size: tuple[int, int], im: Image.Image) -> bool:
    """Whether `im` is at least `size`, so `size` can be resized from it."""
    return im.width >= size[0] and im.height >= size[1]


def _encode(im: Image.Image, fmt: str) -> Rendition:
    """Encode without any metadata; JPEG has no alpha, so transparency is flattened onto white."""
    if fmt == "jpeg":
        im = _centre_cut(im)
    if fmt == "jpeg" and im.mode == "RGBA":
        flat = Image.new("RGB", im.size, "white")
        flat.paste(im, mask=im.getchannel("A"))
        im = flat
    buffer = io.BytesIO()
    im.save(buffer, fmt.upper(), **(JPEG_OPTIONS if fmt == "jpeg" else WEBP_OPTIONS))
    return Rendition(im.width, im.height, buffer.getvalue(), fmt)


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


class _Job:
    """``fn(*args)`` handed to the worker thread.

    If the worker has not begun it by the time the caller needs it (it is busy with another photo),
    the caller runs it itself, so a busy server waits no longer than it would without the worker.
    Exceptions reach the caller either way.
    """

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self.fn, self.args = fn, args
        self.future = _worker().submit(fn, *args)

    def result(self) -> Any:
        return self.fn(*self.args) if self.future.cancel() else self.future.result()

    def begun_result(self) -> Any:
        """The result if the worker has begun the job; None if not, and then it never runs."""
        return None if self.future.cancel() else self.future.result()


@contextmanager
def _cancelled_on_error(jobs: list[_Job]) -> Iterator[None]:
    """If the caller's own part fails, the worker does not start the rest of a photo it gave up on."""
    try:
        yield
    except BaseException:
        for job in jobs:
            job.future.cancel()
        raise


def _worker() -> ThreadPoolExecutor:
    """The one worker thread, shared by all calls and started on first use."""
    # One: with the calling thread that keeps two cores busy, and each thread that allocates images
    # gets its own malloc arena (~10 MB more peak memory per thread).
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="process_photo")
        return _executor


def _forget_worker() -> None:
    """In a forked child, whose copy of the executor lists a thread that only runs in the parent."""
    global _executor, _executor_lock
    _executor, _executor_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_worker)


def _too_many_pixels(pixels: int | None) -> StrOrPromise:
    """User message for an image over MAX_PIXELS, naming its size when known."""
    limit = MAX_PIXELS // 1_000_000
    if pixels is None:  # Pillow refused it before we saw the header (>178 MP)
        return format_lazy(_("Ukuran foto terlalu besar. Maksimum {limit} megapiksel."), limit=limit)
    return format_lazy(
        _("Ukuran foto terlalu besar ({size} megapiksel). Maksimum {limit} megapiksel."),
        size=math.ceil(pixels / 1_000_000),  # ceil: never "60 megapiksel, maximum 60"
        limit=limit,
    )


def _unsupported_format() -> StrOrPromise:
    """User message listing the formats this server accepts."""
    if HEIF_SUPPORTED:
        return _("Format foto tidak didukung. Gunakan JPG, PNG, WebP, atau HEIC.")
    return _("Format foto tidak didukung. Gunakan JPG, PNG, atau WebP.")
