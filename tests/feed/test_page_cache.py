"""Anonymous pages are cached per host and dropped the moment what they show changes."""

import gzip
import warnings

from django.core.cache import caches
from django.core.cache.backends.base import CacheKeyWarning
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import PageVersion
from moderation import services


def test_a_cached_page_costs_one_query_its_version(world, main_client, client_for):
    main_client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert main_client.get("/").status_code == 200
    assert [q["sql"] for q in ctx.captured_queries if "communities_pageversion" not in q["sql"]] == []
    assert len(ctx.captured_queries) == 1


def test_unknown_query_parameters_are_not_cached(world, main_client):
    main_client.get("/", {"utm_source": "wa"})
    with CaptureQueriesContext(connection) as ctx:
        main_client.get("/", {"utm_source": "wa"})
    assert any("feed_feedentry" in q["sql"] for q in ctx.captured_queries)  # built again


def test_links_never_come_from_the_requests_host_header(world, main_client):
    html = main_client.get("/", HTTP_HOST="kim.localhost:1").content.decode()
    cached = main_client.get("/").content.decode()

    assert "kim.localhost:1" not in html and "kim.localhost:1" not in cached


def test_publishing_drops_the_cached_pages_of_its_hosts(world, main_client, client_for, publish):
    community_client = client_for(world.community_a)
    main_client.get("/")
    community_client.get("/")

    publish(world.community_a, world.member_a, "Kabar segar")

    assert "Kabar segar" in main_client.get("/").content.decode()
    assert "Kabar segar" in community_client.get("/").content.decode()


def test_a_take_down_is_seen_at_once_despite_the_cache(
    world, main_client, client_for, publish, django_capture_on_commit_callbacks
):
    post = publish(world.community_a, world.member_a, "Kabar keliru")
    community_client = client_for(world.community_a)
    assert "Kabar keliru" in main_client.get("/").content.decode()
    assert community_client.get(f"/berita/{post.slug}/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        services.post_take_down(
            community=world.community_a, post_id=post.pk, editor=world.editor_a, reason="Keliru"
        )

    assert "Kabar keliru" not in main_client.get("/").content.decode()
    assert community_client.get(f"/berita/{post.slug}/").status_code == 404


def test_pages_are_cached_per_host(world, client_for, publish):
    publish(world.community_a, world.member_a, "Hanya di Kraton Kidul")
    client_for(world.community_a).get("/")

    assert "Hanya di Kraton Kidul" not in client_for(world.community_b).get("/").content.decode()


def test_signed_in_readers_are_not_served_cached_pages(world, main_client, client_for):
    main_client.get("/")  # cache the anonymous version

    html = client_for(user=world.member_a).get("/").content.decode()

    assert "Siti" in html


def test_the_language_switch_is_a_plain_link(world, main_client):
    response = main_client.get("/bahasa/en/?next=/komunitas/")

    assert response.status_code == 302 and response["Location"] == "/komunitas/"
    assert response.cookies["django_language"]["domain"] == ".kim.localhost"
    assert "Sign in" in main_client.get("/komunitas/").content.decode()
    assert main_client.get("/bahasa/xx/").status_code == 404
    assert main_client.get("/bahasa/en/?next=https://evil.example.com/")["Location"] == "/"


def test_with_a_shared_cache_a_take_down_drops_the_version_copy(
    world, main_client, client_for, settings, publish, django_capture_on_commit_callbacks
):
    settings.SHARED_CACHE = True  # as with Redis: the version is read from the cache, not the database
    post = publish(world.community_a, world.member_a, "Kabar keliru")
    assert "Kabar keliru" in main_client.get("/").content.decode()
    with CaptureQueriesContext(connection) as ctx:
        main_client.get("/")
    assert len(ctx.captured_queries) == 0

    with django_capture_on_commit_callbacks(execute=True):
        services.post_take_down(
            community=world.community_a, post_id=post.pk, editor=world.editor_a, reason="Keliru"
        )

    assert "Kabar keliru" not in main_client.get("/").content.decode()


def test_a_cached_page_keeps_every_header_and_skips_the_rest_of_the_stack(
    world, client_for, settings, publish
):
    settings.SHARED_CACHE = True
    publish(world.community_a, world.member_a, "Kabar tersimpan")
    client = client_for(world.community_a)
    first = client.get("/")

    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/")

    assert len(ctx.captured_queries) == 0
    assert again.content == first.content and "Kabar tersimpan" in again.content.decode()
    for header in ("Content-Type", "Content-Language", "Vary", "X-Frame-Options", "ETag"):
        assert again[header] == first[header]


def test_pages_are_compressed_for_readers_who_accept_it(world, main_client):
    plain = main_client.get("/").content
    fresh = main_client.get("/komunitas/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    cached = main_client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert fresh["Content-Encoding"] == "gzip" and "Accept-Encoding" in fresh["Vary"]
    assert b"<html" in gzip.decompress(fresh.content)
    assert cached["Content-Encoding"] == "gzip" and "Accept-Encoding" in cached["Vary"]
    assert int(cached["Content-Length"]) == len(cached.content) < len(plain) / 2
    assert gzip.decompress(cached.content) == plain


def test_a_reader_who_has_the_cached_page_gets_not_modified(world, main_client):
    etag = main_client.get("/")["ETag"]

    assert main_client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    compressed = main_client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert compressed["ETag"] == f"W/{etag}"
    assert main_client.get("/", HTTP_IF_NONE_MATCH=compressed["ETag"]).status_code == 304


def test_each_language_has_its_own_cached_page(world, main_client, client_for):
    assert "Masuk" in main_client.get("/").content.decode()

    english = client_for(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/")
    main_client.cookies["django_language"] = "en"
    by_cookie = main_client.get("/")

    assert english["Content-Language"] == "en" and "Sign in" in english.content.decode()
    assert by_cookie["Content-Language"] == "en" and "Sign in" in by_cookie.content.decode()


def test_a_removed_domain_stops_serving_its_cached_pages(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    settings.SHARED_CACHE = True
    client = client_for(world.community_a)
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # now from the cache

    with django_capture_on_commit_callbacks(execute=True):
        world.community_a.domains.all().delete()

    assert client.get("/").status_code == 404


def test_only_public_pages_are_looked_up_in_the_cache(world, main_client, settings, monkeypatch):
    settings.SHARED_CACHE = True
    lookups = []
    pages = caches["pages"]
    real_get_many = pages.get_many
    monkeypatch.setattr(pages, "get_many", lambda keys: lookups.append(keys) or real_get_many(keys))

    main_client.get("/healthz")
    main_client.get("/akun/masuk/")
    assert lookups == []
    main_client.get("/komunitas/")
    assert len(lookups) == 1


def test_a_head_request_gets_the_cached_pages_headers(world, main_client):
    first = main_client.get("/")

    head = main_client.head("/")

    assert head.status_code == 200 and head["ETag"] == first["ETag"]
    assert head["Content-Type"] == first["Content-Type"]


def test_a_host_given_to_another_community_never_shows_the_old_ones_pages(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    settings.SHARED_CACHE = True
    # Both communities at the same version number: only the schema tells their pages apart.
    for community in (world.community_a, world.community_b):
        PageVersion.objects.update_or_create(schema_name=community.schema_name, defaults={"version": 7})
    client = client_for(world.community_a)
    assert "Kraton Kidul" in client.get("/tentang/").content.decode()  # cached for Kraton Kidul

    with django_capture_on_commit_callbacks(execute=True):
        domain = world.community_a.domains.get(domain=world.community_a.host)
        domain.tenant = world.community_b
        domain.is_primary = False
        domain.save()
    client.get("/")  # the host's version copy is filled again, now from Tembalang's schema

    about = client.get("/tentang/").content.decode()
    assert "Kraton Kidul" not in about and "Tembalang" in about


def test_a_host_spelled_with_a_trailing_dot_is_the_same_host(world, main_client, settings):
    settings.SHARED_CACHE = True
    main_client.get("/")

    with CaptureQueriesContext(connection) as ctx:
        dotted = main_client.get("/", HTTP_HOST="kim.localhost.")

    assert dotted.status_code == 200 and len(ctx.captured_queries) == 0


def test_a_feed_reader_polling_by_date_gets_not_modified(world, main_client, publish):
    publish(world.community_a, world.member_a, "Kabar untuk pembaca RSS")
    first = main_client.get("/provinsi/jawa-tengah/rss/")
    assert main_client.get("/provinsi/jawa-tengah/rss/").status_code == 200  # from the cache

    again = main_client.get("/provinsi/jawa-tengah/rss/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


def test_a_cached_feed_never_carries_a_visitors_host(world, main_client, publish):
    publish(world.community_a, world.member_a, "Kabar dengan tautan")
    planted = main_client.get("/provinsi/jawa-tengah/rss/", HTTP_HOST="kim.localhost:1").content.decode()
    main_client.get("/provinsi/jawa-tengah/atom/", HTTP_HOST="kim.localhost:1")  # cached from that visit
    cached = main_client.get("/provinsi/jawa-tengah/atom/").content.decode()

    assert "kim.localhost:1" not in planted and "kim.localhost:1" not in cached
    assert "<link>http://kim.localhost/provinsi/jawa-tengah/</link>" in planted


def test_a_search_with_a_long_query_is_cached_too(world, main_client, settings):
    settings.SHARED_CACHE = True
    query = {"q": "posyandu balita kelurahan " * 20}
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)  # a key too long for caches fails loudly
        assert main_client.get("/cari/", query).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            assert main_client.get("/cari/", query).status_code == 200

    assert len(ctx.captured_queries) == 0
