"""Taken down means gone: a taken-down or rejected post's photos answer 404 at their old URLs, and
are out of public storage; restoring the post brings them back at the same URLs."""

import pytest
from django.core.files.storage import default_storage, storages
from django_tenants.utils import tenant_context

from moderation import services
from moderation.models import Submission
from posts.photos import photo_add
from posts.snapshots import photo_snapshot
from tests.factories import make_post

from .conftest import upload


@pytest.fixture(autouse=True)
def withheld_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "withheld": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "withheld")},
        },
    }


@pytest.fixture
def post_with_photo(world, django_capture_on_commit_callbacks):
    """post_with_photo() -> (post, the photo's public URLs, their storage names), the post submitted."""

    def make():
        post = make_post(world.community_a, world.member_a, title="Kabar dengan foto")
        with tenant_context(world.community_a):
            photo = photo_add(post_or_none=post, uploader=world.member_a, uploaded_file=upload())
            urls = [url for _width, url in photo_snapshot(photo)["srcset"]]
            names = list(photo.renditions["webp"].values())
        with django_capture_on_commit_callbacks(execute=True), tenant_context(world.community_a):
            services.post_submit(post=post, actor=world.member_a)
        return post, urls, names

    return make


def _submission(world, post) -> Submission:
    return Submission.objects.get(community=world.community_a, post_id=post.pk, state="pending")


def _public(world, names) -> list[bool]:
    with tenant_context(world.community_a):
        return [default_storage.exists(name) for name in names]


def test_a_taken_down_photo_is_gone_and_restoring_brings_it_back(
    world, client_for, post_with_photo, django_capture_on_commit_callbacks
):
    post, urls, names = post_with_photo()
    reader = client_for(world.community_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(submission_id=_submission(world, post).pk, editor=world.editor_a)
    assert [reader.get(url).status_code for url in urls] == [200] * len(urls)

    with django_capture_on_commit_callbacks(execute=True):
        services.post_take_down(
            community=world.community_a, post_id=post.pk, editor=world.editor_a, reason="Data pribadi"
        )

    assert [reader.get(url).status_code for url in urls] == [404] * len(urls)
    assert _public(world, names) == [False] * len(names)
    schema = world.community_a.schema_name
    assert all(storages["withheld"].exists(f"{schema}/{name}") for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        services.post_restore(community=world.community_a, post_id=post.pk, editor=world.editor_a)

    assert [reader.get(url).status_code for url in urls] == [200] * len(urls)
    assert _public(world, names) == [True] * len(names)


def test_a_rejected_posts_photos_are_gone(
    world, client_for, post_with_photo, django_capture_on_commit_callbacks
):
    post, urls, names = post_with_photo()
    assert client_for(world.community_a).get(urls[0]).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_reject(
            submission_id=_submission(world, post).pk, editor=world.editor_a, reason="Bukan kabar"
        )

    assert client_for(world.community_a).get(urls[0]).status_code == 404
    assert _public(world, names) == [False] * len(names)


def test_a_fix_sent_after_a_take_down_shows_its_photos_to_the_editor(
    world, client_for, post_with_photo, django_capture_on_commit_callbacks
):
    post, urls, _names = post_with_photo()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(submission_id=_submission(world, post).pk, editor=world.editor_a)
        services.post_take_down(
            community=world.community_a, post_id=post.pk, editor=world.editor_a, reason="Keliru"
        )
    assert client_for(world.community_a).get(urls[0]).status_code == 404

    with django_capture_on_commit_callbacks(execute=True), tenant_context(world.community_a):
        post.refresh_from_db()
        services.post_submit(post=post, actor=world.member_a)

    assert client_for(world.community_a).get(urls[0]).status_code == 200
