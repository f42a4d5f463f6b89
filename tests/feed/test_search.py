import io
import re

import pytest
from django.core.management import call_command

from communities import services as community_services
from feed import selectors
from feed.fastpath import highlight
from feed.models import FeedEntry, SearchWord
from moderation import services as moderation_services

pytestmark = pytest.mark.usefixtures("no_page_cache")


@pytest.fixture
def corpus(world, publish):
    publish(
        world.community_a,
        world.member_a,
        "Pembangunan jalan desa dimulai",
        category="layanan-publik",
        body="<p>Warga gotong royong membangun jalan baru di RT 02.</p>",
    )
    publish(
        world.community_b,
        world.member_b,
        "Posyandu balita",
        category="kesehatan",
        body="<p>Kader posyandu menimbang balita dan membagikan vitamin.</p>",
        tags=["kesehatan-anak"],
    )


def test_search_stems_indonesian_and_highlights(world, main_client, corpus):
    html = main_client.get("/cari/", {"q": "membangun"}).content.decode()

    assert "Pembangunan jalan desa dimulai" in html and "Posyandu balita" not in html
    assert "<mark>membangun</mark>" in html


def test_search_finds_tags_and_filters_by_regency_and_category(world, main_client, corpus):
    assert "Posyandu balita" in main_client.get("/cari/", {"q": "kesehatan anak"}).content.decode()
    by_regency = main_client.get("/cari/", {"q": "balita", "kabupaten": "kota-pekalongan"}).content.decode()
    assert "Posyandu balita" not in by_regency and "Tidak ada berita yang cocok" in by_regency
    by_category = main_client.get("/cari/", {"q": "balita", "kategori": "kesehatan"}).content.decode()
    assert "Posyandu balita" in by_category


@pytest.mark.parametrize(
    "query",
    ["a & | !", "'; DROP TABLE feed_feedentry; --", "!!!???...", "x" * 5000, "jalan:* & (", "<script>"],
)
def test_hostile_queries_get_a_clear_page(world, main_client, corpus, query):
    response = main_client.get("/cari/", {"q": query})

    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_a_very_long_query_is_cut_with_a_note(world, main_client, corpus):
    html = main_client.get("/cari/", {"q": "balita " * 1000}).content.decode()

    assert "hanya 200 karakter pertama" in html and "Posyandu balita" in html


@pytest.mark.parametrize(
    "filters",
    [{"kabupaten": "atlantis", "kategori": "x"}, {"kabupaten": "kota-semarang/"}, {"kategori": "hoaks"}],
)
def test_unknown_filters_are_ignored_with_a_note(world, main_client, corpus, filters):
    response = main_client.get("/cari/", {"q": "balita", **filters})

    html = response.content.decode()
    assert response.status_code == 200
    assert "tidak dikenali" in html
    assert "Posyandu balita" in html  # the search still runs, without the filter


def test_a_filter_keeps_its_choice_on_the_results_page(world, main_client, corpus):
    html = main_client.get("/cari/", {"q": "balita", "kabupaten": "kota-semarang"}).content.decode()

    assert '<option value="kota-semarang" selected>' in html and "Posyandu balita" in html


def test_search_pages_clamp_their_number(world, main_client, corpus):
    for page in ["-1", "999999", "abc"]:
        assert main_client.get("/cari/", {"q": "balita", "halaman": page}).status_code == 200


def test_a_title_match_ranks_above_a_newer_body_match(world, main_client, publish):
    publish(world.community_a, world.member_a, "Lomba kebersihan kampung", body="<p>Warga menyapu jalan.</p>")
    publish(
        world.community_b, world.member_b, "Rapat warga", body="<p>Rapat membahas kebersihan selokan.</p>"
    )

    html = main_client.get("/cari/", {"q": "kebersihan"}).content.decode()

    assert html.index("Lomba kebersihan kampung") < html.index("Rapat warga")
    assert "<mark>kebersihan</mark> selokan" in html


def test_search_pages_split_the_ranked_results_without_repeats(world, main_client, publish):
    titles = {f"Senam lansia pekan {n}" for n in range(23)}
    for title in sorted(titles):
        publish(world.community_a, world.member_a, title)

    first = main_client.get("/cari/", {"q": "senam lansia"}).content.decode()
    second = main_client.get("/cari/", {"q": "senam lansia", "halaman": "2"}).content.decode()

    def shown(html):
        return set(re.findall(r"Senam lansia pekan \d+", html))

    assert len(shown(first)) == 20 and len(shown(second)) == 3
    assert shown(first) | shown(second) == titles
    assert "halaman=2" in first and "halaman=3" not in second


def test_a_long_post_is_found_by_a_word_far_into_it_and_shows_its_opening(world, main_client, publish):
    filler = "<p>Laporan kegiatan rutin kelompok informasi masyarakat di balai desa.</p>" * 60  # ~4,300 chars
    publish(
        world.community_a,
        world.member_a,
        "Laporan bulanan",
        body=f"<p>Pembukaan laporan oleh ketua.</p>{filler}<p>Penutup: pembagian bibit durian.</p>",
    )

    html = main_client.get("/cari/", {"q": "durian"}).content.decode()

    assert "Laporan bulanan" in html
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html).group(1)
    assert snippet.startswith("Pembukaan laporan") and "<mark>" not in snippet


def test_only_the_rows_shown_are_highlighted(world, publish):
    for n in range(3):
        publish(
            world.community_a, world.member_a, f"Senam lansia pekan {n}", body="<p>Senam pagi di balai.</p>"
        )

    rows = selectors.search("senam", limit=3, snippets=2)  # the third only tells of a next page

    assert ["<mark>" in highlight(row.snippet) for row in rows[:2]] == [True, True]
    assert rows[2].snippet is None


def test_every_affixed_form_finds_the_root_and_the_snippet_marks_the_form_written(
    world, main_client, publish
):
    publish(
        world.community_a,
        world.member_a,
        "Penanaman mangrove di pesisir",
        body="<p>Pelajar menanam bibit mangrove bersama warga.</p>",
    )

    for query in ["tanam", "menanam", "ditanam", "TANAMAN"]:
        html = main_client.get("/cari/", {"q": query}).content.decode()
        assert "Penanaman mangrove di pesisir" in html, query
    assert "<mark>menanam</mark> bibit" in main_client.get("/cari/", {"q": "tanaman"}).content.decode()


def test_hyphenated_and_reduplicated_words_match_every_spelling(world, main_client, publish):
    publish(
        world.community_a, world.member_a, "Gotong royong warga", body="<p>Anak-anak ikut kerja-bakti.</p>"
    )

    for query in ["gotong-royong", "gotong royong", "anak", "kerja bakti", "kerjabakti", "kerja-bakti"]:
        assert "Gotong royong warga" in main_client.get("/cari/", {"q": query}).content.decode(), query


def test_place_names_are_searchable_below_the_title(world, main_client, publish):
    publish(world.community_a, world.member_a, "Normalisasi sungai", body="<p>Lumpur dikeruk.</p>")
    publish(
        world.community_b,
        world.member_b,
        "Sungai bersih",
        body="<p>Kota lain mencontoh.</p>",
        tags=["pekalongan"],
    )
    publish(world.community_b, world.member_b, "Kali Garang", body="<p>Sungai dibersihkan.</p>")

    html = main_client.get("/cari/", {"q": "Pekalongan sungai"}).content.decode()

    assert "Normalisasi sungai" in html and "Sungai bersih" in html and "Kali Garang" not in html
    # A tag (weighed as the title) ranks above a place name.
    assert html.index("Sungai bersih") < html.index("Normalisasi sungai")
    assert "Normalisasi sungai" in main_client.get("/cari/", {"q": "kraton kidul"}).content.decode()
    assert "Kali Garang" in main_client.get("/cari/", {"q": "Balai RW 03 Semarang"}).content.decode()


def test_a_renamed_community_is_found_by_its_new_name(world, main_client, publish):
    publish(world.community_a, world.member_a, "Lomba mewarnai", body="<p>Anak TK ikut lomba.</p>")

    community_services.community_update_profile(
        community=world.community_a, data={"name": "KIM Batik Lestari", "address": "Kelurahan Podosugih"}
    )

    assert "Lomba mewarnai" in main_client.get("/cari/", {"q": "batik lestari"}).content.decode()
    assert "Lomba mewarnai" in main_client.get("/cari/", {"q": "podosugih"}).content.decode()
    assert "Lomba mewarnai" not in main_client.get("/cari/", {"q": "kraton"}).content.decode()


def test_the_reindex_command_rebuilds_entries_of_an_older_stemmer(world, main_client, publish):
    publish(world.community_a, world.member_a, "Pemberdayaan perajin", body="<p>Pelatihan pemasaran.</p>")
    # As entries written before FeedEntry kept its place of activity (from make_post: "Balai RW 03").
    FeedEntry.objects.update(search_vector=None, search_version=0, place_text="", activity_place="")
    SearchWord.objects.all().delete()
    assert "Pemberdayaan perajin" not in main_client.get("/cari/", {"q": "daya"}).content.decode()

    out = io.StringIO()
    call_command("search_reindex", stdout=out)

    assert "1 entries rebuilt" in out.getvalue()
    html = main_client.get("/cari/", {"q": "daya pekalongan"}).content.decode()
    assert "Pemberdayaan perajin" in html and "<mark>Pelatihan</mark>" not in html
    assert "<mark>pemasaran</mark>" in main_client.get("/cari/", {"q": "memasarkan"}).content.decode()
    assert "Pemberdayaan perajin" in main_client.get("/cari/", {"q": "balai rw"}).content.decode()


def test_a_typo_gets_a_correction_from_the_posts_own_words(world, main_client, publish):
    publish(world.community_a, world.member_a, "Posyandu balita", body="<p>Penimbangan dan imunisasi.</p>")

    html = main_client.get("/cari/", {"q": "posyandy imunisai", "kategori": "kegiatan"}).content.decode()

    assert "Tidak ada berita yang cocok" in html
    link = re.search(r'Maksud Anda: <a href="([^"]+)">posyandu imunisasi</a>', html).group(1)
    assert link == "/cari/?q=posyandu+imunisasi&amp;kategori=kegiatan"
    assert "Posyandu balita" in main_client.get(link.replace("&amp;", "&")).content.decode()
    assert "Maksud Anda" not in main_client.get("/cari/", {"q": "posyandu"}).content.decode()


def test_words_of_a_taken_down_post_are_not_suggested(world, main_client, publish):
    post = publish(world.community_a, world.member_a, "Panen durian montong", body="<p>Durian dijual.</p>")
    assert "Maksud Anda" in main_client.get("/cari/", {"q": "duriam"}).content.decode()

    moderation_services.post_take_down(
        community=world.community_a, post_id=post.pk, editor=world.editor_a, reason="Uji"
    )

    assert "Maksud Anda" not in main_client.get("/cari/", {"q": "duriam"}).content.decode()


def test_a_query_naming_a_kabupaten_or_kota_offers_it_as_a_filter(world, main_client, publish):
    publish(world.community_a, world.member_a, "Posyandu balita", body="<p>Di Kraton Kidul.</p>")
    publish(world.community_b, world.member_b, "Posyandu lansia", body="<p>Warga dari Pekalongan ikut.</p>")

    html = main_client.get("/cari/", {"q": "posyandu pekalongan"}).content.decode()

    assert "Posyandu balita" in html and "Posyandu lansia" in html
    assert "Tampilkan hanya Kabupaten Pekalongan" in html
    link = re.search(r'<a class="button" href="([^"]+)">Tampilkan hanya Kota Pekalongan</a>', html).group(1)
    only = main_client.get(link.replace("&amp;", "&")).content.decode()
    assert "Posyandu balita" in only and "Posyandu lansia" not in only
    assert "Tampilkan hanya Kota Pekalongan" not in only  # already applied

    named = main_client.get("/cari/", {"q": "Kab. Pekalongan posyandu"}).content.decode()
    assert "Tampilkan hanya Kabupaten Pekalongan" in named and "Tampilkan hanya Kota Pekalongan" not in named


@pytest.mark.parametrize("query", ["yang dan di", '"', "-", "or", "-batik", "😀🙏", "&&& ||| !!!"])
def test_a_query_with_nothing_to_search_for_says_so(world, main_client, corpus, query):
    response = main_client.get("/cari/", {"q": query})

    html = response.content.decode()
    assert response.status_code == 200
    assert "hanya berisi kata umum atau tanda baca" in html and "Tidak ada berita yang cocok" not in html


def test_operators_quotes_and_scripts_search_as_readers_expect(world, main_client, publish):
    publish(world.community_a, world.member_a, "Bank sampah Kraton", body="<p>Menabung sampah plastik.</p>")
    publish(world.community_b, world.member_b, "Sampah di bank sungai", body="<p>Tumpukan plastik.</p>")
    publish(world.community_a, world.member_a, "Kelas aksara Jawa", body="<p>Menulis ꦲꦤꦕꦫꦏ bersama.</p>")

    def titles(query):
        html = main_client.get("/cari/", {"q": query}).content.decode()
        return {t for t in ["Bank sampah Kraton", "Sampah di bank sungai", "Kelas aksara Jawa"] if t in html}

    assert titles('"bank sampah"') == {"Bank sampah Kraton"}
    assert titles("sampah -sungai") == {"Bank sampah Kraton"}
    assert titles("sungai or aksara") == {"Sampah di bank sungai", "Kelas aksara Jawa"}
    assert titles("ꦲꦤꦕꦫꦏ") == {"Kelas aksara Jawa"}
    assert titles("مسجد 😀 sampah") == set()  # every word is required; the page still answers
    long_query = "sampah plastik " * 140  # 2,100 characters
    html = main_client.get("/cari/", {"q": long_query}).content.decode()
    assert "hanya 200 karakter pertama" in html and "Bank sampah Kraton" in html
