"""Photo-like pictures for the perceptual hash tests, and the near copy a hoax would repost."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter


def scene(seed: int) -> Image.Image:
    """A 1600x1200 picture that hashes like a photo: a sky, a horizon and many soft shapes."""
    rng = random.Random(seed)
    im = Image.new("RGB", (400, 300), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, rng.randrange(100, 200), 400, 300), fill=tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(60):
        x, y, r = rng.randrange(400), rng.randrange(300), rng.randrange(5, 60)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    return im.filter(ImageFilter.GaussianBlur(2)).resize((1600, 1200), Image.Resampling.BICUBIC)


def jpeg(im: Image.Image, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def near_copy(im: Image.Image) -> bytes:
    """What a hoax reposts: 5% cut from the left and bottom, 2% from the top and right, shrunk to 70%,
    saved again at a lower quality (4 to 8 bits from the original for these scenes)."""
    w, h = im.size
    cropped = im.crop((round(w * 0.05), round(h * 0.02), round(w * 0.98), round(h * 0.95)))
    return jpeg(cropped.resize((round(cropped.width * 0.7), round(cropped.height * 0.7))), quality=60)
