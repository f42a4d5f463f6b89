"""PostgreSQL stopped: cached anonymous pages are served stale, the rest answer a friendly 503, a form
sent meanwhile comes back with its text, readiness fails; once it is back, everything recovers.

Runs the portal under gunicorn on a private PostgreSQL and redis-server that the test stops itself.
"""

import json
import subprocess
import sys
import time

import pytest
import redis as redis_py

from tests.servers import (
    COMMUNITY_HOST,
    MEMBER,
    POST_SLUG,
    REDIS_SERVER,
    ROOT,
    Browser,
    Gunicorn,
    PostgresProcess,
    RedisProcess,
    portal_env,
    prepare_database,
)

pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None, reason="needs redis-server: install it with 'apt-get install redis-server'"
)
MAIN = "kim.localhost"
CACHED = [(MAIN, "/"), (COMMUNITY_HOST, "/"), (COMMUNITY_HOST, f"/berita/{POST_SLUG}/")]


@pytest.fixture(scope="module")
def outage():
    postgres, redis = PostgresProcess(), RedisProcess()
    portal = None
    try:
        postgres.start()
        redis.start()
        env = portal_env(postgres.url, redis.url)
        prepare_database(env)
        portal = Gunicorn(env)
        portal.start()
        yield postgres, redis, portal
    finally:
        if portal:
            portal.stop()
        redis.stop()
        postgres.remove()


def _wait_for(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def test_it_keeps_serving_what_it_can_while_postgresql_is_stopped(outage):
    postgres, redis, portal = outage
    reader, member = Browser(portal.port), Browser(portal.port)
    for host, path in CACHED:
        assert reader.get(host, path).status == 200, path
    member.sign_in(MEMBER)
    assert member.get(COMMUNITY_HOST, "/kelola/").status == 200
    assert json.loads(reader.get(MAIN, "/readyz").text)["database"] == "ok"

    postgres.stop()
    # The copies of the hosts' page versions expire after a minute: without them a page's version
    # cannot be checked.
    client = redis_py.Redis(port=redis.port)
    client.delete(*client.keys("*version:*"))

    for host, path in CACHED:
        response = reader.get(host, path)
        assert response.status == 200, path
        assert response.headers["X-Served-Stale"] == "database unavailable"
    assert "Kabar uji gangguan" in reader.get(COMMUNITY_HOST, f"/berita/{POST_SLUG}/").text

    not_cached = reader.get(MAIN, "/komunitas/")
    assert not_cached.status == 503
    assert not_cached.headers["Retry-After"] == "30"
    assert "Sedang ada gangguan" in not_cached.text
    assert member.get(COMMUNITY_HOST, "/kelola/").status == 503

    sent = member.post(
        COMMUNITY_HOST,
        "/kelola/tulisan/baru/",
        {
            "title": "Posyandu balita bulan Desember",
            "body": "<p>Jadwal posyandu di balai RW 05.</p>",
            "action": "save",
        },
    )
    assert sent.status == 503
    assert "belum tersimpan" in sent.text
    assert "Posyandu balita bulan Desember</textarea>" in sent.text
    assert "&lt;p&gt;Jadwal posyandu di balai RW 05.&lt;/p&gt;</textarea>" in sent.text

    assert reader.get(MAIN, "/healthz").status == 200  # alive: a restart would not help
    readiness = reader.get(MAIN, "/readyz")
    assert readiness.status == 503
    assert json.loads(readiness.text) == {"database": "unavailable", "cache": "ok", "jobs": "unknown"}

    postgres.restart()

    assert _wait_for(lambda: reader.get(MAIN, "/readyz").status == 200)
    assert member.get(COMMUNITY_HOST, "/kelola/").status == 200  # still signed in
    assert reader.get(MAIN, "/komunitas/").status == 200
    fresh = reader.get(COMMUNITY_HOST, f"/berita/{POST_SLUG}/")
    assert fresh.status == 200 and "X-Served-Stale" not in fresh.headers


TAKE_DOWN = f"""
import django; django.setup()
from communities.models import Community
from moderation import services
from posts.models import Post
from django_tenants.utils import tenant_context
community = Community.objects.get(slug="kratonkidul")
with tenant_context(community):
    post = Post.objects.get(slug="{POST_SLUG}")
services.post_take_down(community=community, post_id=post.pk, editor=None, reason="Data pribadi")
"""


def test_a_page_taken_down_before_the_outage_is_not_served_stale(outage):
    postgres, redis, portal = outage
    reader = Browser(portal.port)
    assert reader.get(COMMUNITY_HOST, f"/berita/{POST_SLUG}/").status == 200  # cached
    subprocess.run([sys.executable, "-c", TAKE_DOWN], cwd=ROOT, env=portal.env, check=True)
    assert reader.get(COMMUNITY_HOST, f"/berita/{POST_SLUG}/").status == 404
    assert reader.get(COMMUNITY_HOST, "/").status == 200  # cached again, without the post

    postgres.stop()
    try:
        client = redis_py.Redis(port=redis.port)
        client.delete(*client.keys("*version:*"))

        assert reader.get(COMMUNITY_HOST, f"/berita/{POST_SLUG}/").status == 503
        home = reader.get(COMMUNITY_HOST, "/")
        assert home.status == 200 and home.headers["X-Served-Stale"] == "database unavailable"
        assert "Kabar uji gangguan" not in home.text
    finally:
        postgres.restart()
