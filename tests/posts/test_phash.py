"""Perceptual hashes: near copies of a photo stay within MATCH_DISTANCE bits, other photos do not."""

import io

from PIL import Image

from posts.images import process_photo
from posts.phash import MATCH_DISTANCE, distance, photo_hashes
from tests.photos import jpeg, near_copy, scene


def nearest(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(distance(x, y) for x in a for y in b)


def test_it_finds_near_copies_and_tells_other_photos_apart():
    for seed in range(1, 6):
        original = process_photo(io.BytesIO(jpeg(scene(seed)))).hashes
        copy = process_photo(io.BytesIO(near_copy(scene(seed)))).hashes
        other = process_photo(io.BytesIO(jpeg(scene(seed + 50)))).hashes

        assert nearest(original, copy) <= MATCH_DISTANCE
        assert nearest(original, other) > 2 * MATCH_DISTANCE


def test_the_stored_rendition_hashes_like_the_upload_for_the_backfill():
    processed = process_photo(io.BytesIO(jpeg(scene(7))))
    smallest = next(r for r in processed.renditions if r.format == "webp")

    from_file = photo_hashes(Image.open(io.BytesIO(smallest.content)))  # as photos_hash_missing does

    assert distance(processed.hashes[0], from_file[0]) <= 2
    assert Image.open(io.BytesIO(smallest.content)).width == 480
