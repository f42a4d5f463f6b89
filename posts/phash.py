"""Perceptual hashes of photos: the same picture re-encoded, resized or slightly cropped gets a hash a
few bits away from the original's, so an editor can be shown where a submitted photo appeared before.

The hash is pHash as the `imagehash` library defines it (grey 32x32, the 8x8 lowest frequencies of its
DCT, one bit per coefficient above their median), in pure Python: numpy and scipy would be ~60 MB of
dependencies for a 32x32 transform. It is made from the largest image the upload pipeline has
already decoded (posts.images), so it costs no decode, and the same upload gets the same hash
however busy the server is.

pHash shifts with cropping (a cut of 3% of each side moves it ~8 bits), so each photo also keeps the
hash of its centre, 4% cut from each side: a copy cropped by up to ~5% lands near the original's
centre hash, and a copy less cropped than the original has its own centre near the original's hash.
`bench/phash.py` measures this on real photos; `MATCH_DISTANCE` is chosen from it.
"""

import math
from operator import mul

from PIL import Image

SIDE = 32  # the DCT's input, as imagehash.phash (hash_size 8, highfreq_factor 4)
LOW = 8  # the 8x8 lowest frequencies: 64 bits
CENTRE_CUT = 0.04  # of each side, for the centre hash
# Measured on 18 real photos (scikit-image's samples): of 108 near copies (up to 5% cut from each
# side, shrunk to 50-100%, JPEG quality 50-85) 92% came within 10 bits (88% within 8, 95% within 12);
# unrelated photos were 20 or more apart. bench/phash.py repeats this on generated pictures.
MATCH_DISTANCE = 10

_COS = [[math.cos(math.pi * u * (2 * x + 1) / (2 * SIDE)) for x in range(SIDE)] for u in range(LOW)]


def photo_hashes(im: Image.Image) -> tuple[int, int]:
    """The hashes of the whole photo and of its centre, as signed 64-bit integers (a bigint column)."""
    grey = im.convert("L")
    w, h = grey.size
    cut_x, cut_y = w * CENTRE_CUT, h * CENTRE_CUT
    centre = (cut_x, cut_y, w - cut_x, h - cut_y)
    return _phash(grey, None), _phash(grey, centre)


def _phash(grey: Image.Image, box: tuple[float, float, float, float] | None) -> int:
    # reducing_gap: box-reduce most of the way first, far cheaper than Lanczos over 480 px.
    pixels = grey.resize((SIDE, SIDE), Image.Resampling.LANCZOS, box=box, reducing_gap=2.0).tobytes()
    rows = [[sum(map(mul, pixels[y * SIDE : (y + 1) * SIDE], cos)) for cos in _COS] for y in range(SIDE)]
    columns = list(zip(*rows, strict=True))
    coefficients = [sum(map(mul, cos, column)) for cos in _COS for column in columns]
    ordered = sorted(coefficients)
    median = (ordered[31] + ordered[32]) / 2
    value = 0
    for coefficient in coefficients:
        value = (value << 1) | (coefficient > median)
    return signed(value)


def signed(value: int) -> int:
    """An unsigned 64-bit value as PostgreSQL's bigint holds it."""
    return value - (1 << 64) if value >= 1 << 63 else value


def distance(a: int, b: int) -> int:
    """How many bits two hashes differ in."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()
