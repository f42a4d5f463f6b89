"""The review screen and the three decisions, driven through the console like an editor would."""

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from feed.models import FeedEntry
from moderation import services as moderation_services
from moderation.models import Submission
from posts.models import Post
from tests.factories import post_in


def review_url(submission, action: str = "") -> str:
    return f"/moderasi/kiriman/{submission.pk}/{action}"


def test_it_shows_the_snapshot_as_it_will_be_published_with_its_history(world, client_for, submit):
    submission = submit(title="Posyandu balita RW 05")

    response = client_for(user=world.editor_a).get(review_url(submission))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Posyandu balita RW 05</h1>" in html
    assert "Warga RW 03 bergotong royong" in html
    assert "Riwayat" in html and "Dikirim" in html and "Siti Anggota" in html
    for action in ("setujui/", "minta-perbaikan/", "tolak/"):
        assert f'action="{review_url(submission, action)}"' in html
    for preset in (
        "Foto tidak jelas",
        "Informasi belum terverifikasi/berpotensi hoaks",
        "Bukan kegiatan KIM",
    ):
        assert preset in html


def test_an_editor_of_another_regency_gets_404_also_by_guessing(world, client_for, submit):
    submission = submit(world.community_a)
    client = client_for(user=world.editor_b)

    assert client.get(review_url(submission)).status_code == 404
    assert client.get(f"/moderasi/kiriman/{submission.pk + 1000}/").status_code == 404
    assert client.post(review_url(submission, "setujui/")).status_code == 404
    assert Submission.objects.get(pk=submission.pk).state == "pending"


@pytest.mark.parametrize("persona", ["member_a", "admin_a", "outsider"])
def test_people_who_do_not_review_cannot_act(world, client_for, submit, persona):
    submission = submit(world.community_a)
    client = client_for(user=getattr(world, persona))

    assert client.get(review_url(submission)).status_code == 404
    assert client.post(review_url(submission, "setujui/")).status_code == 404
    assert not FeedEntry.objects.exists()


def test_approving_publishes_the_post(world, client_for, submit):
    submission = submit(title="Festival batik kampung")

    response = client_for(user=world.editor_a).post(review_url(submission, "setujui/"), follow=True)

    assert response.redirect_chain[-1][0] == "/moderasi/"
    assert "Disetujui: “Festival batik kampung” kini tayang." in response.content.decode()
    assert FeedEntry.objects.filter(community=world.community_a, post_id=submission.post_id).count() == 1
    assert post_in(world.community_a, submission.post_id).status == "published"


def test_requesting_changes_needs_a_reason(world, client_for, submit):
    submission = submit()

    response = client_for(user=world.editor_a).post(review_url(submission, "minta-perbaikan/"), {})

    assert response.status_code == 200
    assert "Pilih atau tuliskan alasannya" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).state == "pending"


def test_requesting_changes_combines_presets_and_text_for_the_author(world, client_for, submit):
    submission = submit()

    response = client_for(user=world.editor_a).post(
        review_url(submission, "minta-perbaikan/"),
        {"changes-presets": ["foto", "data-pribadi"], "changes-note": "Wajah anak-anak perlu disamarkan."},
    )

    assert response.status_code == 302
    post = post_in(world.community_a, submission.post_id)
    assert post.status == "changes_requested"
    assert post.feedback == "Foto tidak jelas\nData pribadi terlihat\nWajah anak-anak perlu disamarkan."
    assert Submission.objects.get(pk=submission.pk).state == "changes_requested"


def test_rejecting_needs_a_reason_and_a_confirmation(world, client_for, submit):
    submission = submit()
    client = client_for(user=world.editor_a)

    no_reason = client.post(review_url(submission, "tolak/"), {"reject-confirm": "on"})
    unconfirmed = client.post(review_url(submission, "tolak/"), {"reject-presets": ["bukan-kim"]})

    assert "Pilih atau tuliskan alasannya" in no_reason.content.decode()
    assert "Centang konfirmasi untuk menolak." in unconfirmed.content.decode()
    assert Submission.objects.get(pk=submission.pk).state == "pending"

    client.post(review_url(submission, "tolak/"), {"reject-presets": ["bukan-kim"], "reject-confirm": "on"})

    post = post_in(world.community_a, submission.post_id)
    assert (post.status, post.feedback) == ("rejected", "Bukan kegiatan KIM")


def test_a_second_decision_shows_who_decided_first(world, client_for, submit):
    submission = submit()
    client_for(user=world.editor_a).post(review_url(submission, "setujui/"))

    response = client_for(user=world.province_admin).post(
        review_url(submission, "tolak/"),
        {"reject-note": "Berpotensi hoaks", "reject-confirm": "on"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == review_url(submission)
    assert "Kiriman ini sudah disetujui oleh Rina Editor." in response.content.decode()
    assert FeedEntry.objects.filter(community=world.community_a, post_id=submission.post_id).count() == 1
    assert post_in(world.community_a, submission.post_id).status == "published"


@pytest.mark.parametrize("action", ["setujui/", "minta-perbaikan/", "tolak/"])
def test_decisions_are_post_only(world, client_for, submit, action):
    submission = submit()

    response = client_for(user=world.editor_a).get(review_url(submission, action))

    assert response.status_code == 405
    assert Submission.objects.get(pk=submission.pk).state == "pending"


def test_a_decision_without_csrf_token_is_refused(world, submit):
    submission = submit()
    client = Client(HTTP_HOST="kim.localhost", enforce_csrf_checks=True)
    client.force_login(world.editor_a)

    response = client.post(review_url(submission, "setujui/"))

    assert response.status_code == 403
    assert not FeedEntry.objects.exists()


def test_a_resubmission_shows_what_changed_since_the_editor_asked_for_changes(world, client_for, submit):
    first = submit(title="Kerja bakti", tags=["gotong-royong"])
    client = client_for(user=world.editor_a)
    client.post(review_url(first, "minta-perbaikan/"), {"changes-presets": ["foto"]})
    with tenant_context(world.community_a):
        post = Post.objects.get(pk=first.post_id)
        post.title = "Kerja bakti saluran air"
        post.body = "<p>Warga RW 03 bergotong royong membersihkan saluran air di Jalan Melati.</p>"
        post.save()
        post.tags.set(["lingkungan"])
        moderation_services.post_submit(post=post, actor=world.member_a)
    second = Submission.objects.get(community=world.community_a, post_id=first.post_id, state="pending")

    html = client.get(review_url(second)).content.decode()

    assert "Perubahan sejak versi 1 (Perlu perbaikan)" in html
    assert "<ins> saluran air</ins>" in html
    assert "<del> menjelang musim hujan.</del><ins> di Jalan Melati.</ins>" in html
    assert "Tag ditambah: lingkungan" in html and "Tag dihapus: gotong-royong" in html
    assert "Catatan editor saat itu: Foto tidak jelas" in html


def test_a_decided_submission_shows_the_decision_instead_of_the_actions(world, client_for, submit):
    submission = submit()
    client = client_for(user=world.editor_a)
    client.post(review_url(submission, "minta-perbaikan/"), {"changes-note": "Lengkapi nama kegiatan."})

    html = client.get(review_url(submission)).content.decode()

    assert "Perlu perbaikan oleh Rina Editor" in html and "Lengkapi nama kegiatan." in html
    assert 'action="' + review_url(submission, "setujui/") + '"' not in html


def test_a_superseded_version_points_to_the_one_waiting_now(world, client_for, submit):
    first = submit()
    with tenant_context(world.community_a):
        Post.objects.filter(pk=first.post_id).update(title="Judul yang diperbaiki")
        moderation_services.post_submit(post=Post.objects.get(pk=first.post_id), actor=world.member_a)
    newer = Submission.objects.get(community=world.community_a, post_id=first.post_id, state="pending")

    html = client_for(user=world.editor_a).get(review_url(first)).content.decode()

    assert "Digantikan versi baru" in html
    assert f'href="{review_url(newer)}">Periksa versi terbaru</a>' in html
