"""The near-duplicate lookup finds every stored hash within MATCH_DISTANCE bits, however the
differing bits fall across its four indexed parts, and nothing farther."""

import random

import pytest

from feed.models import FeedEntry, PhotoHash
from feed.selectors import near_photo_hashes
from posts.phash import MATCH_DISTANCE, signed

STORED = 0x9F3A_5C21_E047_B6D8


def flipped(per_part: tuple[int, int, int, int], seed: int = 0) -> int:
    """STORED with this many bits flipped in each 16-bit part, the first part the highest bits."""
    rng, value = random.Random(seed), STORED
    for part, count in enumerate(per_part):
        for bit in rng.sample(range(16), count):
            value ^= 1 << (48 - 16 * part + bit)
    return signed(value)


@pytest.fixture
def stored(world, publish):
    post = publish(world.community_a, world.member_a, "Banjir rob")
    entry = FeedEntry.objects.get(community=world.community_a, post_id=post.pk)
    return PhotoHash.objects.create(entry=entry, photo_id=1, src="/media/a.webp", phash=signed(STORED))


@pytest.mark.parametrize("per_part", [(0, 0, 0, 0), (2, 3, 3, 2), (1, 3, 3, 3), (4, 3, 3, 0), (0, 4, 4, 2)])
def test_it_finds_every_hash_within_the_distance(stored, per_part):
    assert sum(per_part) <= MATCH_DISTANCE

    [(entry_id, photo_id, src, distance)] = near_photo_hashes([flipped(per_part)])

    assert (entry_id, photo_id, src, distance) == (stored.entry_id, 1, "/media/a.webp", sum(per_part))


@pytest.mark.parametrize("per_part", [(2, 3, 3, 3), (3, 3, 3, 3), (8, 8, 8, 8)])
def test_it_finds_nothing_farther(stored, per_part):
    assert near_photo_hashes([flipped(per_part)]) == []


def test_the_nearest_of_several_query_hashes_counts(stored):
    far, near = flipped((4, 4, 4, 4)), flipped((1, 1, 1, 1), seed=1)

    [(_entry, _photo, _src, distance)] = near_photo_hashes([far, near])

    assert distance == 4
