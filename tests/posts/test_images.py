"""Photo upload pipeline (posts.images): what a person uploading or viewing a photo would notice.

No database: every test image is made in memory with Pillow (or its header is crafted by hand).
"""

import io
import os
import struct
import threading
import warnings
import zlib
from concurrent.futures import Future
from pathlib import Path

import pytest
from django.conf import settings

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=False)  # run standalone: `pytest -p no:django --noconftest`

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.utils import translation  # noqa: E402
from PIL import ExifTags, Image, ImageChops, ImageCms, ImageStat, JpegImagePlugin  # noqa: E402

from kimportal.errors import ActionRefused
from posts import images  # noqa: E402
from posts.images import WIDTHS, PhotoRejected, ProcessedPhoto, Rendition, process_photo  # noqa: E402

GPS_IFD = ExifTags.IFD.GPSInfo


# --- making test images --------------------------------------------------------------------------


def picture(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A gradient with a red square in the top-left corner, so orientation can be checked."""
    w, h = size
    gradient = Image.linear_gradient("L").resize(size)
    im = Image.merge("RGB", [gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT), gradient])
    im.paste((255, 0, 0), (0, 0, max(1, w // 8), max(1, h // 8)))
    return im.convert(mode)


def encode(im: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, fmt, **params)
    return buffer.getvalue()


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SAMSUNG"
    gps = exif.get_ifd(GPS_IFD)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (6.0, 53.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (109.0, 40.0, 33.1)
    return exif


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height but whose pixel data is garbage: cheap to build,
    and any attempt to decode it would fail as 'corrupt' rather than 'too big'."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"garbage") + chunk(b"IEND", b"")


def icc_rgb_profile(description: str, red, green, blue) -> bytes:
    """A minimal ICC v2 RGB display profile with the given primaries (XYZ, D50) and gamma 2.2."""

    def fixed(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(values) -> bytes:
        return b"XYZ " + bytes(4) + b"".join(fixed(v) for v in values)

    text = description.encode() + b"\0"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(4 + 4 + 2 + 1 + 67)
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, round(2.2 * 256)) + bytes(2)
    d50 = (0.9642, 1.0, 0.8249)
    tags = {b"desc": desc, b"wtpt": xyz(d50), b"rXYZ": xyz(red), b"gXYZ": xyz(green), b"bXYZ": xyz(blue)}
    tags |= {b"rTRC": curve, b"gTRC": curve, b"bTRC": curve}
    offset, table, data = 128 + 4 + 12 * len(tags), b"", b""
    for signature, body in tags.items():
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    header = struct.pack(
        ">I4sI4s4s4s12s4s4sI4s4s8sI",
        *(offset + len(data), b"lcms", 0x02100000, b"mntr", b"RGB ", b"XYZ ", bytes(12)),
        *(b"acsp", b"APPL", 0, b"none", b"none", bytes(8), 0),
    )
    header += b"".join(fixed(v) for v in d50) + b"lcms" + bytes(44)
    return header + struct.pack(">I", len(tags)) + table + data


# sRGB's primaries adapted to D50; a profile with red and blue swapped makes conversion obvious.
SRGB_RED, SRGB_GREEN, SRGB_BLUE = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
RED_BLUE_SWAPPED = icc_rgb_profile("Wide test gamut", SRGB_BLUE, SRGB_GREEN, SRGB_RED)


def upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def shown(exc: PhotoRejected) -> str:
    """The message as the user reads it (source language)."""
    with translation.override(None):
        return str(exc.message)


def reopen(rendition: Rendition) -> Image.Image:
    im = Image.open(io.BytesIO(rendition.content))
    im.load()
    return im


def webps(photo: ProcessedPhoto) -> list[Rendition]:
    return [r for r in photo.renditions if r.format == "webp"]


def jpegs(photo: ProcessedPhoto) -> list[Rendition]:
    return [r for r in photo.renditions if r.format == "jpeg"]


def assert_renditions_are_real(photo: ProcessedPhoto) -> None:
    """Every rendition decodes as the format and size it claims, and none is wider than the source."""
    for rendition in photo.renditions:
        im = reopen(rendition)
        assert im.format == rendition.format.upper()
        assert im.size == (rendition.width, rendition.height)
        assert rendition.width <= photo.width
        if rendition.format == "webp":
            assert rendition.height == round(photo.height * rendition.width / photo.width)
        else:  # the share preview: the centre at 1.91:1
            assert abs(rendition.width / rendition.height - 1200 / 630) < 0.01
    assert len(jpegs(photo)) == 1


def rejected(data, **kwargs) -> str:
    fileobj = io.BytesIO(data) if isinstance(data, bytes) else data
    with pytest.raises(PhotoRejected) as excinfo:
        process_photo(fileobj, **kwargs)
    assert isinstance(excinfo.value, ActionRefused)  # its message is for the user
    message = shown(excinfo.value)
    assert message
    return message


# --- valid photos --------------------------------------------------------------------------------


def test_contract_constants():
    assert WIDTHS == (480, 960, 1600)
    assert images.MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    assert images.MAX_PIXELS == 60_000_000


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_large_photo_gets_every_width_plus_a_1200x630_preview_jpeg(fmt):
    photo = process_photo(upload(encode(picture((2000, 1500)), fmt), name="foto.bin"))

    assert (photo.width, photo.height, photo.source_format) == (2000, 1500, fmt)
    assert [(r.width, r.height) for r in webps(photo)] == [(480, 360), (960, 720), (1600, 1200)]
    assert [(r.width, r.height) for r in jpegs(photo)] == [(1200, 630)]
    assert_renditions_are_real(photo)


def test_a_portrait_photo_is_bounded_by_its_longest_side():
    photo = process_photo(upload(encode(picture((1500, 2000)), "JPEG")))

    assert [(r.width, r.height) for r in webps(photo)] == [(360, 480), (720, 960), (1200, 1600)]
    assert [(r.width, r.height) for r in jpegs(photo)] == [(1200, 630)]  # its centre, 1.91:1
    assert_renditions_are_real(photo)


def test_medium_photo_is_never_upscaled():
    photo = process_photo(io.BytesIO(encode(picture((1000, 750)), "PNG")))

    assert [r.width for r in webps(photo)] == [480, 960]
    assert [(r.width, r.height) for r in jpegs(photo)] == [(1000, 525)]
    assert_renditions_are_real(photo)


def test_tiny_photo_keeps_its_own_width():
    photo = process_photo(io.BytesIO(encode(picture((300, 200)), "WEBP")))

    assert [(r.width, r.height) for r in webps(photo)] == [(300, 200)]
    assert [(r.width, r.height) for r in jpegs(photo)] == [(300, 158)]
    assert_renditions_are_real(photo)


def red_corner(im: Image.Image) -> str:
    """Which corner of the image holds the red marker."""
    rgb = im.convert("RGB")
    corners = {
        "top-left": (2, 2),
        "top-right": (im.width - 3, 2),
        "bottom-left": (2, im.height - 3),
        "bottom-right": (im.width - 3, im.height - 3),
    }
    red = [name for name, xy in corners.items() if rgb.getpixel(xy)[0] > 200 > rgb.getpixel(xy)[1] + 100]
    assert len(red) == 1, red
    return red[0]


def spy_on_jpeg_decoding(monkeypatch) -> list[tuple[int, int]]:
    """Record the pixel size at which JPEGs are actually decoded (smaller when draft mode works)."""
    sizes = []
    original_load = JpegImagePlugin.JpegImageFile.load

    def load(self):
        decoding = bool(self.tile)  # later calls are no-ops once the pixels are there
        result = original_load(self)
        if decoding:
            sizes.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", load)
    return sizes


def test_12_megapixel_jpeg_is_decoded_at_half_scale_and_again_at_quarter_scale_for_the_smaller_sizes(
    monkeypatch,
):
    data = encode(Image.new("RGB", (4000, 3000), "green"), "JPEG")
    decoded_sizes = spy_on_jpeg_decoding(monkeypatch)

    photo = process_photo(io.BytesIO(data))

    assert sorted(decoded_sizes) == [(1000, 750), (2000, 1500)]  # never all 12 MP
    assert [(r.width, r.height) for r in webps(photo)] == [(480, 360), (960, 720), (1600, 1200)]


@pytest.mark.parametrize("size", [(3264, 2448), (1600, 1200)])  # 8 MP: 1/2 scale for every size
def test_a_jpeg_is_decoded_once_where_a_second_decode_would_not_be_smaller(monkeypatch, size):
    decoded_sizes = spy_on_jpeg_decoding(monkeypatch)

    process_photo(io.BytesIO(encode(picture(size), "JPEG")))

    assert len(decoded_sizes) == 1


UPLOAD_KINDS = ("temporary file", "in memory", "plain file")


def upload_as(kind: str, data: bytes, tmp_path: Path):
    """A JPEG as one kind of file process_photo is given (Django keeps uploads up to 2.5 MB in memory)."""
    from django.core.files.uploadedfile import InMemoryUploadedFile, TemporaryUploadedFile

    if kind == "temporary file":
        temporary = TemporaryUploadedFile("foto.jpg", "image/jpeg", len(data), None)
        temporary.write(data)
        temporary.seek(0)
        return temporary
    if kind == "in memory":
        return InMemoryUploadedFile(io.BytesIO(data), "foto", "foto.jpg", "image/jpeg", len(data), None)
    path = tmp_path / "foto.jpg"
    path.write_bytes(data)
    return path.open("rb")


def test_every_kind_of_upload_gives_the_same_renditions(tmp_path):
    # Uploads in memory or in a temporary file are decoded a second time at 1/4 scale for the smaller
    # sizes; a plain file is not, and its smaller sizes are resized down from the larger ones instead.
    data = encode(picture((4000, 3000)), "JPEG", quality=90, exif=exif_with_gps(orientation=6))
    expected = process_photo(io.BytesIO(data))

    for kind in UPLOAD_KINDS:
        with upload_as(kind, data, tmp_path) as fileobj:
            photo = process_photo(fileobj)
        if kind != "plain file":
            assert photo == expected, kind
        assert_same_pictures(photo, expected)


@pytest.mark.parametrize(
    ("stored_size", "decoded_at"),
    [
        ((1600, 1200), [(1600, 1200)]),  # decoded at full scale
        ((2400, 3200), [(1200, 1600)]),  # upright 3200 wide: JPEG draft mode decodes at 1/2 scale
        ((3000, 4000), [(750, 1000), (1500, 2000)]),  # and at 1/4 scale for 960 and 480px
    ],
)
def test_exif_orientation_6_comes_out_upright(stored_size, decoded_at, monkeypatch):
    # A phone held upright stores the sensor's landscape pixels plus "rotate 90° clockwise".
    data = encode(picture(stored_size), "JPEG", exif=exif_with_gps(orientation=6))
    decoded_sizes = spy_on_jpeg_decoding(monkeypatch)

    photo = process_photo(io.BytesIO(data))

    stored_w, stored_h = stored_size
    assert (photo.width, photo.height) == (stored_h, stored_w)
    # Draft mode must account for the rotation: 1600 wide upright is 1600 *tall* as stored.
    assert sorted(decoded_sizes) == decoded_at
    for rendition in webps(photo):  # the share preview is the centre, without the corners
        im = reopen(rendition)
        assert im.width == rendition.width <= stored_h
        assert im.height == round(stored_w * im.width / stored_h)
        assert red_corner(im) == "top-right"  # the stored top-left corner, turned clockwise
    assert_renditions_are_real(photo)


@pytest.mark.parametrize(
    ("orientation", "corner"),
    [(1, "top-left"), (2, "top-right"), (3, "bottom-right"), (4, "bottom-left"), (8, "bottom-left")],
)
def test_other_exif_orientations(orientation, corner):
    data = encode(picture((800, 600)), "JPEG", exif=exif_with_gps(orientation))

    photo = process_photo(io.BytesIO(data))

    for rendition in webps(photo):  # the share preview is the centre, without the corners
        assert red_corner(reopen(rendition)) == corner


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG"])
def test_gps_and_all_other_metadata_are_stripped_from_every_output(fmt):
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="6,53.2S"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    extra = {"comment": b"GPS -6.886806, 109.675861"} if fmt == "JPEG" else {}
    data = encode(
        picture((1700, 1000)), fmt, exif=exif_with_gps(orientation=3), xmp=xmp, icc_profile=srgb, **extra
    )
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the input really has GPS

    photo = process_photo(io.BytesIO(data))

    assert len(photo.renditions) == 4
    for rendition in photo.renditions:
        im = reopen(rendition)
        assert not im.getexif()
        assert not im.getexif().get_ifd(GPS_IFD)
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(im.info)
        assert b"Exif" not in rendition.content and b"EXIF" not in rendition.content
        assert b"GPS" not in rendition.content and b"xmpmeta" not in rendition.content


def test_png_with_transparency_keeps_alpha_in_webp_and_is_white_in_jpeg():
    im = picture((1000, 800), "RGBA")
    im.paste((0, 0, 0, 0), (500, 0, 1000, 800))  # right half fully transparent

    photo = process_photo(io.BytesIO(encode(im, "PNG")))

    for rendition in webps(photo):
        out = reopen(rendition)
        assert out.mode == "RGBA"
        assert out.getpixel((out.width - 5, out.height // 2))[3] == 0
        assert out.getpixel((5, out.height - 5))[3] == 255
    jpeg = reopen(jpegs(photo)[0])
    assert jpeg.mode == "RGB"
    assert min(jpeg.getpixel((jpeg.width - 5, jpeg.height // 2))) > 245  # white, not black


def test_palette_png_with_transparency_keeps_alpha():
    im = picture((600, 400)).convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    im.info["transparency"] = im.getpixel((599, 399))

    photo = process_photo(io.BytesIO(encode(im, "PNG", transparency=im.info["transparency"])))

    assert reopen(webps(photo)[0]).mode == "RGBA"
    assert_renditions_are_real(photo)


@pytest.mark.parametrize(
    ("fmt", "mode", "size", "jpeg_decodes"),
    [
        ("JPEG", "RGB", (800, 600), [(800, 600)]),
        ("PNG", "RGBA", (800, 600), []),
        ("JPEG", "RGB", (2000, 1500), [(1000, 750), (2000, 1500)]),  # 960 and 480px from the smaller
    ],
)
def test_embedded_colour_profile_is_converted_to_srgb(fmt, mode, size, jpeg_decodes, monkeypatch):
    # Phones tag photos with wide-gamut profiles (Display P3); browsers assume sRGB once it is gone.
    im = Image.new(mode, size, (255, 0, 0, 255)[: len(mode)])
    decoded_sizes = spy_on_jpeg_decoding(monkeypatch)

    photo = process_photo(io.BytesIO(encode(im, fmt, icc_profile=RED_BLUE_SWAPPED)))

    assert sorted(decoded_sizes) == jpeg_decodes

    for rendition in photo.renditions:
        out = reopen(rendition)
        assert "icc_profile" not in out.info
        r, g, b = out.convert("RGB").getpixel((out.width // 2, out.height // 2))
        assert b > 200 and r < 50 and g < 50  # "red" in this profile is sRGB blue


def test_broken_colour_profile_is_ignored():
    photo = process_photo(io.BytesIO(encode(picture((800, 600)), "JPEG", icc_profile=b"not a profile")))

    assert red_corner(reopen(photo.renditions[0])) == "top-left"


def test_phone_mpo_jpeg_is_reported_as_jpeg():
    # Many Samsung/iPhone JPEGs carry a second picture (MPO); Pillow opens them as "MPO".
    first, second = picture((1000, 750)), picture((320, 240))
    data = encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(data)).format == "MPO"

    photo = process_photo(io.BytesIO(data))

    assert photo.source_format == "JPEG"
    assert (photo.width, photo.height) == (1000, 750)


def test_cmyk_jpeg_and_16_bit_grey_png_come_out_as_normal_colours():
    cmyk = process_photo(io.BytesIO(encode(picture((700, 500)).convert("CMYK"), "JPEG")))
    assert reopen(cmyk.renditions[0]).mode == "RGB"

    grey16 = Image.new("I;16", (600, 400), 30000)  # mid grey, 16 bits per pixel
    photo = process_photo(io.BytesIO(encode(grey16, "PNG")))
    assert 100 < reopen(photo.renditions[0]).convert("L").getpixel((10, 10)) < 140  # not clipped white


def test_django_upload_with_misleading_name_is_judged_by_content():
    data = encode(picture((900, 600)), "PNG")

    photo = process_photo(upload(data, name="foto.gif", content_type="image/gif"))

    assert photo.source_format == "PNG"


def test_iphone_heic_is_accepted_and_upright():
    # 1200x900 stored, to be turned a quarter (EXIF orientation 6 and the HEIF rotation), with a GPS
    # position; made once with pillow-heif's encoder, which the project does not install (pi-heif
    # only decodes).
    data = (Path(__file__).parent / "data" / "iphone-orientation-6.heic").read_bytes()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)

    photo = process_photo(upload(data, name="IMG_0001.HEIC", content_type="image/heic"))

    assert (photo.source_format, photo.width, photo.height) == ("HEIF", 900, 1200)
    assert [(r.width, r.height, r.format) for r in photo.renditions] == [
        (360, 480, "webp"),
        (720, 960, "webp"),
        (900, 472, "jpeg"),  # the share preview: the centre at 1.91:1
    ]
    for rendition in webps(photo):
        im = reopen(rendition)
        assert red_corner(im) == "top-right"
        assert not im.getexif()
    assert_renditions_are_real(photo)


# --- two threads ---------------------------------------------------------------------------------


def grain(size: tuple[int, int]) -> Image.Image:
    """Noise in every channel: any pixel that came out differently would show."""
    return Image.merge("RGB", [Image.effect_noise(size, sigma) for sigma in (40, 60, 80)])


@pytest.mark.parametrize(
    ("size", "new_size"),
    [
        ((2000, 1500), (1600, 1200)),  # 4000x3000 JPEG decoded at 1/2 scale
        ((2016, 1512), (1600, 1200)),  # 4032x3024 (most 12 MP phones): a scale of 1.26, inexact in binary
        ((1512, 2016), (1200, 1600)),
        ((2311, 1735), (1600, 1201)),  # odd sizes: uneven halves
        ((3, 3), (2, 2)),
        ((5000, 1), (1600, 1)),  # a single row cannot be cut in two: done in one go
        ((1000, 750), (160, 120)),  # reducing_gap box-reduces first: done in one go
    ],
)
def test_resizing_on_two_threads_gives_exactly_the_pixels_of_one_resize(size, new_size):
    im = grain(size)
    expected = im.resize(new_size, images.RESAMPLE, reducing_gap=images._REDUCING_GAP)

    resized = images._resize(im.copy(), new_size)

    assert resized.size == new_size
    assert resized.tobytes() == expected.tobytes()


def test_an_encoder_error_in_the_worker_thread_reaches_the_caller(monkeypatch):
    original_encode, failed_in = images._encode, []
    worker_failed = threading.Event()

    def encode_or_fail(im, fmt):
        if im.width == 1600:  # the worker's first job
            failed_in.append(threading.current_thread())
            worker_failed.set()
            raise OSError("encoder error")
        if im.width == 960:  # the caller's own job: let the worker get to its job first
            worker_failed.wait(10)
        return original_encode(im, fmt)

    monkeypatch.setattr(images, "_encode", encode_or_fail)

    with pytest.raises(OSError, match="encoder error"):
        process_photo(io.BytesIO(encode(picture((2000, 1500)), "JPEG")))
    assert failed_in and failed_in[0] is not threading.current_thread()


def test_a_photo_does_not_wait_while_the_worker_is_busy_with_another(monkeypatch):
    data = encode(picture((2000, 1500)), "JPEG")
    expected = process_photo(io.BytesIO(data))
    decoded_sizes = spy_on_jpeg_decoding(monkeypatch)
    release = threading.Event()
    other_photo = images._worker().submit(release.wait, 30)
    try:
        photo = process_photo(io.BytesIO(data))
        assert not other_photo.done()  # the caller did all the work itself
    finally:
        release.set()
        other_photo.result()

    # ... and no more than it must: the smaller copy the worker would have decoded is not decoded
    # here as well; the smaller sizes come down the chain from the larger ones.
    assert decoded_sizes == [(2000, 1500)]
    assert_same_pictures(photo, expected)
    # The hashes do not depend on which way the smaller sizes were made: an editor is shown the
    # same earlier posts for the same photo, however busy the server was when each was sent.
    assert photo.hashes == expected.hashes


def assert_same_pictures(photo: ProcessedPhoto, expected: ProcessedPhoto) -> None:
    """The same renditions (formats, sizes) showing the same picture, if not to the byte."""
    assert [(r.format, r.width, r.height) for r in photo.renditions] == [
        (r.format, r.width, r.height) for r in expected.renditions
    ]
    for ours, theirs in zip(photo.renditions, expected.renditions, strict=True):
        difference = ImageChops.difference(reopen(ours).convert("RGB"), reopen(theirs).convert("RGB"))
        assert max(ImageStat.Stat(difference).mean) < 4  # of 255


def test_a_failed_smaller_decode_does_not_cost_the_photo(monkeypatch, caplog):
    data = encode(picture((4000, 3000)), "JPEG")
    expected = process_photo(io.BytesIO(data))

    def fails(*args):
        raise MemoryError

    monkeypatch.setattr(images, "_decode_smaller", fails)
    photo = process_photo(io.BytesIO(data))

    assert_same_pictures(photo, expected)
    assert "smaller decode failed" in caplog.text


@pytest.mark.parametrize("size", [(960, 720), (400, 300)])  # the JPEG preview is as big as a WebP
def test_renditions_of_one_size_come_out_as_without_threads(monkeypatch, size):
    # A PNG, not a JPEG: from a JPEG the worker also decodes a smaller copy for the 480 px WebP, used
    # only if the worker began it in time, so that rendition rightly depends on the machine's load
    # (test_a_photo_does_not_wait_while_the_worker_is_busy_with_another) and this test was flaky.
    data = encode(grain(size), "PNG")
    actual = [process_photo(io.BytesIO(data)) for _ in range(10)]

    class RunHere(images._Job):
        def __init__(self, fn, *args):
            self.fn, self.args, self.future = fn, args, Future()
            self.future.set_result(fn(*args))

    monkeypatch.setattr(images, "_Job", RunHere)
    expected = process_photo(io.BytesIO(data))

    assert all(photo == expected for photo in actual)


def test_the_uploaded_file_stays_open_for_the_caller():
    first, second = picture((2000, 1500)), picture((320, 240))
    upload = io.BytesIO(encode(first, "MPO", save_all=True, append_images=[second]))

    process_photo(upload)

    assert not upload.closed
    upload.seek(0)
    assert Image.open(upload).format == "MPO"


def test_a_failed_photo_leaves_no_work_on_the_worker(monkeypatch):
    original_encode, ran = images._encode, []

    def encode_or_fail(im, fmt):
        ran.append((im.width, fmt))
        if (im.width, fmt) == (960, "webp"):  # the caller's own encode
            raise OSError("disk full")
        return original_encode(im, fmt)

    monkeypatch.setattr(images, "_encode", encode_or_fail)
    release = threading.Event()
    busy = images._worker().submit(release.wait, 30)  # the worker is busy: the photo's jobs wait in line
    try:
        with pytest.raises(OSError, match="disk full"):
            process_photo(io.BytesIO(encode(picture((2000, 1500)), "JPEG")))
    finally:
        release.set()
        busy.result()
    images._worker().submit(lambda: None).result()  # whatever was still in line has run by now

    assert ran == [(960, "webp")]


def test_a_forked_child_starts_its_own_worker_thread():
    data = encode(picture((2000, 1500)), "JPEG")
    process_photo(io.BytesIO(data))  # the parent's worker thread is running now
    pid = os.fork()
    if pid == 0:  # child (only the forking thread survives a fork): exit code 0 if all went well
        import signal

        signal.alarm(20)
        photo = process_photo(io.BytesIO(data))
        worker = [t for t in threading.enumerate() if t.name.startswith("process_photo")]
        os._exit(0 if len(photo.renditions) == 4 and worker else 1)

    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


# --- rejected uploads ----------------------------------------------------------------------------


def test_pdf_renamed_to_jpg_is_refused():
    pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

    message = rejected(upload(pdf, name="photo.jpg", content_type="image/jpeg"))

    assert "Format foto tidak didukung" in message


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<rect width="10" height="10"/></svg>',
        encode(picture((200, 100)), "GIF"),
        encode(picture((200, 100)), "BMP"),
        encode(picture((200, 100)), "TIFF"),
        b"Ini bukan foto, hanya teks biasa.\n" * 20,
    ],
    ids=["svg", "gif", "bmp", "tiff", "text"],
)
def test_other_formats_are_refused(data):
    assert "Format foto tidak didukung" in rejected(upload(data, name="foto.jpg"))


@pytest.mark.parametrize("fileobj", [io.BytesIO(b""), upload(b"")], ids=["file", "django-upload"])
def test_empty_file_is_refused(fileobj):
    assert "kosong" in rejected(fileobj)


def test_file_over_the_byte_limit_is_refused():
    data = encode(picture((400, 300)), "PNG")

    message = rejected(data, max_bytes=len(data) - 1)

    assert "terlalu besar" in message and "MB" in message


class HugeUpload(io.BytesIO):
    """An upload that claims 60 MB (as Django's UploadedFile.size would) and must not be read."""

    size = 60 * 1024 * 1024

    def read(self, *args):
        raise AssertionError("a file over the limit must be refused before reading it")


def test_default_limit_uses_size_without_reading_the_file():
    message = rejected(HugeUpload(b"\xff\xd8"))

    assert "Maksimum 20 MB" in message


@pytest.mark.parametrize(
    ("width", "height", "shown_size"),
    [
        (8000, 8000, "(64 megapiksel)"),  # over our 60 MP limit, under Pillow's own warning limit
        (10000, 10000, ""),  # Pillow warns (>89 MP): the warning becomes the rejection
        (20000, 20000, ""),  # Pillow refuses outright (>179 MP)
    ],
)
def test_too_many_pixels_is_refused_from_the_header_without_decoding(width, height, shown_size):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        message = rejected(png_header_only(width, height))

    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]

    assert "Ukuran foto terlalu besar" in message and "Maksimum 60 megapiksel" in message
    assert shown_size in message


def test_photo_at_the_pixel_limit_is_not_refused_for_size():
    # Exactly 60 MP passes the size check; the (garbage) pixel data then fails as corrupt.
    assert "rusak" in rejected(png_header_only(10000, 6000))


def test_very_tall_screenshot_is_refused_instead_of_crashing_the_webp_encoder():
    assert "terlalu tinggi" in rejected(png_header_only(1000, 20000))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_photo_is_refused_as_damaged(fmt):
    data = encode(picture((1600, 1200)), fmt)

    message = rejected(data[: len(data) // 2])

    assert "Foto rusak atau tidak lengkap" in message


@pytest.mark.parametrize("kind", ["in memory", "temporary file"])
def test_truncated_12_megapixel_jpeg_is_refused_as_damaged(kind, tmp_path):
    # Decoded twice (at 1/2 and 1/4 scale, on two threads): the message is the same.
    data = encode(picture((4000, 3000)), "JPEG")

    with upload_as(kind, data[: len(data) // 2], tmp_path) as fileobj:
        message = rejected(fileobj)

    assert "Foto rusak atau tidak lengkap" in message


def test_corrupt_png_is_refused():
    data = bytearray(encode(picture((640, 480)), "PNG"))
    idat = data.index(b"IDAT")
    data[idat + 20 : idat + 60] = b"\x00" * 40

    assert "rusak" in rejected(bytes(data))


def test_truncated_images_are_not_allowed_globally():
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_share_preview_is_the_centre_of_a_portrait_photo():
    im = Image.new("RGB", (1500, 2000), (0, 0, 200))  # blue top and bottom, a red band in the middle
    im.paste((220, 0, 0), (0, 800, 1500, 1200))
    photo = process_photo(upload(encode(im, "JPEG")))

    preview = reopen(jpegs(photo)[0]).convert("RGB")
    assert preview.size == (1200, 630)
    red, _green, blue = preview.getpixel((600, 315))
    assert red > 180 and blue < 60  # the middle of the photo, not its top
