"""Races between real database connections (one per thread), not mocks.

These tests commit for real, so they do not use the `db` fixture (its transaction would hide the
race, and a flushing `transaction=True` test would wipe the session's world); `committed_world`
empties every table after each and builds the world again.
"""

import threading
import time

import pytest
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from feed import services as feed_services
from feed.models import FeedEntry
from kimportal.errors import ActionRefused
from moderation import services
from moderation import services as moderation_services
from moderation.models import ModerationEvent, Submission
from posts.models import Post, PostRevision
from tests.factories import make_post, post_in


def run_together(*actions):
    """Start every action at the same instant on its own connection; return what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - the test inspects what each side got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def submitted_post(world):
    community, author = world.community_a, world.member_a
    post = make_post(community, author, submit=True)
    submission = Submission.objects.get(community=community, post_id=post.pk, state="pending")
    return community, post, submission, author, world.editor_a, world.province_admin


def test_two_editors_deciding_at_once_make_exactly_one_decision(committed_world):
    community, post, submission, _author, editor, province_admin = submitted_post(committed_world)

    results = run_together(
        lambda: services.submission_approve(submission_id=submission.pk, editor=editor),
        lambda: services.submission_approve(submission_id=submission.pk, editor=province_admin),
    )

    refused = [r for r in results if isinstance(r, ActionRefused)]
    assert len(refused) == 1, results
    assert "sudah disetujui" in str(refused[0].message)
    assert FeedEntry.objects.filter(community=community, post_id=post.pk).count() == 1
    assert (
        ModerationEvent.objects.filter(community=community, post_id=post.pk, action="approved").count() == 1
    )


def test_approve_against_reject_leaves_one_consistent_outcome(committed_world):
    community, post, submission, _author, editor, province_admin = submitted_post(committed_world)

    results = run_together(
        lambda: services.submission_approve(submission_id=submission.pk, editor=editor),
        lambda: services.submission_reject(
            submission_id=submission.pk, editor=province_admin, reason="Hoaks"
        ),
    )

    assert sum(isinstance(r, ActionRefused) for r in results) == 1, results
    submission.refresh_from_db()
    live = FeedEntry.objects.filter(community=community, post_id=post.pk).exists()
    assert post_in(community, post.pk).status == ("published" if live else "rejected")
    assert submission.state == ("approved" if live else "rejected")


def test_an_author_withdrawing_while_an_editor_approves_ends_consistent(committed_world):
    community, post, submission, author, editor, _province_admin = submitted_post(committed_world)

    def withdraw():
        with tenant_context(community):
            return moderation_services.post_withdraw(post=post, actor=author)

    results = run_together(
        withdraw, lambda: services.submission_approve(submission_id=submission.pk, editor=editor)
    )

    assert sum(isinstance(r, ActionRefused) for r in results) == 1, results
    submission.refresh_from_db()
    stored = post_in(community, post.pk)
    if submission.state == "approved":
        assert stored.status == "published" and stored.is_live
        assert FeedEntry.objects.filter(community=community, post_id=post.pk).exists()
    else:
        assert submission.state == "withdrawn"
        assert stored.status == "draft" and not stored.is_live
        assert not FeedEntry.objects.filter(community=community, post_id=post.pk).exists()


def test_a_failure_in_the_middle_of_approval_leaves_nothing_half_done(committed_world, monkeypatch):
    community, post, submission, _author, editor, _province_admin = submitted_post(committed_world)

    def broken_feed(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(feed_services, "entry_publish", broken_feed)
    with pytest.raises(RuntimeError):
        services.submission_approve(submission_id=submission.pk, editor=editor)

    submission.refresh_from_db()
    assert submission.state == "pending"
    stored = post_in(community, post.pk)
    assert stored.status == "submitted" and not stored.is_live  # the tenant write was rolled back
    assert not FeedEntry.objects.filter(community=community, post_id=post.pk).exists()
    assert not ModerationEvent.objects.filter(
        community=community, post_id=post.pk, action="approved"
    ).exists()


def test_a_failing_tenant_write_leaves_no_feed_entry(committed_world):
    community, post, submission, _author, editor, _province_admin = submitted_post(committed_world)
    with tenant_context(community), transaction.atomic():
        Post.objects.get(pk=post.pk).revisions.all().delete()  # the reviewed revision is gone

    with pytest.raises(PostRevision.DoesNotExist):
        services.submission_approve(submission_id=submission.pk, editor=editor)

    submission.refresh_from_db()
    assert submission.state == "pending"
    assert not FeedEntry.objects.filter(community=community, post_id=post.pk).exists()


def test_a_resubmission_racing_an_approval_never_deadlocks(committed_world):
    community, post, submission, author, editor, _province_admin = submitted_post(committed_world)
    with tenant_context(community):
        Post.objects.filter(pk=post.pk).update(title="Judul yang diperbaiki")  # a new version to send

    def resubmit():
        with tenant_context(community):
            return moderation_services.post_submit(post=post, actor=author)

    results = run_together(
        resubmit, lambda: services.submission_approve(submission_id=submission.pk, editor=editor)
    )

    assert not any(isinstance(r, Exception) and not isinstance(r, ActionRefused) for r in results), results
    submission.refresh_from_db()
    if submission.state == "approved":  # the approval came first: the edited version goes in next
        assert post_in(community, post.pk).is_live
        newer = Submission.objects.get(community=community, post_id=post.pk, state="pending")
        assert newer.snapshot["title"] == "Judul yang diperbaiki"
    else:  # the resubmission came first: the editor is told a newer version waits
        assert submission.state == "superseded" and isinstance(results[1], ActionRefused)
        assert Submission.objects.filter(community=community, post_id=post.pk, state="pending").count() == 1


def test_a_report_that_hides_a_post_racing_the_approval_of_its_edit_never_deadlocks(
    committed_world, settings, monkeypatch
):
    settings.REPORT_HIDE_THRESHOLD = 1
    community, post, submission, author, editor, _province_admin = submitted_post(committed_world)
    services.submission_approve(submission_id=submission.pk, editor=editor)
    with tenant_context(community):
        Post.objects.filter(pk=post.pk).update(title="Judul diubah", status="draft")
        moderation_services.post_submit(post=post_in(community, post.pk), actor=author)
    edit = Submission.objects.get(community=community, post_id=post.pk, state="pending")
    # Widen the window: the approval holds the edit's row a moment before it reaches the post,
    # and the report reaches its take-down a moment after it has locked the post.
    can_review = services.can_review_regency
    monkeypatch.setattr(services, "can_review_regency", lambda *a: (time.sleep(0.6), can_review(*a))[1])
    take_down = services.post_take_down
    monkeypatch.setattr(services, "post_take_down", lambda **kw: (time.sleep(0.2), take_down(**kw))[1])

    results = run_together(
        lambda: services.submission_approve(submission_id=edit.pk, editor=editor),
        lambda: (
            time.sleep(0.1),
            services.report_create(
                community=community, post_id=post.pk, reason="hoaks", note="", client_key="203.0.113.7"
            ),
        )[1],
    )

    assert not any(isinstance(r, Exception) for r in results), results
    edit.refresh_from_db()
    assert edit.state == "approved"  # then the report hid the approved version
    assert post_in(community, post.pk).status == "taken_down"
    assert not FeedEntry.objects.filter(community=community, post_id=post.pk).exists()
