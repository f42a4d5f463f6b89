"""Photos chosen in a form that was then abandoned are deleted by a daily command; nothing a post or
any submitted version shows is ever touched."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from moderation import services as moderation_services
from posts.models import Photo
from posts.photos import photo_add, photo_files
from tests.factories import make_post

from .conftest import upload


def uploaded(community, user, in_tenant, *, days_ago: int, post=None) -> Photo:
    with in_tenant(community):
        photo = photo_add(post_or_none=post, uploader=user, uploaded_file=upload())
        Photo.objects.filter(pk=photo.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return photo


def still_there(community, photo, in_tenant) -> bool:
    with in_tenant(community):
        row = Photo.objects.filter(pk=photo.pk).exists()
        files = [default_storage.exists(name) for name in photo_files(photo)]
    assert files and all(files) == row  # the files go with the row
    return row


def test_old_abandoned_uploads_go_in_every_community(world, in_tenant, django_capture_on_commit_callbacks):
    old_a = uploaded(world.community_a, world.member_a, in_tenant, days_ago=8)
    old_b = uploaded(world.community_b, world.member_b, in_tenant, days_ago=30)
    recent = uploaded(world.community_a, world.member_a, in_tenant, days_ago=2)

    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows surely have
        call_command("photos_delete_abandoned")

    assert not still_there(world.community_a, old_a, in_tenant)
    assert not still_there(world.community_b, old_b, in_tenant)
    assert still_there(world.community_a, recent, in_tenant)


def test_photos_of_posts_and_of_submitted_versions_are_kept(
    world, in_tenant, django_capture_on_commit_callbacks
):
    draft = make_post(world.community_a, world.member_a, title="Draf dengan foto")
    in_draft = uploaded(world.community_a, world.member_a, in_tenant, days_ago=40, post=draft)
    submitted = make_post(world.community_a, world.member_a, title="Terkirim dengan foto")
    shown = uploaded(world.community_a, world.member_a, in_tenant, days_ago=40, post=submitted)
    with in_tenant(world.community_a):
        moderation_services.post_submit(post=submitted, actor=world.member_a)  # its revision shows the photo
        Photo.objects.filter(pk=shown.pk).update(post=None)  # then removed from the working copy

    with django_capture_on_commit_callbacks(execute=True):
        call_command("photos_delete_abandoned", days=1)

    assert still_there(world.community_a, in_draft, in_tenant)
    assert still_there(world.community_a, shown, in_tenant)
