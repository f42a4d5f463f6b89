"""Emails sent after a moderation transition commits (never from inside the transaction)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from communities.hosts import community_url_for
from communities.models import EditorAssignment
from feed.services import post_url
from kimportal.hosts import main_url_for

from .models import ModerationEvent, Submission


def _send(subject_template: str, body_template: str, context: dict, recipients: list[str]) -> None:
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    send_mail(subject, body, None, recipients)


def regency_editor_emails(regency_id: int) -> list[str]:
    return list(
        EditorAssignment.objects.filter(regency_id=regency_id, user__is_active=True)
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )


def editors_new_submission(*, submission_id: int) -> None:
    """One message per submission to the regency's editors (not one per photo)."""
    submission = Submission.objects.select_related("community", "author").get(pk=submission_id)
    context = {
        "submission": submission,
        "review_url": main_url_for("moderation:review", submission_id=submission.pk),
        "queue_url": main_url_for("moderation:queue"),
    }
    _send(
        "moderation/email/new_submission_subject.txt",
        "moderation/email/new_submission.txt",
        context,
        regency_editor_emails(submission.regency_id),
    )


def author_decision(*, submission_id: int) -> None:
    submission = Submission.objects.select_related("community", "author").get(pk=submission_id)
    context = {"submission": submission, "member_url": community_url_for(submission.community, "posts:list")}
    if submission.state == Submission.State.APPROVED:
        context["post_url"] = post_url(submission.community, submission.snapshot["slug"])
    _send(
        "moderation/email/decision_subject.txt",
        "moderation/email/decision.txt",
        context,
        [submission.author.email],
    )


def _post_context(community_id: int, post_id: int, *actions: str) -> tuple[dict, Submission] | None:
    """What a message about a published post says: its latest event of `actions`, title, community."""
    event = (
        ModerationEvent.objects.filter(community_id=community_id, post_id=post_id, action__in=actions)
        .order_by("-created_at", "-id")
        .first()
    )
    latest = (
        Submission.objects.filter(community_id=community_id, post_id=post_id)
        .select_related("author", "community")
        .order_by("-submitted_at")
        .first()
    )
    if event is None or latest is None:
        return None
    community = latest.community
    context = {
        "event": event,
        "title": latest.snapshot["title"],
        "community": community,
        "member_url": community_url_for(community, "posts:list"),
    }
    return context, latest


def author_taken_down(*, community_id: int, post_id: int) -> None:
    if found := _post_context(community_id, post_id, *ModerationEvent.TAKE_DOWN_ACTIONS):
        context, latest = found
        _send(
            "moderation/email/taken_down_subject.txt",
            "moderation/email/taken_down.txt",
            context,
            [latest.author.email],
        )


def editors_post_hidden(*, community_id: int, post_id: int) -> None:
    """Readers' reports hid a post: its regency's editors decide whether it stays down."""
    if found := _post_context(community_id, post_id, ModerationEvent.Action.AUTO_HIDE):
        context, latest = found
        context["reports_url"] = main_url_for("moderation:reports")
        _send(
            "moderation/email/post_hidden_subject.txt",
            "moderation/email/post_hidden.txt",
            context,
            regency_editor_emails(latest.community.regency_id),  # where its reports are, even after a move
        )


def author_restored(*, community_id: int, post_id: int) -> None:
    if found := _post_context(community_id, post_id, ModerationEvent.Action.RESTORE):
        context, latest = found
        slug = latest.snapshot["slug"]
        context["post_url"] = post_url(context["community"], slug)
        _send(
            "moderation/email/restored_subject.txt",
            "moderation/email/restored.txt",
            context,
            [latest.author.email],
        )


def editors_overdue_digest(*, regency, submissions: list[Submission], recipients: list[str]) -> None:
    """One reminder to a regency's editors listing everything that waits too long."""
    context = {
        "regency": regency,
        "submissions": [
            (submission, main_url_for("moderation:review", submission_id=submission.pk))
            for submission in submissions
        ],
        "hours": settings.MODERATION_OVERDUE_HOURS,
        "queue_url": main_url_for("moderation:queue"),
    }
    _send(
        "moderation/email/overdue_digest_subject.txt",
        "moderation/email/overdue_digest.txt",
        context,
        recipients,
    )
