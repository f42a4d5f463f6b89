"""A community exported to a zip (JSON, HTML, photos) and imported as a new community comes back whole:
its profile, members, posts with their status, tags and photos, and its published posts live."""

import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django_tenants.utils import tenant_context

from communities.models import Community, Membership
from moderation import services
from moderation.models import Submission
from posts.models import Post
from posts.photos import photo_add
from tests.factories import make_post
from tests.posts.conftest import media_in_tmp, upload  # noqa: F401 - media_in_tmp is a fixture


@pytest.fixture(autouse=True)
def withheld_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "withheld": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "withheld")},
        },
    }


def _photo_bytes(community, post_slug) -> list[bytes]:
    with tenant_context(community):
        post = Post.objects.get(slug=post_slug)
        photos = post.photos.order_by("position", "pk")
        return [
            default_storage.open(name).read()
            for p in photos
            for name in sorted(p.renditions["webp"].values())
        ]


def test_a_community_comes_back_whole_from_its_export(world, tmp_path, django_capture_on_commit_callbacks):
    community = world.community_a
    video = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    published = make_post(
        community, world.member_a, title="Festival batik Kraton Kidul", tags=["batik"], video_url=video
    )
    with tenant_context(community):
        photo_add(post_or_none=published, uploader=world.member_a, uploaded_file=upload(), caption="Panggung")
    with django_capture_on_commit_callbacks(execute=True), tenant_context(community):
        services.post_submit(post=published, actor=world.member_a)
    submission = Submission.objects.get(community=community, post_id=published.pk, state="pending")
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(submission_id=submission.pk, editor=world.editor_a)
    draft = make_post(community, world.member_a, title="Draf rapat RT", tags=["rapat", "rt"])

    call_command("community_export", community.slug, str(tmp_path / "kim.zip"))

    with zipfile.ZipFile(tmp_path / "kim.zip") as archive:
        data = json.loads(archive.read("community.json"))
        page = archive.read(f"posts/{published.slug}.html").decode()
        names = archive.namelist()
    assert [p["working_copy"]["title"] for p in data["posts"]] == [
        "Festival batik Kraton Kidul",
        "Draf rapat RT",
    ]
    assert "Festival batik Kraton Kidul" in page and "Panggung" in page and video in page
    assert "index.html" in names and any(name.startswith("photos/") for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("community_import", str(tmp_path / "kim.zip"), "--slug", "kratonbaru")

    moved = Community.objects.get(slug="kratonbaru")
    assert (moved.name, moved.regency_id) == (community.name, community.regency_id)
    assert Membership.objects.filter(community=moved, user=world.member_a, role="member").exists()
    with tenant_context(moved):
        posts = {p.slug: p for p in Post.objects.all()}
        assert posts[published.slug].status == Post.Status.PUBLISHED
        assert posts[draft.slug].status == Post.Status.DRAFT
        assert sorted(posts[draft.slug].tags.names()) == ["rapat", "rt"]
        assert posts[published.slug].body == published.body
        assert posts[published.slug].video_url == video and posts[draft.slug].video_url == ""
    assert _photo_bytes(moved, published.slug) == _photo_bytes(community, published.slug)

    reader = Client(HTTP_HOST=moved.host)
    html = reader.get(f"/berita/{published.slug}/").content.decode()
    assert "Festival batik Kraton Kidul" in html
    assert f'<a class="video-facade" href="{video}"' in html  # the live version's video too
    with tenant_context(moved):
        photo_url = default_storage.url(
            next(iter(posts[published.slug].photos.get().renditions["webp"].values()))
        )
    assert photo_url in html
    assert reader.get(photo_url).status_code == 200
