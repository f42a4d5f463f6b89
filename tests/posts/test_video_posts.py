"""A video in a post: pasted in the form, reviewed with the post, shown to readers as a picture
that becomes the player only when tapped (no third-party script or frame before that)."""

import html
import json
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

from moderation import services as moderation
from moderation.models import Submission
from posts.models import Post

from .conftest import form_data, upload
from .test_bad_input import assert_kept

YT = "dQw4w9WgXcQ"
OTHER_YT = "9bZkp7q19f0"
WATCH = f"https://www.youtube.com/watch?v={YT}"
NEW = "/kelola/tulisan/baru/"

pytestmark = pytest.mark.usefixtures("no_page_cache")


def page(response) -> str:
    return html.unescape(response.content.decode())


def latest_post(community, in_tenant) -> Post:
    with in_tenant(community):
        return Post.objects.order_by("-id").first()


def pending(world, post_id: int) -> Submission:
    return Submission.objects.get(community=world.community_a, post_id=post_id, state="pending")


def approve(world, post_id: int, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        moderation.submission_approve(submission_id=pending(world, post_id).pk, editor=world.editor_a)


def test_a_shared_link_is_kept_in_its_normal_form(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)

    response = client.post(NEW, form_data(video_url=f"https://youtu.be/{YT}?si=Qw3rTy&t=90"))

    assert response.status_code == 302
    post = latest_post(world.community_a, in_tenant)
    assert post.video_url == f"{WATCH}&t=90s"
    assert f'value="{WATCH}&amp;t=90s"' in client.get(f"/kelola/tulisan/{post.pk}/").content.decode()


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("https://vimeo.com/76979871", "Tautan ini bukan video YouTube atau Facebook."),
        ("https://www.youtube.com/@diskominfojateng", "Tautan ini menuju halaman YouTube, bukan satu video"),
        ("https://www.facebook.com/diskominfojateng", "Tautan ini menuju halaman Facebook, bukan satu video"),
        ("javascript:alert(document.cookie)", "Tautan ini bukan video YouTube atau Facebook."),
    ],
)
def test_a_link_that_is_not_a_video_is_refused_and_nothing_typed_is_lost(
    world, client_for, in_tenant, link, message
):
    data = form_data(video_url=link)

    response = client_for(world.community_a, user=world.member_a).post(NEW, data)

    text = page(response)
    assert response.status_code == 200
    assert message in text
    assert "Ada isian yang perlu diperbaiki" in text
    assert_kept(response, data)
    assert f'value="{link}"' in text  # the link itself is shown back, to correct it
    with in_tenant(world.community_a):
        assert not Post.objects.exists()


def test_autosave_keeps_the_rest_while_the_link_is_still_being_pasted(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)

    response = client.post(
        "/kelola/tulisan/baru/simpan-otomatis/", {"title": "Kerja bakti", "video_url": "https://youtu"}
    )

    data = response.json()
    assert data["saved"] is True and list(data["skipped"]) == ["video_url"]
    post = latest_post(world.community_a, in_tenant)
    assert post.title == "Kerja bakti" and post.video_url == ""


def test_emptying_the_field_removes_the_video(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    client.post(NEW, form_data(video_url=WATCH))
    post = latest_post(world.community_a, in_tenant)

    client.post(f"/kelola/tulisan/{post.pk}/", form_data(video_url="  "))

    assert latest_post(world.community_a, in_tenant).video_url == ""


def test_the_preview_shows_the_video_as_a_picture_linking_to_it(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    client.post(NEW, form_data(video_url=WATCH))
    post = latest_post(world.community_a, in_tenant)

    text = client.get(f"/kelola/tulisan/{post.pk}/pratinjau/").content.decode()

    assert f'<a class="video-facade" href="{WATCH}"' in text
    assert "<iframe" not in text


def scripts(text: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", text)


def test_readers_get_a_picture_and_a_play_button_and_nothing_from_youtube_runs(world, client_for, publish):
    post = publish(world.community_a, world.member_a, "Senam sehat lansia", video_url=f"{WATCH}&t=90s")

    response = client_for(world.community_a).get(f"/berita/{post.slug}/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "<iframe" not in text
    for tag in scripts(text):  # our own files, and the JSON-LD data block
        assert 'src="/static/' in tag or 'type="application/ld+json"' in tag, tag
    assert 'src="/static/js/video.js"' in text
    facade = re.search(r'<a class="video-facade"[^>]*>', text).group(0)
    assert f'href="{WATCH}&amp;t=90s"' in facade  # without JavaScript: a plain link to the video
    embed = html.unescape(re.search(r'data-embed="([^"]+)"', facade).group(1))
    assert embed == f"https://www.youtube-nocookie.com/embed/{YT}?autoplay=1&rel=0&start=90"
    assert f'src="https://i.ytimg.com/vi/{YT}/hqdefault.jpg"' in text
    assert "Putar video YouTube" in text
    # The policy lets in exactly that player and that picture, and still no inline script.
    policy = dict(
        directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";")
    )
    player = urlsplit(embed)
    assert policy["frame-src"].split() == ["https://www.youtube-nocookie.com", "https://www.facebook.com"]
    assert f"{player.scheme}://{player.netloc}" in policy["frame-src"].split()
    assert "https://i.ytimg.com" in policy["img-src"].split()
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'none'"
    assert '"https://www.youtube-nocookie.com"' in response["Permissions-Policy"]  # autoplay on the tap


def test_a_facebook_video_shows_a_local_poster(world, client_for, publish):
    link = "https://www.facebook.com/diskominfojateng/videos/1234567890/"
    post = publish(world.community_a, world.member_a, "Sosialisasi hoaks", video_url=link)

    text = client_for(world.community_a).get(f"/berita/{post.slug}/").content.decode()

    assert '<a class="video-facade video-poster"' in text
    assert "Video Facebook" in text and "Putar video Facebook" in text
    assert (
        "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fdiskominfojateng"
        in text
    )
    assert "<iframe" not in text and "i.ytimg.com" not in text


def test_a_post_without_a_video_loads_no_video_script(world, client_for, publish):
    post = publish(world.community_a, world.member_a, "Bazar UMKM")

    text = client_for(world.community_a).get(f"/berita/{post.slug}/").content.decode()

    assert "video.js" not in text and "video-facade" not in text


def test_the_video_is_reviewed_and_published_with_the_post(
    world, client_for, in_tenant, django_capture_on_commit_callbacks
):
    member = client_for(world.community_a, user=world.member_a)
    editor = client_for(user=world.editor_a)
    reader = client_for(world.community_a)
    member.post("/kelola/tulisan/baru/simpan-kirim/", form_data(action="submit", video_url=f"youtu.be/{YT}"))
    post = latest_post(world.community_a, in_tenant)
    submission = pending(world, post.pk)
    assert submission.snapshot["video"] == {"provider": "youtube", "id": YT, "url": WATCH, "start": 0}
    review = editor.get(f"/moderasi/kiriman/{submission.pk}/").content.decode()
    assert f'<a class="video-facade" href="{WATCH}"' in review

    approve(world, post.pk, django_capture_on_commit_callbacks)
    assert f'href="{WATCH}"' in reader.get(f"/berita/{post.slug}/").content.decode()

    # Another video is a change like any other: reviewed, and readers keep the approved one meanwhile.
    other = f"https://www.youtube.com/watch?v={OTHER_YT}"
    member.post(f"/kelola/tulisan/{post.pk}/simpan-kirim/", form_data(action="submit", video_url=other))
    resubmission = pending(world, post.pk)
    review = page(editor.get(f"/moderasi/kiriman/{resubmission.pk}/"))
    assert re.search(
        rf"Video:\s*<a href=\"{re.escape(WATCH)}\"[^>]*>.*→\s*<a href=\"{re.escape(other)}\"", review
    )
    public = reader.get(f"/berita/{post.slug}/").content.decode()
    assert f'href="{WATCH}"' in public and OTHER_YT not in public

    approve(world, post.pk, django_capture_on_commit_callbacks)
    public = reader.get(f"/berita/{post.slug}/").content.decode()
    assert f'href="{other}"' in public and f"v={YT}" not in public


def test_removing_the_video_shows_in_the_changes(
    world, client_for, in_tenant, django_capture_on_commit_callbacks
):
    member = client_for(world.community_a, user=world.member_a)
    member.post("/kelola/tulisan/baru/simpan-kirim/", form_data(action="submit", video_url=WATCH))
    post = latest_post(world.community_a, in_tenant)
    approve(world, post.pk, django_capture_on_commit_callbacks)

    member.post(f"/kelola/tulisan/{post.pk}/simpan-kirim/", form_data(action="submit", video_url=""))

    submission = pending(world, post.pk)
    assert "video" not in submission.snapshot
    review = page(client_for(user=world.editor_a).get(f"/moderasi/kiriman/{submission.pk}/"))
    assert re.search(rf"Video:\s*<a href=\"{re.escape(WATCH)}\"[^>]*>[^<]*</a>\s*→\s*–", review)
    assert "video-facade" not in review


# --- the picture of a shared link (og:image, twitter:image, JSON-LD) --------------------------------


def preview(text: str) -> dict:
    """What a link preview reads of a page: its meta tags and JSON-LD's image."""
    tags = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)">', text))
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1))
    return {**{name: html.unescape(value) for name, value in tags.items()}, "json-ld": data.get("image")}


def test_a_shared_youtube_post_without_photos_shows_the_videos_picture(world, client_for, publish):
    post = publish(world.community_a, world.member_a, "Senam sehat lansia", video_url=WATCH)

    text = client_for(world.community_a).get(f"/berita/{post.slug}/").content.decode()

    still = f"https://i.ytimg.com/vi/{YT}/hqdefault.jpg"
    assert f'<img src="{still}"' in text  # the picture the page shows is the one shared
    shown = preview(text)
    assert shown["og:image"] == shown["twitter:image"] == still
    assert (shown["og:image:width"], shown["og:image:height"]) == ("480", "360")
    assert shown["twitter:card"] == "summary_large_image"
    assert shown["json-ld"] == [still]


def test_a_shared_facebook_post_without_photos_shows_the_portals_poster(world, client_for, publish):
    link = "https://www.facebook.com/diskominfojateng/videos/1234567890/"
    post = publish(world.community_a, world.member_a, "Sosialisasi hoaks", video_url=link)

    shown = preview(client_for(world.community_a).get(f"/berita/{post.slug}/").content.decode())

    poster = "http://kim.localhost/static/img/video-poster.png"
    assert shown["og:image"] == shown["twitter:image"] == poster
    assert shown["json-ld"] == [poster]
    assert (shown["og:image:width"], shown["og:image:height"]) == ("1200", "630")
    # The file collectstatic gathers for that address (WhiteNoise serves it; tests run without).
    served = finders.find(urlsplit(poster).path.removeprefix(settings.STATIC_URL))
    with Image.open(served) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))


def test_a_post_with_a_photo_and_a_video_is_shared_with_its_photo(
    world, client_for, in_tenant, django_capture_on_commit_callbacks
):
    member = client_for(world.community_a, user=world.member_a)
    data = form_data(action="submit", video_url=WATCH, photos=[upload("senam.jpg")])
    member.post("/kelola/tulisan/baru/simpan-kirim/", data)
    post = latest_post(world.community_a, in_tenant)
    approve(world, post.pk, django_capture_on_commit_callbacks)

    text = client_for(world.community_a).get(f"/berita/{post.slug}/").content.decode()

    shown = preview(text)
    photos = f"http://kratonkidul.kim.localhost/media/{world.community_a.schema_name}/photos/"
    assert shown["og:image"].startswith(photos) and shown["og:image"].endswith(".jpg")
    assert shown["twitter:image"] == shown["og:image"] and shown["json-ld"] == [shown["og:image"]]
    assert f'src="https://i.ytimg.com/vi/{YT}/hqdefault.jpg"' in text  # the video is on the page still


def test_a_post_without_a_photo_or_a_video_announces_no_picture(world, client_for, publish):
    post = publish(world.community_a, world.member_a, "Bazar UMKM")

    shown = preview(client_for(world.community_a).get(f"/berita/{post.slug}/").content.decode())

    assert "og:image" not in shown and "twitter:image" not in shown and shown["json-ld"] is None
    assert shown["twitter:card"] == "summary"
