"""The state machine, driven through its services: every transition and every refusal."""

import pytest
from django.core import mail
from django_tenants.utils import tenant_context

from feed import selectors as feed_selectors
from feed.models import FeedEntry
from kimportal.errors import ActionRefused
from moderation import services
from moderation import services as moderation_services
from moderation.models import ModerationEvent, Submission
from posts.models import Post
from tests.factories import make_post, post_in


def pending_of(community, post) -> Submission:
    return Submission.objects.get(community=community, post_id=post.pk, state="pending")


def test_submitting_queues_a_snapshot_and_tells_the_regency_editors(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post(world.community_a, world.member_a, submit=True)

    submission = pending_of(world.community_a, post)
    assert submission.regency == world.regency_a
    assert submission.snapshot["title"] == "Kerja bakti membersihkan saluran air"
    assert [m.to for m in mail.outbox] == [["editor.a@example.id"]]
    assert "KIM Kraton Kidul" in mail.outbox[0].subject
    assert f"/moderasi/kiriman/{submission.pk}/" in mail.outbox[0].body


def test_approving_publishes_exactly_the_reviewed_snapshot(world, django_capture_on_commit_callbacks):
    post = make_post(world.community_a, world.member_a, submit=True)
    submission = pending_of(world.community_a, post)
    with tenant_context(world.community_a):  # the author edits after submitting
        Post.objects.filter(pk=post.pk).update(title="Judul yang belum diperiksa")

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(submission_id=submission.pk, editor=world.editor_a)

    post = post_in(world.community_a, post.pk)
    assert post.live_revision.snapshot["title"] == "Kerja bakti membersihkan saluran air"
    assert post.status == "draft"  # live, and the unreviewed edit is still the author's to send
    entry = FeedEntry.objects.get(community=world.community_a, post_id=post.pk)
    assert entry.title == "Kerja bakti membersihkan saluran air"
    assert entry.regency == world.regency_a and entry.province == world.province
    assert entry.canonical_url == f"http://kratonkidul.kim.localhost/berita/{post.slug}/"
    assert [m.to for m in mail.outbox] == [["anggota.a@example.id"]]
    assert "tayang" in mail.outbox[0].subject
    event = ModerationEvent.objects.filter(post_id=post.pk, community=world.community_a).last()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "approved",
        "submitted",
        "draft",  # as the post is: live, with the unreviewed edit still to send
        world.editor_a,
    )


def test_an_approved_post_is_found_by_another_form_of_its_words(world):
    post = make_post(world.community_a, world.member_a, title="Pembangunan jalan desa", submit=True)
    services.submission_approve(submission_id=pending_of(world.community_a, post).pk, editor=world.editor_a)

    assert [entry.post_id for entry in feed_selectors.search("membangun")] == [post.pk]


@pytest.mark.parametrize(
    ("decide", "submission_state", "post_status"),
    [
        (services.submission_request_changes, "changes_requested", "changes_requested"),
        (services.submission_reject, "rejected", "rejected"),
    ],
)
def test_sending_back_records_the_reason_for_the_author(
    world, django_capture_on_commit_callbacks, decide, submission_state, post_status
):
    post = make_post(world.community_a, world.member_a, submit=True)
    submission = pending_of(world.community_a, post)

    with django_capture_on_commit_callbacks(execute=True):
        decide(submission_id=submission.pk, editor=world.editor_a, reason="Foto tidak jelas")

    submission.refresh_from_db()
    assert submission.state == submission_state and submission.reason == "Foto tidak jelas"
    post = post_in(world.community_a, post.pk)
    assert post.status == post_status and post.feedback == "Foto tidak jelas"
    assert not FeedEntry.objects.filter(post_id=post.pk, community=world.community_a).exists()
    assert "Foto tidak jelas" in mail.outbox[-1].body


@pytest.mark.parametrize("decide", [services.submission_request_changes, services.submission_reject])
def test_sending_back_needs_a_reason(world, decide):
    post = make_post(world.community_a, world.member_a, submit=True)

    with pytest.raises(ActionRefused, match="alasan"):
        decide(submission_id=pending_of(world.community_a, post).pk, editor=world.editor_a, reason="  ")


def test_an_editor_of_another_regency_cannot_decide(world):
    post = make_post(world.community_a, world.member_a, submit=True)

    with pytest.raises(ActionRefused, match="tidak bertugas"):
        services.submission_approve(
            submission_id=pending_of(world.community_a, post).pk, editor=world.editor_b
        )
    assert not FeedEntry.objects.exists()


def test_the_province_admin_can_decide_for_every_regency(world):
    post = make_post(world.community_b, world.member_b, submit=True)

    services.submission_approve(
        submission_id=pending_of(world.community_b, post).pk, editor=world.province_admin
    )

    assert FeedEntry.objects.filter(community=world.community_b, post_id=post.pk).exists()


def test_a_decided_submission_cannot_be_decided_again(world):
    post = make_post(world.community_a, world.member_a, submit=True)
    submission = pending_of(world.community_a, post)
    services.submission_approve(submission_id=submission.pk, editor=world.editor_a)

    with pytest.raises(ActionRefused, match="sudah disetujui oleh Rina Editor"):
        services.submission_reject(submission_id=submission.pk, editor=world.province_admin, reason="Hoaks")
    assert FeedEntry.objects.filter(post_id=post.pk, community=world.community_a).count() == 1


def test_a_resubmission_supersedes_the_waiting_version(world):
    post = make_post(world.community_a, world.member_a, submit=True)
    first = pending_of(world.community_a, post)
    with tenant_context(world.community_a):
        Post.objects.filter(pk=post.pk).update(title="Kerja bakti (diperbaiki)")
        moderation_services.post_submit(post=post, actor=world.member_a)

    first.refresh_from_db()
    assert first.state == "superseded"
    with pytest.raises(ActionRefused, match="versi yang lebih baru"):
        services.submission_approve(submission_id=first.pk, editor=world.editor_a)
    assert pending_of(world.community_a, post).revision_number == 2


def test_an_edit_of_a_published_post_keeps_the_old_version_live_until_approved(world):
    post = make_post(world.community_a, world.member_a, submit=True)
    services.submission_approve(submission_id=pending_of(world.community_a, post).pk, editor=world.editor_a)
    with tenant_context(world.community_a):
        Post.objects.filter(pk=post.pk).update(title="Kerja bakti jilid dua", status="draft")
        moderation_services.post_submit(post=Post.objects.get(pk=post.pk), actor=world.member_a)

    edit = pending_of(world.community_a, post)
    assert edit.is_edit_of_published
    assert FeedEntry.objects.get(post_id=post.pk, community=world.community_a).title == (
        "Kerja bakti membersihkan saluran air"
    )
    services.submission_approve(submission_id=edit.pk, editor=world.editor_a)
    assert (
        FeedEntry.objects.get(post_id=post.pk, community=world.community_a).title == "Kerja bakti jilid dua"
    )
    assert post_in(world.community_a, post.pk).live_revision.number == 2


def test_taking_down_removes_the_post_from_the_feed_and_restoring_brings_it_back(
    world, django_capture_on_commit_callbacks
):
    post = make_post(world.community_a, world.member_a, submit=True)
    services.submission_approve(submission_id=pending_of(world.community_a, post).pk, editor=world.editor_a)

    with django_capture_on_commit_callbacks(execute=True):
        services.post_take_down(
            community=world.community_a, post_id=post.pk, editor=world.editor_a, reason="Berpotensi hoaks"
        )

    assert not FeedEntry.objects.filter(post_id=post.pk, community=world.community_a).exists()
    taken = post_in(world.community_a, post.pk)
    assert taken.status == "taken_down" and taken.feedback == "Berpotensi hoaks" and not taken.is_live
    assert "Berpotensi hoaks" in mail.outbox[-1].body and mail.outbox[-1].to == ["anggota.a@example.id"]

    services.post_restore(community=world.community_a, post_id=post.pk, editor=world.editor_a)
    assert FeedEntry.objects.filter(post_id=post.pk, community=world.community_a).exists()
    assert post_in(world.community_a, post.pk).status == "published"


def test_only_the_regencys_editors_take_down(world):
    post = make_post(world.community_a, world.member_a, submit=True)
    services.submission_approve(submission_id=pending_of(world.community_a, post).pk, editor=world.editor_a)

    with pytest.raises(ActionRefused):
        services.post_take_down(
            community=world.community_a, post_id=post.pk, editor=world.editor_b, reason="x"
        )
    assert FeedEntry.objects.filter(post_id=post.pk, community=world.community_a).exists()


def test_withdrawing_takes_the_post_out_of_the_queue(world):
    post = make_post(world.community_a, world.member_a, submit=True)
    submission = pending_of(world.community_a, post)
    with tenant_context(world.community_a):
        moderation_services.post_withdraw(post=post, actor=world.member_a)

    submission.refresh_from_db()
    assert submission.state == "withdrawn"
    assert post_in(world.community_a, post.pk).status == "draft"
    with pytest.raises(ActionRefused, match="menarik"):
        services.submission_approve(submission_id=submission.pk, editor=world.editor_a)


def test_a_decided_post_cannot_be_withdrawn(world):
    post = make_post(world.community_a, world.member_a, submit=True)
    services.submission_approve(submission_id=pending_of(world.community_a, post).pk, editor=world.editor_a)

    with tenant_context(world.community_a), pytest.raises(ActionRefused, match="tidak bisa ditarik"):
        moderation_services.post_withdraw(post=post, actor=world.member_a)


def test_a_rejected_post_cannot_be_submitted_again(world):
    post = make_post(world.community_a, world.member_a, submit=True)
    services.submission_reject(
        submission_id=pending_of(world.community_a, post).pk,
        editor=world.editor_a,
        reason="Bukan kegiatan KIM",
    )

    with tenant_context(world.community_a), pytest.raises(ActionRefused, match="ditolak"):
        moderation_services.post_submit(post=post_in(world.community_a, post.pk), actor=world.member_a)


def test_rejecting_an_edit_of_a_live_post_keeps_it_live_and_editable(
    world, django_capture_on_commit_callbacks
):
    post = make_post(world.community_a, world.member_a, submit=True)
    services.submission_approve(submission_id=pending_of(world.community_a, post).pk, editor=world.editor_a)
    with tenant_context(world.community_a):
        Post.objects.filter(pk=post.pk).update(title="Versi yang keliru", status="draft")
        moderation_services.post_submit(post=Post.objects.get(pk=post.pk), actor=world.member_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_reject(
            submission_id=pending_of(world.community_a, post).pk,
            editor=world.editor_a,
            reason="Data pribadi terlihat",
        )

    [told] = mail.outbox
    assert told.subject == "[KIM] Perubahan tulisan Anda ditolak: Versi yang keliru"
    assert "Versi yang sudah tayang tetap tampil" in told.body

    stored = post_in(world.community_a, post.pk)
    assert stored.status == "published" and stored.is_live and stored.feedback == "Data pribadi terlihat"
    assert FeedEntry.objects.get(post_id=post.pk, community=world.community_a).title == (
        "Kerja bakti membersihkan saluran air"
    )


def test_emails_are_plain_text_titles_and_reasons_arrive_as_written(
    world, django_capture_on_commit_callbacks
):
    title = 'Pasar "Murah" & UMKM <Desa>'
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post(world.community_a, world.member_a, title=title, submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_request_changes(
            submission_id=pending_of(world.community_a, post).pk,
            editor=world.editor_a,
            reason="Foto <buram> & gelap",
        )

    to_editor, to_author = mail.outbox
    assert title in to_editor.body and "&quot;" not in to_editor.subject + to_editor.body
    assert title[:40] in to_author.subject and title in to_author.body
    assert "Foto <buram> & gelap" in to_author.body and "&amp;" not in to_author.body


def test_a_take_down_closes_a_waiting_edit_so_it_cannot_republish(world):
    post = make_post(world.community_a, world.member_a, submit=True)
    services.submission_approve(submission_id=pending_of(world.community_a, post).pk, editor=world.editor_a)
    with tenant_context(world.community_a):
        Post.objects.filter(pk=post.pk).update(title="Suntingan", status="draft")
        moderation_services.post_submit(post=Post.objects.get(pk=post.pk), actor=world.member_a)
    edit = pending_of(world.community_a, post)

    services.post_take_down(
        community=world.community_a, post_id=post.pk, editor=world.editor_a, reason="Hoaks"
    )

    edit.refresh_from_db()
    assert edit.state == "closed" and edit.reason == "Hoaks"
    with pytest.raises(ActionRefused, match="sudah diturunkan"):
        services.submission_approve(submission_id=edit.pk, editor=world.editor_a)
    assert not FeedEntry.objects.filter(post_id=post.pk, community=world.community_a).exists()


def test_a_mail_outage_does_not_undo_or_break_a_decision(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    from moderation import notifications

    post = make_post(world.community_a, world.member_a, submit=True)

    def smtp_down(**kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(notifications, "author_decision", smtp_down)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(
            submission_id=pending_of(world.community_a, post).pk, editor=world.editor_a
        )

    assert post_in(world.community_a, post.pk).status == "published"
