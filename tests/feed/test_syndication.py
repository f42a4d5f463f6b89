"""RSS/Atom feeds parse, list only published posts, and answer conditional requests with 304."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from feed.models import FeedEntry
from moderation import services

ATOM = "{http://www.w3.org/2005/Atom}"


pytestmark = pytest.mark.usefixtures("no_page_cache")


@pytest.mark.parametrize(
    "url", ["/provinsi/jawa-tengah/rss/", "/kabupaten/kota-pekalongan/rss/", "/tag/batik/rss/"]
)
def test_main_domain_rss_feeds_parse_and_list_published_posts(world, main_client, publish, url):
    publish(world.community_a, world.member_a, "Pameran batik", tags=["batik"])

    response = main_client.get(url)

    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Pameran batik"]
    assert items[0].findtext("link").startswith("http://kratonkidul.kim.localhost/berita/pameran-batik")


@pytest.mark.parametrize(
    "url", ["/provinsi/jawa-tengah/atom/", "/kabupaten/kota-pekalongan/atom/", "/tag/batik/atom/"]
)
def test_main_domain_atom_feeds_parse(world, main_client, publish, url):
    publish(world.community_a, world.member_a, "Pameran batik", tags=["batik"])

    root = ET.fromstring(main_client.get(url).content)

    assert root.tag == f"{ATOM}feed"
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["Pameran batik"]


def test_community_feeds_hold_only_that_community(world, client_for, publish):
    publish(world.community_a, world.member_a, "Kabar A")
    publish(world.community_b, world.member_b, "Kabar B")

    rss = ET.fromstring(client_for(world.community_a).get("/rss/").content)
    atom = ET.fromstring(client_for(world.community_b).get("/atom/").content)

    assert [i.findtext("title") for i in rss.find("channel").findall("item")] == ["Kabar A"]
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == ["Kabar B"]


def test_feeds_answer_304_to_a_reader_that_has_them(world, main_client, publish):
    publish(world.community_a, world.member_a, "Kabar")
    first = main_client.get("/provinsi/jawa-tengah/rss/")

    again = main_client.get("/provinsi/jawa-tengah/rss/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_a_taken_down_post_leaves_the_feeds(world, main_client, publish):
    post = publish(world.community_a, world.member_a, "Kabar keliru", tags=["batik"])
    services.post_take_down(
        community=world.community_a, post_id=post.pk, editor=world.editor_a, reason="Keliru"
    )

    for url in ["/provinsi/jawa-tengah/rss/", "/kabupaten/kota-pekalongan/atom/", "/tag/batik/rss/"]:
        assert b"Kabar keliru" not in main_client.get(url).content, url


def test_unknown_feed_subjects_are_404(world, main_client):
    assert main_client.get("/provinsi/atlantis/rss/").status_code == 404
    assert main_client.get("/kabupaten/atlantis/atom/").status_code == 404


def test_each_host_has_its_own_sitemap_and_robots(world, main_client, client_for, publish):
    post = publish(world.community_a, world.member_a, "Kabar sitemap")
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

    main_urls = [e.text for e in ET.fromstring(main_client.get("/sitemap.xml").content).iter(f"{ns}loc")]
    community_urls = [
        e.text
        for e in ET.fromstring(client_for(world.community_a).get("/sitemap.xml").content).iter(f"{ns}loc")
    ]

    assert "http://kim.localhost/kabupaten/kota-pekalongan/" in main_urls
    assert f"http://kratonkidul.kim.localhost/berita/{post.slug}/" in community_urls
    assert all(u.startswith("http://kratonkidul.kim.localhost/") for u in community_urls)
    robots = client_for(world.community_a).get("/robots.txt").content.decode()
    assert (
        "Sitemap: http://kratonkidul.kim.localhost/sitemap.xml" in robots and "Disallow: /kelola/" in robots
    )


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("/media/kratonkidul/og.jpg", "http://kim.localhost/media/kratonkidul/og.jpg"),  # tenant storage
        ("https://cdn.example.id/kim/og.jpg", "https://cdn.example.id/kim/og.jpg"),  # object storage
    ],
)
def test_a_cover_is_linked_where_its_storage_serves_it(
    world, main_client, client_for, publish, stored, shown
):
    post = publish(world.community_a, world.member_a, "Pameran batik")
    cover = {"id": 1, "caption": "", "width": 1200, "height": 900, "srcset": [], "src": stored, "og": stored}
    FeedEntry.objects.filter(community=world.community_a, post_id=post.pk).update(cover=cover)

    rss = ET.fromstring(main_client.get("/provinsi/jawa-tengah/rss/").content)
    page = client_for(world.community_a).get(f"/berita/{post.slug}/").content.decode()

    assert rss.find("channel/item/enclosure").get("url") == shown
    expected_on_page = shown.replace("//kim.localhost/", "//kratonkidul.kim.localhost/")
    assert f'<meta property="og:image" content="{expected_on_page}">' in page


def test_robots_links_the_sitemap_from_the_settings_not_the_host_header(world):
    # Another spelling of the host (a port, capitals, a trailing dot) reaches the same site ...
    robots = Client(HTTP_HOST="KratonKidul.kim.localhost.:8123").get("/robots.txt").content.decode()
    main_robots = Client(HTTP_HOST="kim.localhost:8123").get("/robots.txt").content.decode()

    # ... but the links it gives out are the portal's own.
    assert "Sitemap: http://kratonkidul.kim.localhost/sitemap.xml\n" in robots
    assert "Sitemap: http://kim.localhost/sitemap.xml\n" in main_robots
