"""A community's public site: home, post page, tags, categories, about, gallery; never another's content."""

import json
import re

import pytest
from django.db import connection

from feed.models import FeedEntry
from moderation import services
from posts.models import Post
from tests.helpers import queries_per_page

pytestmark = pytest.mark.usefixtures("no_page_cache")


def test_the_community_home_lists_only_its_own_published_posts(world, client_for, publish):
    publish(world.community_a, world.member_a, "Bazar UMKM Kraton Kidul")
    publish(world.community_b, world.member_b, "Kerja bakti Tembalang")

    html = client_for(world.community_a).get("/").content.decode()

    assert "Bazar UMKM Kraton Kidul" in html and "Kerja bakti Tembalang" not in html
    assert "KIM Kraton Kidul" in html and "Kota Pekalongan" in html


def test_the_post_page_shows_the_approved_version_with_sharing_tags(world, client_for, publish):
    post = publish(
        world.community_a,
        world.member_a,
        "Bazar UMKM Kraton Kidul",
        tags=["umkm", "batik"],
        category="potensi-desa",
    )

    response = client_for(world.community_a).get(f"/berita/{post.slug}/")

    assert response.status_code == 200
    html = response.content.decode()
    url = f"http://kratonkidul.kim.localhost/berita/{post.slug}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta property="og:title" content="Bazar UMKM Kraton Kidul">' in html
    assert '<meta property="og:type" content="article">' in html
    assert 'name="twitter:card"' in html
    assert "https://wa.me/?text=" in html and "https://www.facebook.com/sharer/sharer.php?u=" in html
    assert 'href="/tag/umkm/"' in html and "Balai RW 03" in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "NewsArticle" and data["headline"] == "Bazar UMKM Kraton Kidul"
    assert data["mainEntityOfPage"] == url


def test_another_communitys_post_is_404_on_the_wrong_subdomain(world, client_for, publish):
    post = publish(world.community_b, world.member_b, "Kerja bakti Tembalang")

    response = client_for(world.community_a).get(f"/berita/{post.slug}/")

    assert response.status_code == 404
    assert "Kerja bakti Tembalang" not in response.content.decode()


def test_each_community_shows_its_own_post_where_post_ids_repeat(world, client_for, publish):
    post_a = publish(
        world.community_a, world.member_a, "Posyandu Kraton Kidul", body="<p>Isi dari Kraton Kidul.</p>"
    )
    # Each schema numbers its own posts; rolled-back tests leave the two counters apart, so line
    # community B's up with A's (sequences are not transactional).
    with connection.cursor() as cursor:
        table = f"{world.community_b.schema_name}.{Post._meta.db_table}"
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, post_a.pk])
    post_b = publish(
        world.community_b, world.member_b, "Kerja bakti Tembalang", body="<p>Isi dari Tembalang.</p>"
    )
    assert post_a.pk == post_b.pk

    html_a = client_for(world.community_a).get(f"/berita/{post_a.slug}/").content.decode()
    html_b = client_for(world.community_b).get(f"/berita/{post_b.slug}/").content.decode()

    assert "Isi dari Kraton Kidul." in html_a and "Tembalang" not in html_a
    assert "Isi dari Tembalang." in html_b and "Kraton Kidul" not in html_b


def test_an_unpublished_post_has_no_public_page(world, client_for):
    from tests.factories import make_post

    post = make_post(world.community_a, world.member_a, title="Masih draf")

    assert client_for(world.community_a).get(f"/berita/{post.slug}/").status_code == 404


def test_tag_category_about_and_gallery_pages(world, client_for, publish):
    publish(world.community_a, world.member_a, "Senam pagi", tags=["sehat"], category="kesehatan")
    publish(world.community_a, world.member_a, "Pentas budaya", category="budaya")
    client = client_for(world.community_a)

    tag_html = client.get("/tag/sehat/").content.decode()
    assert "Senam pagi" in tag_html and "Pentas budaya" not in tag_html
    category_html = client.get("/kategori/budaya/").content.decode()
    assert "Pentas budaya" in category_html and "Senam pagi" not in category_html
    assert client.get("/tentang/").status_code == 200
    assert client.get("/galeri/").status_code == 200
    assert client.get("/tag/ümlaut-ç/").status_code == 200  # Unicode tag slugs are just empty pages


def test_an_edit_keeps_the_old_version_public_until_approved(world, client_for, publish):
    from django_tenants.utils import tenant_context

    from moderation.models import Submission

    post = publish(world.community_a, world.member_a, "Judul lama")
    with tenant_context(world.community_a):
        Post.objects.filter(pk=post.pk).update(title="Judul baru", status="draft")
        services.post_submit(post=Post.objects.get(pk=post.pk), actor=world.member_a)
    client = client_for(world.community_a)

    assert "Judul lama" in client.get(f"/berita/{post.slug}/").content.decode()
    pending = Submission.objects.get(post_id=post.pk, community=world.community_a, state="pending")
    services.submission_approve(submission_id=pending.pk, editor=world.editor_a)
    html = client.get(f"/berita/{post.slug}/").content.decode()
    assert "Judul baru" in html and "Judul lama" not in html


def test_community_pages_run_a_fixed_number_of_queries(world, client_for, publish):
    first = publish(world.community_a, world.member_a, "Pertama", tags=["a"])
    client = client_for(world.community_a)

    def counts():
        return queries_per_page(client, ["/", f"/berita/{first.slug}/", "/tag/a/", "/galeri/", "/rss/"])

    counts()  # warm: the host lookup is cached from here on
    few = counts()
    for n in range(6):
        publish(world.community_a, world.member_a, f"Kabar {n}", tags=["a", f"t{n}"])
    assert counts() == few
    assert few == {"/": 1, f"/berita/{first.slug}/": 1, "/tag/a/": 1, "/galeri/": 1, "/rss/": 1}


def test_a_taken_down_post_vanishes_from_the_community_site(world, client_for, publish):
    post = publish(world.community_a, world.member_a, "Kabar keliru", tags=["x"])
    services.post_take_down(
        community=world.community_a, post_id=post.pk, editor=world.editor_a, reason="Keliru"
    )
    client = client_for(world.community_a)

    assert client.get(f"/berita/{post.slug}/").status_code == 404
    for url in ["/", "/tag/x/", "/galeri/", "/rss/", "/atom/", "/sitemap.xml"]:
        assert "Kabar keliru" not in client.get(url).content.decode(), url


def test_the_preview_image_is_announced_at_its_own_size(world, client_for, publish):
    post = publish(world.community_a, world.member_a, "Foto ponsel 12 MP")
    cover = {
        "id": 1,
        "caption": "",
        "width": 4000,
        "height": 3000,
        "srcset": [],
        "src": "/m/a.webp",
        "og": "/m/og.jpg",
    }
    FeedEntry.objects.filter(community=world.community_a, post_id=post.pk).update(cover=cover)

    page = client_for(world.community_a).get(f"/berita/{post.slug}/").content.decode()

    # og.jpg is the photo's centre at 1200x630 (1.91:1), not the 4000x3000 the phone took.
    assert (
        '<meta property="og:image:width" content="1200"><meta property="og:image:height" content="630">'
        in page
    )
