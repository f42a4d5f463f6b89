"""Redis is only a cache: with it killed or hung every page still answers, and sign-in works.

The test starts its own redis-server (never the shared one) and kills, stops and restarts it.
"""

import signal
import time
from collections.abc import Iterator

import pytest
from django.core.cache import caches

from communities.hosts import forget_local_hosts
from kimportal import cache as kim_cache
from tests.conftest import PASSWORD
from tests.servers import REDIS_SERVER, RedisProcess

pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None, reason="needs redis-server: install it with 'apt-get install redis-server'"
)


@pytest.fixture
def redis_cache(settings) -> Iterator[RedisProcess]:
    """The app's caches on a redis-server of this test's own, with a short breaker."""
    server = RedisProcess()
    server.start()
    url = f"redis://127.0.0.1:{server.port}/0"
    options = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
    settings.CACHES = {
        alias: {**config, "BACKEND": "kimportal.cache.RedisCache", "LOCATION": url, "OPTIONS": options}
        for alias, config in settings.CACHES.items()
    }
    settings.SHARED_CACHE = True
    kim_cache.breaker_reset()
    forget_local_hosts()
    original_seconds, kim_cache.BREAKER_SECONDS = kim_cache.BREAKER_SECONDS, 0.5
    yield server
    kim_cache.BREAKER_SECONDS = original_seconds
    kim_cache.breaker_reset()
    server.stop()


def _pages(world, publish, client_for):
    post = publish(world.community_a, world.member_a, "Kabar saat Redis mati")
    return [
        (client_for(), "/"),
        (client_for(), "/komunitas/"),
        (client_for(world.community_a), "/"),
        (client_for(world.community_a), f"/berita/{post.slug}/"),
        (client_for(world.community_a, world.member_a), "/kelola/"),
        (client_for(world.community_a, world.admin_a), "/kelola/komunitas/"),
        (client_for(None, world.editor_a), "/moderasi/"),
        (client_for(), "/akun/masuk/"),
    ]


def test_it_serves_every_kind_of_page_and_signs_in_with_redis_killed(redis_cache, world, publish, client_for):
    pages = _pages(world, publish, client_for)
    for client, url in pages:
        assert client.get(url).status_code == 200, url
    assert redis_cache.keys() > 0  # the cache was in use

    redis_cache.signal(signal.SIGKILL)
    forget_local_hosts()

    for client, url in pages:
        assert client.get(url).status_code == 200, url
    signed_in = client_for()
    response = signed_in.post("/akun/masuk/", {"username": world.member_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "Siti" in signed_in.get("/", HTTP_HOST=world.community_a.host).content.decode()


def test_the_cache_is_used_again_once_redis_is_back(redis_cache, world, client_for):
    redis_cache.signal(signal.SIGKILL)
    assert client_for().get("/").status_code == 200
    assert kim_cache.breaker_open(f"redis://127.0.0.1:{redis_cache.port}/0")

    redis_cache.start()
    time.sleep(kim_cache.BREAKER_SECONDS)
    forget_local_hosts()
    assert client_for(world.community_a).get("/").status_code == 200

    assert redis_cache.keys() > 0


def test_a_hung_redis_costs_one_timeout_not_one_per_request(redis_cache, world, client_for):
    client = client_for(world.community_a)
    assert client.get("/").status_code == 200
    caches["pages"].clear()
    forget_local_hosts()

    redis_cache.signal(signal.SIGSTOP)  # accepts connections, never answers
    kim_cache.BREAKER_SECONDS = 30.0  # stays open for the whole test
    started = time.monotonic()
    for _ in range(10):
        assert client.get("/").status_code == 200
    elapsed = time.monotonic() - started

    # Each request makes at least two cache calls; at 0.5 s each, 10 requests would take 10 s.
    assert elapsed < 2.0
