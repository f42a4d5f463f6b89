"""The moderation state machine: one guarded, atomic service per transition, each audited.

Lock order, everywhere: the Submission row first (public schema), then the post (tenant schema).
That single order is what makes an editor's decision and an author's withdrawal race safely.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community

from .models import ModerationEvent, Submission


class TransitionRefused(Exception):
    """The current state does not allow this action; `message` tells the user why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def event_record(
    *,
    community: Community,
    post_id: int,
    action: str,
    from_status: str,
    to_status: str,
    actor=None,
    submission: Submission | None = None,
    reason: str = "",
) -> ModerationEvent:
    return ModerationEvent.objects.create(
        community=community,
        post_id=post_id,
        submission=submission,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


def submission_create(
    *,
    community: Community,
    post_id: int,
    revision_number: int,
    author,
    snapshot: dict,
    is_edit_of_published: bool,
    from_status: str,
) -> Submission:
    """Queue a new version for review, superseding any version still waiting. Call inside a transaction."""
    now = timezone.now()
    superseded = list(
        Submission.objects.select_for_update().filter(
            community=community, post_id=post_id, state=Submission.State.PENDING
        )
    )
    for old in superseded:
        old.state = Submission.State.SUPERSEDED
        old.decided_at = now
        old.save(update_fields=["state", "decided_at"])
    submission = Submission.objects.create(
        community=community,
        regency_id=community.regency_id,
        post_id=post_id,
        revision_number=revision_number,
        author=author,
        snapshot=snapshot,
        is_edit_of_published=is_edit_of_published,
        submitted_at=now,
    )
    event_record(
        community=community,
        post_id=post_id,
        submission=submission,
        actor=author,
        action="resubmit" if superseded else "submit",
        from_status=from_status,
        to_status="submitted",
    )
    return submission


def submission_withdraw(*, community: Community, post_id: int, author, from_status: str) -> Submission:
    """Take a waiting version back out of the queue. Call inside a transaction, before touching the post."""
    submission = (
        Submission.objects.select_for_update()
        .filter(community=community, post_id=post_id, state=Submission.State.PENDING)
        .first()
    )
    if submission is None:
        raise TransitionRefused(_("Tulisan ini sudah diperiksa editor dan tidak bisa ditarik lagi."))
    submission.state = Submission.State.WITHDRAWN
    submission.decided_at = timezone.now()
    submission.save(update_fields=["state", "decided_at"])
    event_record(
        community=community,
        post_id=post_id,
        submission=submission,
        actor=author,
        action="withdraw",
        from_status=from_status,
        to_status="draft",
    )
    return submission


def latest_submission(*, community: Community, post_id: int) -> Submission | None:
    return Submission.objects.filter(community=community, post_id=post_id).order_by("-submitted_at").first()


