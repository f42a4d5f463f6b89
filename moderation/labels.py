"""Editors' labels on posts (hoaks, disinformasi, SARA, data pribadi, spam) and the posts an official
clarification answers. A label is a ModerationEvent of its own, or rides on a take-down's; a link is
notices' ClarifiedPost. Both are audited, and both need the editor to review the post's kabupaten/kota."""

from django.db import transaction
from django.db.models.fields.json import KT
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import tenant_context

from accounts.models import User
from communities.models import Community
from feed.models import FeedEntry
from kimportal.errors import ActionRefused
from notices import services as notices
from notices.models import Notice
from posts.models import Post

from . import services
from .access import can_review_regency
from .models import Label, ModerationEvent, Submission
from .services import event_record


def post_title(*, community: Community, post_id: int) -> str:
    """The post's title as readers saw it last: its published entry's, else its latest version's."""
    published = FeedEntry.objects.filter(community=community, post_id=post_id).values_list("title", flat=True)
    if title := published.first():
        return title
    latest = Submission.objects.filter(community=community, post_id=post_id).order_by("-submitted_at")
    return latest.annotate(title=KT("snapshot__title")).values_list("title", flat=True).first() or ""


def post_label(
    *, community: Community, post_id: int, editor: User, label: str, clarification: Notice | None = None
) -> None:
    """Label a published or taken-down post; with a clarification, note that it answers the post."""
    if label not in Label.values:
        raise ActionRefused(_("Pilih label dari daftar."))
    if not can_review_regency(editor, community.regency_id):
        raise ActionRefused(_("Anda tidak bertugas memeriksa kiriman dari kabupaten/kota ini."))
    with transaction.atomic():
        with tenant_context(community):
            post = Post.objects.select_for_update().filter(pk=post_id).first()
        if post is None or not (post.is_live or post.status == Post.Status.TAKEN_DOWN):
            raise ActionRefused(_("Hanya tulisan yang tayang atau diturunkan yang dapat diberi label."))
        event_record(
            community=community,
            post_id=post_id,
            actor=editor,
            action=ModerationEvent.Action.LABEL,
            from_status=post.status,
            to_status=post.status,
            label=label,
        )
        if clarification is not None:
            post_clarify(community=community, post_id=post_id, editor=editor, clarification=clarification)


def post_clarify(*, community: Community, post_id: int, editor: User, clarification: Notice) -> bool:
    """Note that an official clarification answers this post: its public page lists the post."""
    if not can_review_regency(editor, community.regency_id):
        raise ActionRefused(_("Anda tidak bertugas memeriksa kiriman dari kabupaten/kota ini."))
    title = post_title(community=community, post_id=post_id)
    return notices.clarification_link(
        notice=clarification, actor=editor, community=community, post_id=post_id, title=title
    )


def post_take_down_labelled(
    *,
    community: Community,
    post_id: int,
    editor: User,
    reason: str,
    label: str = "",
    clarification: Notice | None = None,
    reports: bool = False,
) -> None:
    """Take a post down with the editor's label, and note the clarification that answers it, in one
    transaction (a refused link leaves the post as it was); `reports`: the readers' reports of it
    led here, and are closed."""
    if label and label not in Label.values:
        raise ActionRefused(_("Pilih label dari daftar."))
    with transaction.atomic():
        if reports:
            services.report_take_down(
                community=community, post_id=post_id, editor=editor, reason=reason, label=label
            )
        else:
            services.post_take_down(
                community=community, post_id=post_id, editor=editor, reason=reason, label=label
            )
        if clarification is not None:
            post_clarify(community=community, post_id=post_id, editor=editor, clarification=clarification)
