"""Hoax cues on the review screen: a submitted photo that was published before, by any KIM, is shown
with the post it appeared in (issue 23, part 3)."""

import html
import io

from django.core.management import call_command
from django.utils import formats, timezone
from django_tenants.utils import tenant_context

from feed.models import FeedEntry, PhotoHash
from moderation import services
from moderation.models import Submission
from posts.models import Photo
from tests.photos import jpeg, near_copy, scene
from tests.posts.conftest import form_data, media_in_tmp, upload  # noqa: F401 - media_in_tmp is a fixture

CUE = "Foto ini pernah tayang"


def send(client, title: str, photo: bytes) -> Submission:
    """A member's new post with one photo, sent for review through the member area's form."""
    response = client.post(
        "/kelola/tulisan/baru/simpan-kirim/",
        form_data(title=title, action="submit", photos=[upload(content=photo)]),
    )
    assert response.status_code == 302, response.content.decode()[:300]
    return Submission.objects.filter(state="pending").latest("pk")


def publish(world, client_for, community, title: str, photo: bytes) -> FeedEntry:
    author = world.member_a if community == world.community_a else world.member_b
    submission = send(client_for(community, user=author), title, photo)
    services.submission_approve(submission_id=submission.pk, editor=world.province_admin)
    return FeedEntry.objects.get(community=community, post_id=submission.post_id)


def review(client_for, world, submission) -> str:
    """The review screen as the editor of the submission's kabupaten/kota sees it."""
    editor = world.editor_a if submission.community_id == world.community_a.pk else world.editor_b
    response = client_for(user=editor).get(f"/moderasi/kiriman/{submission.pk}/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_copy_of_a_photo_another_kim_published_shows_with_that_post(world, client_for):
    flood = scene(seed=1)
    earlier = publish(world, client_for, world.community_b, "Banjir rob di Tembalang", jpeg(flood))

    submission = send(client_for(world.community_a, user=world.member_a), "Banjir hari ini", near_copy(flood))
    page = review(client_for, world, submission)

    day = formats.date_format(timezone.localtime(earlier.published_at), "j F Y")
    assert f"{CUE} pada {day} di KIM Tembalang:" in page
    assert f'<a href="{earlier.canonical_url}">Banjir rob di Tembalang</a>' in page
    assert "Balai RW 05 Kraton Kidul · Kota Semarang" in page  # the earlier post's place and regency


def test_an_unrelated_photo_shows_no_match(world, client_for):
    publish(world, client_for, world.community_b, "Banjir rob di Tembalang", jpeg(scene(seed=1)))

    submission = send(client_for(world.community_a, user=world.member_a), "Kerja bakti", jpeg(scene(seed=2)))

    assert CUE not in review(client_for, world, submission)


def test_a_taken_down_post_is_no_longer_a_match(world, client_for):
    flood = scene(seed=3)
    earlier = publish(world, client_for, world.community_b, "Banjir rob di Tembalang", jpeg(flood))
    services.post_take_down(
        community=world.community_b, post_id=earlier.post_id, editor=world.editor_b, reason="Foto lama"
    )

    submission = send(client_for(world.community_a, user=world.member_a), "Banjir hari ini", near_copy(flood))

    assert CUE not in review(client_for, world, submission)
    assert not PhotoHash.objects.exists()


def test_only_photos_published_before_the_submission_count_and_never_the_posts_own(world, client_for):
    flood = scene(seed=4)
    own = publish(world, client_for, world.community_a, "Banjir rob di Kraton Kidul", jpeg(flood))
    member = client_for(world.community_a, user=world.member_a)
    # The author edits the published post and sends it again, with the same photo.
    response = member.post(
        f"/kelola/tulisan/{own.post_id}/simpan-kirim/", form_data(title="Ralat: banjir rob", action="submit")
    )
    assert response.status_code == 302
    edit = Submission.objects.get(community=world.community_a, post_id=own.post_id, state="pending")
    assert CUE not in review(client_for, world, edit)

    sent_first = send(client_for(world.community_b, user=world.member_b), "Banjir", near_copy(flood))
    publish(world, client_for, world.community_a, "Banjir lagi", jpeg(flood))  # after it was sent

    page = review(client_for, world, sent_first)
    assert "Banjir rob di Kraton Kidul</a>" in page and "Banjir lagi" not in page


def test_the_backfill_hashes_photos_stored_before_and_their_published_entries(world, client_for):
    flood = scene(seed=5)
    earlier = publish(world, client_for, world.community_b, "Banjir rob di Tembalang", jpeg(flood))
    with tenant_context(world.community_b):
        Photo.objects.update(phash=None, phash_centre=None)  # as stored before photos had hashes
    PhotoHash.objects.all().delete()

    call_command("photo_hashes_backfill", stdout=io.StringIO())

    with tenant_context(world.community_b):
        assert not Photo.objects.filter(phash=None).exists()
    assert PhotoHash.objects.filter(entry=earlier).count() == 2  # the whole photo and its centre
    submission = send(client_for(world.community_a, user=world.member_a), "Banjir hari ini", near_copy(flood))
    assert "Banjir rob di Tembalang</a>" in review(client_for, world, submission)


def test_a_photo_many_posts_carried_lists_the_oldest_five(world, client_for):
    flood = scene(seed=6)
    titles = [f"Banjir rob, laporan {n}" for n in range(1, 7)]
    for title in titles:
        publish(world, client_for, world.community_b, title, jpeg(flood))

    submission = send(client_for(world.community_a, user=world.member_a), "Banjir hari ini", near_copy(flood))
    page = review(client_for, world, submission)

    assert page.count(CUE) == 5 and f"{titles[0]}</a>" in page and f"{titles[5]}</a>" not in page
    assert "dan 1 tayangan lain" in page
