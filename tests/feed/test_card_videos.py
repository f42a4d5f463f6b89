"""A card says when its post has a video, on every list of posts, at no extra query."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection

from feed.models import FeedEntry
from moderation import services as moderation
from moderation.models import Submission
from tests.feed.test_card_logos import cards
from tests.helpers import queries_per_page
from tests.posts.conftest import form_data

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
FACEBOOK = "https://www.facebook.com/diskominfojateng/videos/1234567890/"
MARK = '<span class="card-video">Video</span>'

pytestmark = pytest.mark.usefixtures("no_page_cache")


def marked(card: str) -> bool:
    """The card carries the label, once, in its small print (after the date and category)."""
    meta = re.search(r'<p class="meta">(.*?)</p>', card, flags=re.S)[1]
    return card.count('class="card-video"') == 1 and meta.endswith(f" · {MARK}")


def test_cards_of_posts_with_a_video_say_so_on_every_list(world, main_client, client_for, publish):
    publish(world.community_a, world.member_a, "Senam sehat lansia", video_url=YOUTUBE, tags=["warga"])
    publish(world.community_a, world.member_a, "Sosialisasi hoaks lansia", video_url=FACEBOOK)
    publish(world.community_a, world.member_a, "Bazar lansia", tags=["warga"])
    home = client_for(world.community_a)

    pages = {
        "province": main_client.get("/"),
        "kab/kota": main_client.get(f"/kabupaten/{world.regency_a.slug}/"),
        "category": main_client.get("/kategori/kegiatan/"),
        "tag": main_client.get("/tag/warga/"),
        "search": main_client.get("/cari/", {"q": "lansia"}),
        "KIM home": home.get("/"),
        "KIM tag": home.get("/tag/warga/"),
        "English": client_for(HTTP_ACCEPT_LANGUAGE="en").get("/"),
    }

    for name, response in pages.items():
        shown = cards(response.content.decode())
        assert marked(shown["Senam sehat lansia"]), name
        assert "card-video" not in shown["Bazar lansia"], name
        if name not in ("tag", "KIM tag"):
            assert marked(shown["Sosialisasi hoaks lansia"]), name


def test_the_mark_follows_the_approved_version(
    world, main_client, client_for, publish, django_capture_on_commit_callbacks
):
    post = publish(world.community_a, world.member_a, "Posyandu balita di RW 05", video_url=YOUTUBE)
    member = client_for(world.community_a, user=world.member_a)
    without_video = form_data(action="submit", video_url="")

    response = member.post(f"/kelola/tulisan/{post.pk}/simpan-kirim/", without_video)

    assert response.status_code == 302
    assert marked(cards(main_client.get("/").content.decode())["Posyandu balita di RW 05"])  # until approved
    submission = Submission.objects.get(community=world.community_a, post_id=post.pk, state="pending")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.submission_approve(submission_id=submission.pk, editor=world.editor_a)
    assert "card-video" not in main_client.get("/").content.decode()


def test_the_migration_marks_the_entries_published_with_a_video(world, main_client, publish):
    publish(world.community_a, world.member_a, "Senam sehat", video_url=YOUTUBE)
    publish(world.community_b, world.member_b, "Siaran sosialisasi", video_url=FACEBOOK)
    publish(world.community_a, world.member_a, "Bazar UMKM")
    FeedEntry.objects.update(has_video=False)  # as entries published before the column were
    assert "card-video" not in main_client.get("/").content.decode()
    migration = import_module("feed.migrations.0009_feedentry_has_video")

    with connection.schema_editor() as editor:
        migration.videos_from_snapshots(apps, editor)

    shown = cards(main_client.get("/").content.decode())
    assert marked(shown["Senam sehat"]) and marked(shown["Siaran sosialisasi"])
    assert "card-video" not in shown["Bazar UMKM"]


def test_the_mark_costs_no_query(world, main_client, client_for, publish):
    for n in range(3):
        publish(world.community_a, world.member_a, f"Kabar {n}", video_url=YOUTUBE, tags=["warga"])
        publish(world.community_b, world.member_b, f"Berita {n}", tags=["warga"])
    regency = f"/kabupaten/{world.regency_a.slug}/"
    main_pages = ["/", regency, "/kategori/kegiatan/", "/tag/warga/", "/cari/?q=kabar"]
    home = client_for(world.community_a)

    # Each host warmed first (its host lookup and the regions cached), as the pinned counts are:
    # those of test_main_pages and test_community_pages, for posts without a video.
    queries_per_page(main_client, main_pages)
    assert queries_per_page(main_client, main_pages) == {
        "/": 1,
        regency: 2,
        "/kategori/kegiatan/": 1,
        "/tag/warga/": 1,
        "/cari/?q=kabar": 1,
    }
    queries_per_page(home, ["/"])
    assert queries_per_page(home, ["/"]) == {"/": 1}
    assert main_client.get("/").content.decode().count(MARK) == 3
