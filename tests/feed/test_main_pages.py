"""The main domain's public pages read the published feed: what shows where, and what it costs."""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from communities.hosts import forget_local_hosts
from communities.models import Community, Regency
from feed.models import FeedEntry
from kimportal.pagination import encode_cursor
from moderation import services
from tests.helpers import queries_per_page

pytestmark = pytest.mark.usefixtures("no_page_cache")


def test_the_province_feed_shows_approved_posts_of_every_regency(world, main_client, publish):
    publish(world.community_a, world.member_a, "Pelatihan batik tulis di Kraton Kidul")
    publish(world.community_b, world.member_b, "Posyandu balita Tembalang")

    html = main_client.get("/").content.decode()

    assert "Pelatihan batik tulis di Kraton Kidul" in html and "Posyandu balita Tembalang" in html
    assert "KIM Kraton Kidul" in html and "Kota Semarang" in html


def test_unapproved_posts_are_nowhere_public(world, main_client):
    from tests.factories import make_post

    make_post(world.community_a, world.member_a, title="Masih menunggu editor", submit=True)

    assert "Masih menunggu editor" not in main_client.get("/").content.decode()
    assert "Masih menunggu editor" not in main_client.get("/kabupaten/kota-pekalongan/").content.decode()


def test_a_regency_page_shows_only_its_regency(world, main_client, publish):
    publish(world.community_a, world.member_a, "Pelatihan batik tulis")
    publish(world.community_b, world.member_b, "Posyandu balita")

    response = main_client.get("/kabupaten/kota-pekalongan/")

    html = response.content.decode()
    assert "Pelatihan batik tulis" in html and "Posyandu balita" not in html
    assert "KIM Kraton Kidul" in html  # its communities are listed too
    assert main_client.get("/kabupaten/tidak-ada/").status_code == 404


def test_category_and_tag_pages_span_the_province(world, main_client, publish):
    publish(world.community_a, world.member_a, "Senam sehat lansia", category="kesehatan")
    publish(world.community_b, world.member_b, "Panen raya", category="potensi-desa")

    html = main_client.get("/kategori/kesehatan/").content.decode()
    assert "Senam sehat lansia" in html and "Panen raya" not in html
    assert main_client.get("/kategori/bukan-kategori/").status_code == 404


def test_the_directory_counts_the_communities_of_each_regency(world, main_client):
    html = main_client.get("/komunitas/").content.decode()

    assert '<a href="/kabupaten/kota-pekalongan/komunitas/">Kota Pekalongan</a> · 1 KIM' in html
    assert '<a href="/kabupaten/kota-semarang/komunitas/">Kota Semarang</a> · 1 KIM' in html
    assert "Kabupaten Cilacap" not in html  # no community there yet


def test_the_directory_finds_a_community_by_part_of_its_name(world, main_client):
    found = main_client.get("/komunitas/", {"q": "kraton"}).content.decode()
    nothing = main_client.get("/komunitas/", {"q": "atlantis"}).content.decode()

    assert 'href="http://kratonkidul.kim.localhost/">KIM Kraton Kidul</a>' in found
    assert "KIM Tembalang" not in found
    assert "Tidak ada KIM yang namanya memuat “atlantis”" in nothing


def test_a_regency_page_lists_its_communities_with_their_latest_post(world, main_client, publish):
    publish(world.community_a, world.member_a, "Lomba mewarnai")

    html = main_client.get("/kabupaten/kota-pekalongan/").content.decode()
    communities = html.split('id="komunitas"', 1)[1]

    assert "KIM Kraton Kidul" in communities and "Lomba mewarnai" in communities
    assert "KIM Tembalang" not in communities
    assert '<a href="/kabupaten/kota-pekalongan/komunitas/">Semua KIM di Kota Pekalongan »</a>' in communities


def quiet_communities(regency, count, *, published_days_ago=None):
    """Community rows (no schemas: only listed here) that published `published_days_ago` days ago."""
    now = timezone.now()
    return Community.objects.bulk_create(
        Community(
            name=f"KIM Sepi {n:02d}",
            slug=f"sepi-{n:02d}",
            schema_name=f"kim_sepi_{n:02d}",
            regency=regency,
            last_published_at=now - timedelta(days=published_days_ago(n)) if published_days_ago else None,
        )
        for n in range(count)
    )


def test_a_regency_page_shows_only_the_communities_that_published_last(world, main_client, publish):
    quiet_communities(world.regency_a, 14, published_days_ago=lambda n: n + 1)  # Sepi 00 the newest
    publish(world.community_a, world.member_a, "Kabar paling baru")

    html = main_client.get("/kabupaten/kota-pekalongan/").content.decode()
    communities = html.split('id="komunitas"', 1)[1]

    shown = re.findall(r">(KIM [^<]+)</a><br>", communities)
    assert shown == ["KIM Kraton Kidul"] + [f"KIM Sepi {n:02d}" for n in range(11)]  # twelve, newest first


def test_the_regency_community_list_shows_every_community_by_name(world, main_client, publish):
    quiet_communities(world.regency_a, 2)  # never published anything
    publish(world.community_a, world.member_a, "Kabar Kraton Kidul")

    response = main_client.get("/kabupaten/kota-pekalongan/komunitas/")

    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r">(KIM [^<]+)</a><br>", html) == ["KIM Kraton Kidul", "KIM Sepi 00", "KIM Sepi 01"]
    assert "3 KIM" in html and "KIM Tembalang" not in html
    assert html.count("Belum ada berita.") == 2
    assert f"Terakhir tayang {timezone.localtime().strftime('%-d')} " in html
    assert main_client.get("/kabupaten/tidak-ada/komunitas/").status_code == 404


def test_a_communitys_last_published_time_follows_its_live_posts(
    world, publish, django_capture_on_commit_callbacks
):
    first = publish(world.community_a, world.member_a, "Kabar pertama")
    second = publish(world.community_a, world.member_a, "Kabar kedua")
    entries = {e.post_id: e.published_at for e in FeedEntry.objects.filter(community=world.community_a)}

    def last_published():
        return Community.objects.get(pk=world.community_a.pk).last_published_at

    assert last_published() == entries[second.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.post_take_down(
            community=world.community_a, post_id=second.pk, editor=world.editor_a, reason="Salah foto"
        )
    assert last_published() == entries[first.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.post_take_down(
            community=world.community_a, post_id=first.pk, editor=world.editor_a, reason="Salah foto"
        )
    assert last_published() is None
    assert Community.objects.get(pk=world.community_b.pk).last_published_at is None


def test_keyset_pages_walk_the_whole_feed_without_repeats(world, main_client, publish):
    titles = {f"Kabar nomor {n}" for n in range(25)}
    for title in sorted(titles):
        publish(world.community_a, world.member_a, title)

    first = main_client.get("/")
    assert first.status_code == 200
    seen = [e.title for e in first.context["page"].items]
    cursor = first.context["page"].next_cursor
    publish(world.community_b, world.member_b, "Kabar yang datang belakangan")  # arrives while paging
    second = main_client.get("/", {"halaman": cursor})

    seen += [e.title for e in second.context["page"].items]
    assert len(seen) == len(set(seen)) == 25 and set(seen) == titles
    assert second.context["page"].next_cursor is None


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "' OR 1=1 --", "1700000000000000.", "-1.5", "\u00b2.3", "9" * 18 + ".1", "1." + "9" * 5000],
)
def test_a_tampered_cursor_gets_a_clear_page(world, main_client, cursor):
    response = main_client.get("/", {"halaman": cursor})

    assert response.status_code == 400
    assert "Halaman tidak valid" in response.content.decode()


@pytest.mark.parametrize("page", ["-1", "999999", "abc"])
def test_page_numbers_show_the_first_page(world, main_client, publish, page):
    publish(world.community_a, world.member_a, "Kabar terbaru")

    response = main_client.get("/", {"page": page})  # lists page by cursor; a page number means nothing

    assert response.status_code == 200
    assert [e.title for e in response.context["page"].items] == ["Kabar terbaru"]


def test_list_pages_run_a_fixed_number_of_queries(world, main_client, publish, django_assert_num_queries):
    publish(world.community_a, world.member_a, "Satu")

    urls = [
        "/",
        "/kabupaten/kota-pekalongan/",
        "/kabupaten/kota-pekalongan/komunitas/",
        "/kategori/kegiatan/",
        "/komunitas/",
        "/tag/warga/",
    ]

    def forget_hosts():
        caches["hosts"].clear()
        forget_local_hosts()

    def counts():
        return queries_per_page(main_client, urls, before_each=forget_hosts)

    counts()  # warm: the host lookup and the regions are cached from here on
    few = counts()
    for n in range(6):
        publish(world.community_a, world.member_a, f"Kabar {n}", tags=["warga"])
        publish(world.community_b, world.member_b, f"Berita {n}")
    assert counts() == few
    assert few == {
        "/": 1,  # the first page and the editors' picks in one query
        "/kabupaten/kota-pekalongan/": 2,
        "/kabupaten/kota-pekalongan/komunitas/": 1,
        "/kategori/kegiatan/": 1,
        "/komunitas/": 1,
        "/tag/warga/": 1,
    }


def test_featured_posts_lead_the_province_feed(world, main_client, publish):
    post = publish(world.community_a, world.member_a, "Festival batik pilihan")
    FeedEntry.objects.filter(post_id=post.pk, community=world.community_a).update(featured=True)

    response = main_client.get("/")

    assert [e.title for e in response.context["featured"]] == ["Festival batik pilihan"]
    assert "Pilihan redaksi" in response.content.decode()


def test_the_three_newest_picks_lead_the_first_page_only(world, main_client, publish):
    titles = ["Pilihan satu", "Pilihan dua", "Pilihan tiga", "Pilihan empat"]
    for title in titles:
        publish(world.community_a, world.member_a, title)
    publish(world.community_b, world.member_b, "Bukan pilihan")
    FeedEntry.objects.filter(title__in=titles).update(featured=True)
    newest = FeedEntry.objects.latest("published_at", "pk")

    first = main_client.get("/")
    later = main_client.get("/", {"halaman": encode_cursor(newest.published_at, newest.pk)})

    assert [e.title for e in first.context["featured"]] == ["Pilihan empat", "Pilihan tiga", "Pilihan dua"]
    listed = ["Bukan pilihan", "Pilihan empat", "Pilihan tiga", "Pilihan dua", "Pilihan satu"]
    assert [e.title for e in first.context["page"].items] == listed  # the picks are listed once, in place
    assert later.status_code == 200 and later.context["featured"] == []
    assert "Pilihan redaksi" not in later.content.decode()


def test_a_taken_down_post_leaves_every_main_page(world, main_client, publish):
    post = publish(world.community_a, world.member_a, "Kabar yang ternyata hoaks", category="kesehatan")
    services.post_take_down(
        community=world.community_a, post_id=post.pk, editor=world.editor_a, reason="Hoaks"
    )

    for url in ["/", "/kabupaten/kota-pekalongan/", "/kategori/kesehatan/", "/komunitas/", "/cari/?q=hoaks"]:
        assert "Kabar yang ternyata hoaks" not in main_client.get(url).content.decode(), url


def test_keyset_pages_hold_posts_published_at_the_same_moment(world, main_client, publish):
    titles = {f"Kabar serentak {n}" for n in range(25)}
    for title in sorted(titles):
        publish(world.community_a, world.member_a, title)
    FeedEntry.objects.update(published_at=timezone.now())

    first = main_client.get("/")
    second = main_client.get("/", {"halaman": first.context["page"].next_cursor})

    seen = [e.title for e in first.context["page"].items + second.context["page"].items]
    assert len(seen) == len(set(seen)) == 25 and set(seen) == titles


def test_cards_speak_the_readers_language(world, main_client, client_for, publish):
    publish(world.community_a, world.member_a, "Posyandu keliling", category="kesehatan")

    indonesian = main_client.get("/").content.decode()
    english = client_for(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()

    assert ">Kesehatan</a>" in indonesian and ">Health</a>" not in indonesian
    assert ">Health</a>" in english and ">Kesehatan</a>" not in english
    assert ">Pekalongan City</a>" in english and ">Kota Pekalongan</a>" in indonesian


def test_a_kabupaten_added_since_the_regions_were_read_still_shows(world, main_client, publish):
    publish(world.community_a, world.member_a, "Kabar dari kabupaten baru")
    main_client.get("/")  # the regions are now kept in this process
    new = Regency.objects.create(
        code="33.99", province=world.province, kind=Regency.Kind.KABUPATEN, name="Uji Coba", slug="uji-coba"
    )
    FeedEntry.objects.filter(community=world.community_a).update(regency=new)

    response = main_client.get("/")

    assert response.status_code == 200
    assert (
        '<a href="http://kim.localhost/kabupaten/uji-coba/">Kabupaten Uji Coba</a>'
        in response.content.decode()
    )


@pytest.mark.parametrize(
    ("on_community", "path", "status"),
    [
        (False, "/komunitas/?q=ba%00tik", 200),
        (False, "/tag/%00/", 404),
        (False, "/tag/a%00b/rss/", 404),
        (False, "/undangan/%00/", 404),
        (True, "/tag/%00/", 404),
    ],
)
def test_a_nul_byte_in_the_address_is_no_server_error(
    world, main_client, client_for, on_community, path, status
):
    client = client_for(world.community_a) if on_community else main_client

    assert client.get(path).status_code == status


def test_tag_pages_still_take_tags_in_any_script(world, main_client, publish):
    publish(world.community_a, world.member_a, "Festival budaya", tags=["Kué Lapis", "巴迪克"])

    assert "Festival budaya" in main_client.get("/tag/kué-lapis/").content.decode()
    assert "Festival budaya" in main_client.get("/tag/巴迪克/").content.decode()


def test_the_canonical_address_names_the_page_not_the_query_string(world, main_client, client_for, publish):
    for n in range(21):
        publish(world.community_a, world.member_a, f"Kabar {n}")
    cursor = main_client.get("/").context["page"].next_cursor

    spam = main_client.get("/", {"q": "beli-obat-murah", "utm_source": "7"}).content.decode()
    second = main_client.get("/", {"halaman": cursor, "q": "x"}).content.decode()
    about = client_for(world.community_a).get("/tentang/").content.decode()

    assert '<link rel="canonical" href="http://kim.localhost/">' in spam
    assert '<meta property="og:url" content="http://kim.localhost/">' in spam
    assert f'<link rel="canonical" href="http://kim.localhost/?halaman={cursor}">' in second
    assert '<link rel="canonical" href="http://kratonkidul.kim.localhost/tentang/">' in about


def test_english_pages_and_feeds_say_they_are_english(world, main_client):
    main_client.cookies["django_language"] = "en"

    page = main_client.get("/").content.decode()
    rss = main_client.get("/provinsi/jawa-tengah/rss/").content.decode()

    assert '<meta property="og:locale" content="en_US">' in page
    assert "<language>en</language>" in rss
