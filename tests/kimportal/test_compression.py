import gzip

import pytest


@pytest.mark.usefixtures("no_page_cache")
def test_a_page_is_compressed_to_a_different_length_each_time(world, main_client):
    """Pages are compressed at zlib level 1 (kimportal/fastpath.py), still padded with a random
    file name, so the length of an answer does not tell what is on it (BREACH)."""
    plain = main_client.get("/").content
    answers = [main_client.get("/", HTTP_ACCEPT_ENCODING="gzip") for _ in range(5)]

    assert all(answer["Content-Encoding"] == "gzip" for answer in answers)
    assert all(gzip.decompress(answer.content) == plain for answer in answers)
    assert len({len(answer.content) for answer in answers}) > 1
    assert all(int(answer["Content-Length"]) == len(answer.content) < len(plain) / 2 for answer in answers)
