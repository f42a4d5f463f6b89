"""The moderation state machine: one guarded, atomic service per transition, each audited.

Lock order, everywhere: the post's waiting Submission rows first (public schema), then the post
(tenant schema). That single order is what makes an editor's decision race safely with an author's
withdrawal or resubmission, and with a take-down.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import tenant_context

from accounts.models import User
from communities.models import Community, ProvinceAdmin
from communities.pages import pages_changed
from feed import selectors as feed_selectors
from feed import services as feed
from feed.models import FeedEntry
from kimportal.db import connection
from kimportal.errors import ActionRefused
from posts import photos
from posts import services as posts
from posts.models import Post, PostRevision
from posts.snapshots import PostSnapshot, post_snapshot

from . import notifications
from .access import can_review_regency
from .models import ModerationEvent, Report, Submission

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def event_record(
    *,
    community: Community,
    post_id: int,
    action: str,
    from_status: str,
    to_status: str,
    actor: User | None = None,
    submission: Submission | None = None,
    reason: str = "",
    label: str = "",
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
        label=label,
    )


def _stored_regency_id(community: Community) -> int:
    """The community's kabupaten/kota as stored now. The Community a request carries comes from the
    host cache and may be minutes old, after an operator moved it (communities.services.community_move):
    a row filed under the old regency would stay with the old regency's editors."""
    return Community.objects.values_list("regency_id", flat=True).get(pk=community.pk)


def submissions_lock_pending(*, community: Community, post_id: int) -> list[Submission]:
    """Lock the post's waiting submissions: the first step of every transition (see the lock order)."""
    return list(
        Submission.objects.select_for_update().filter(
            community=community, post_id=post_id, state=Submission.State.PENDING
        )
    )


def submission_create(
    *,
    community: Community,
    post_id: int,
    revision_number: int,
    author: User,
    snapshot: PostSnapshot,
    is_edit_of_published: bool,
    from_status: str,
) -> Submission:
    """Queue a new version for review, superseding any version still waiting. Call inside a transaction."""
    now = timezone.now()
    superseded = submissions_lock_pending(community=community, post_id=post_id)
    for old in superseded:
        old.state = Submission.State.SUPERSEDED
        old.decided_at = now
        old.save(update_fields=["state", "decided_at"])
    submission = Submission.objects.create(
        community=community,
        regency_id=_stored_regency_id(community),
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
        action=ModerationEvent.Action.RESUBMIT if superseded else ModerationEvent.Action.SUBMIT,
        from_status=from_status,
        to_status="submitted",
    )
    transaction.on_commit(
        lambda: notifications.editors_new_submission(submission_id=submission.pk), robust=True
    )
    return submission


def submission_withdraw(
    *, community: Community, post_id: int, author: User, from_status: str, to_status: str
) -> Submission:
    """Take a waiting version back out of the queue. Call inside a transaction, before touching the post."""
    submission = (
        Submission.objects.select_for_update()
        .filter(community=community, post_id=post_id, state=Submission.State.PENDING)
        .first()
    )
    if submission is None:
        raise ActionRefused(_("Tulisan ini sudah diperiksa editor dan tidak bisa ditarik lagi."))
    submission.state = Submission.State.WITHDRAWN
    submission.decided_at = timezone.now()
    submission.save(update_fields=["state", "decided_at"])
    event_record(
        community=community,
        post_id=post_id,
        submission=submission,
        actor=author,
        action=ModerationEvent.Action.WITHDRAW,
        from_status=from_status,
        to_status=to_status,
    )
    return submission


# --- an author's steps -------------------------------------------------------------------------


def post_submit(*, post: Post, actor: User) -> Post:
    """Send the working copy for review as a new revision; a version still waiting is superseded."""
    with transaction.atomic():
        # The waiting submission first, then the post: the lock order every transition follows.
        submissions_lock_pending(community=connection.tenant, post_id=post.pk)
        post = Post.objects.select_for_update().get(pk=post.pk)
        if connection.tenant.archived_at:
            raise ActionRefused(_("Situs KIM ini diarsipkan dan tidak menerima tulisan baru."))
        if post.status == Post.Status.REJECTED:
            raise ActionRefused(_("Tulisan yang ditolak tidak dapat dikirim lagi."))
        if post.status not in posts.SUBMITTABLE:
            raise ActionRefused(_("Tulisan ini sudah diperiksa editor; muat ulang halaman untuk melihatnya."))
        posts.post_check_complete(post)
        latest = post.revisions.order_by("-number").first()
        snapshot = post_snapshot(post)
        if post.status == Post.Status.SUBMITTED and latest and latest.snapshot == snapshot:
            return post  # sent twice (a double tap): that version is already waiting
        last = latest.number if latest else 0
        revision = PostRevision.objects.create(post=post, number=last + 1, snapshot=snapshot)
        # The editor must see what was sent: after a take-down, the fix's photos (only those) return.
        photos.photos_release(ids=_snapshot_photo_ids(snapshot))
        submission_create(
            community=connection.tenant,
            post_id=post.pk,
            revision_number=revision.number,
            author=actor,
            snapshot=snapshot,
            is_edit_of_published=post.is_live,
            from_status=post.status,
        )
        post.status = Post.Status.SUBMITTED
        post.submitted_at = timezone.now()
        post.save(update_fields=["status", "submitted_at", "updated_at"])
    return post


def _snapshot_photo_ids(snapshot: PostSnapshot) -> list[int]:
    return [photo["id"] for photo in snapshot.get("photos") or []]


def post_withdraw(*, post: Post, actor: User) -> Post:
    """Take a waiting post back: to draft (a live version of it stays live), or, for the fix of a
    post an editor took down, to taken down, where the editor can still restore it."""
    with transaction.atomic():
        # The submission first: an editor deciding at this moment holds it, and wins or loses cleanly.
        submissions_lock_pending(community=connection.tenant, post_id=post.pk)
        post = Post.objects.select_for_update().get(pk=post.pk)
        back_to = Post.Status.TAKEN_DOWN if post.published_at and not post.is_live else Post.Status.DRAFT
        submission_withdraw(
            community=connection.tenant,
            post_id=post.pk,
            author=actor,
            from_status=Post.Status.SUBMITTED,
            to_status=back_to,
        )
        if post.status != Post.Status.SUBMITTED:
            raise ActionRefused(_("Tulisan ini tidak sedang menunggu pemeriksaan."))
        post.status = back_to
        post.save(update_fields=["status", "updated_at"])
    return post


# --- an editor's decisions --------------------------------------------------------------------

ALREADY_DECIDED: dict[str, StrOrPromise] = {
    Submission.State.APPROVED: _("Kiriman ini sudah disetujui oleh %(who)s."),
    Submission.State.CHANGES_REQUESTED: _("%(who)s sudah meminta perbaikan untuk kiriman ini."),
    Submission.State.REJECTED: _("Kiriman ini sudah ditolak oleh %(who)s."),
    Submission.State.WITHDRAWN: _("Penulis sudah menarik kiriman ini."),
    Submission.State.SUPERSEDED: _("Penulis sudah mengirim versi yang lebih baru; periksa versi itu."),
    Submission.State.CLOSED: _("Tulisan ini sudah diturunkan, jadi kiriman ini ditutup."),
}


def _lock_pending(submission_id: int, editor: User) -> Submission:
    """Lock the submission and refuse unless it is still waiting and this editor may decide it."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("community__regency", "decided_by")
        .get(pk=submission_id)
    )
    if not can_review_regency(editor, submission.regency_id):
        raise ActionRefused(_("Anda tidak bertugas memeriksa kiriman dari kabupaten/kota ini."))
    if submission.state != Submission.State.PENDING:
        who = submission.decided_by or _("editor lain")
        raise ActionRefused(ALREADY_DECIDED[submission.state] % {"who": who})
    return submission


def _decide(
    submission: Submission, *, state: str, editor: User, reason: str, post_status: str, from_status: str
) -> None:
    submission.state = state
    submission.decided_at = timezone.now()
    submission.decided_by = editor
    submission.reason = reason
    submission.save(update_fields=["state", "decided_at", "decided_by", "reason"])
    event_record(
        community=submission.community,
        post_id=submission.post_id,
        submission=submission,
        actor=editor,
        action=ModerationEvent.Action(state),  # a decision is named after the state it leads to
        from_status=from_status,
        to_status=post_status,
        reason=reason,
    )
    transaction.on_commit(lambda: notifications.author_decision(submission_id=submission.pk), robust=True)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Tuliskan alasannya agar penulis tahu apa yang harus diperbaiki."))
    return reason


def submission_approve(*, submission_id: int, editor: User) -> Submission:
    """Publish exactly the reviewed snapshot: post live, FeedEntry written, decision recorded, atomically."""
    with transaction.atomic():
        submission = _lock_pending(submission_id, editor)
        community = submission.community
        now = timezone.now()
        with tenant_context(community):
            post = Post.objects.select_for_update().get(pk=submission.post_id)
            if post.status == Post.Status.TAKEN_DOWN:
                raise ActionRefused(_("Tulisan ini sedang diturunkan; tayangkan kembali dulu bila layak."))
            from_status, was_live = post.status, post.is_live
            post.live_revision = post.revisions.get(number=submission.revision_number)
            # Changes the author saved after sending this version were not reviewed: the post is
            # live, and its working copy is a draft again ("the old version is still live"), as
            # after any edit of a published post, so the author sees they are still to be sent.
            unsent = post_snapshot(post) != submission.snapshot
            post.status = Post.Status.DRAFT if unsent else Post.Status.PUBLISHED
            post.published_at = post.published_at or now
            post.feedback = ""
            post.save(update_fields=["live_revision", "status", "published_at", "feedback", "updated_at"])
            feed.entry_publish(
                community=community,
                post_id=post.pk,
                snapshot=submission.snapshot,
                published_at=post.published_at,
            )
        if not was_live:
            # Taken down or hidden, then fixed: this approval is the editor's answer to the reports
            # that hid it. Left open, they would hide the fixed post again at the next report.
            _reports_close(community=community, post_id=submission.post_id, editor=editor)
        pages_changed(community)
        _decide(
            submission,
            state=Submission.State.APPROVED,
            editor=editor,
            reason="",
            post_status=post.status,
            from_status=from_status,
        )
    return submission


def _send_back(submission_id: int, editor: User, reason: str, state: str, post_status: str) -> Submission:
    reason = _require_reason(reason)
    with transaction.atomic():
        submission = _lock_pending(submission_id, editor)
        with tenant_context(submission.community):
            post = Post.objects.select_for_update().get(pk=submission.post_id)
            from_status = post.status
            # A live version (this was an edit of a published post) stays live, and a rejected edit
            # leaves the post as it was published: editable again, not stranded as "rejected". A
            # rejected fix of a post that was taken down leaves it taken down: still restorable.
            if state == Submission.State.REJECTED and post.is_live:
                post_status = Post.Status.PUBLISHED
            elif state == Submission.State.REJECTED and post.published_at:
                post_status = Post.Status.TAKEN_DOWN
            post.status = post_status
            post.feedback = reason
            post.save(update_fields=["status", "feedback", "updated_at"])
            if post_status in (Post.Status.REJECTED, Post.Status.TAKEN_DOWN):
                photos.photos_withhold(ids=photos.post_photo_ids(post))
        _decide(
            submission,
            state=state,
            editor=editor,
            reason=reason,
            post_status=post_status,
            from_status=from_status,
        )
    return submission


def submission_request_changes(*, submission_id: int, editor: User, reason: str) -> Submission:
    return _send_back(
        submission_id, editor, reason, Submission.State.CHANGES_REQUESTED, Post.Status.CHANGES_REQUESTED
    )


def submission_reject(*, submission_id: int, editor: User, reason: str) -> Submission:
    """Final: the author cannot submit this post again."""
    return _send_back(submission_id, editor, reason, Submission.State.REJECTED, Post.Status.REJECTED)


# --- taking a published post down, and restoring it ---------------------------------------------


def post_take_down(
    *,
    community: Community,
    post_id: int,
    editor: User | None,
    reason: str,
    action: str = ModerationEvent.Action.TAKE_DOWN,
    label: str = "",
) -> None:
    """Unpublish a live post: it leaves every feed and page; the author sees why. `label` is the
    editor's category for it (moderation.models.Label), kept in the audit log.

    `editor` None means the system (too many reader reports).
    """
    reason = _require_reason(reason)
    with transaction.atomic():
        if editor is not None and not can_review_regency(editor, community.regency_id):
            raise ActionRefused(_("Anda tidak bertugas memeriksa kiriman dari kabupaten/kota ini."))
        # An edit still waiting would republish the post if approved: it goes with the take-down.
        waiting = submissions_lock_pending(community=community, post_id=post_id)
        with tenant_context(community):
            post = Post.objects.select_for_update().filter(pk=post_id).first()
            if post is None or not post.is_live:
                raise ActionRefused(_("Tulisan ini sedang tidak tayang."))
            from_status = post.status
            post.live_revision = None
            post.status = Post.Status.TAKEN_DOWN
            post.feedback = reason
            post.save(update_fields=["live_revision", "status", "feedback", "updated_at"])
            photos.photos_withhold(ids=photos.post_photo_ids(post))
        for submission in waiting:
            submission.state = Submission.State.CLOSED
            submission.decided_at, submission.decided_by, submission.reason = timezone.now(), editor, reason
            submission.save(update_fields=["state", "decided_at", "decided_by", "reason"])
        feed.entry_withdraw(community=community, post_id=post_id)
        pages_changed(community)
        event_record(
            community=community,
            post_id=post_id,
            actor=editor,
            action=action,
            from_status=from_status,
            to_status=Post.Status.TAKEN_DOWN,
            reason=reason,
            label=label,
        )
        transaction.on_commit(
            lambda: notifications.author_taken_down(community_id=community.pk, post_id=post_id), robust=True
        )
        if editor is None:  # hidden by readers' reports: the regency's editors must look at it
            transaction.on_commit(
                lambda: notifications.editors_post_hidden(community_id=community.pk, post_id=post_id),
                robust=True,
            )


def post_restore(*, community: Community, post_id: int, editor: User) -> None:
    """Put a taken-down post back, as it was last approved."""
    with transaction.atomic():
        if not can_review_regency(editor, community.regency_id):
            raise ActionRefused(_("Anda tidak bertugas memeriksa kiriman dari kabupaten/kota ini."))
        approved = (
            Submission.objects.filter(community=community, post_id=post_id, state=Submission.State.APPROVED)
            .order_by("-decided_at")
            .first()
        )
        with tenant_context(community):
            post = Post.objects.select_for_update().filter(pk=post_id).first()
            if (
                post is None
                or post.status != Post.Status.TAKEN_DOWN
                or approved is None
                or not post.published_at
            ):
                raise ActionRefused(_("Hanya tulisan yang diturunkan yang bisa ditayangkan kembali."))
            post.live_revision = post.revisions.get(number=approved.revision_number)
            post.status = Post.Status.PUBLISHED
            post.feedback = ""
            post.save(update_fields=["live_revision", "status", "feedback", "updated_at"])
            photos.photos_release(ids=_snapshot_photo_ids(approved.snapshot))
        # A take-down deleted the entry, and with it an editors' pick: the audit log remembers it.
        last_pick = (
            ModerationEvent.objects.filter(
                community=community,
                post_id=post_id,
                action__in=(ModerationEvent.Action.FEATURE, ModerationEvent.Action.UNFEATURE),
            )
            .order_by("-created_at", "-id")
            .values_list("action", flat=True)
            .first()
        )
        feed.entry_publish(
            community=community,
            post_id=post_id,
            snapshot=approved.snapshot,
            published_at=post.published_at,
            featured=last_pick == ModerationEvent.Action.FEATURE,
        )
        pages_changed(community)
        event_record(
            community=community,
            post_id=post_id,
            actor=editor,
            action=ModerationEvent.Action.RESTORE,
            from_status=Post.Status.TAKEN_DOWN,
            to_status=Post.Status.PUBLISHED,
        )
        transaction.on_commit(
            lambda: notifications.author_restored(community_id=community.pk, post_id=post_id), robust=True
        )


# --- readers' reports ---------------------------------------------------------------------------


def reporter_key_for(client_key: str) -> str:
    """A salted hash of the client's address: distinct reporters are counted, no address is stored."""
    return hashlib.sha256(f"{settings.SECRET_KEY}{client_key}".encode()).hexdigest()


def _report_rate_exceeded(reporter_key: str, network_key: str) -> bool:
    """Whether this reader or their network has used its hourly allowance (a sliding hour,
    portal-wide).

    Counted in the database, which every worker shares; a per-process cache would give each
    gunicorn worker its own allowance.
    """
    since = timezone.now() - timedelta(hours=1)
    recent = Report.objects.filter(
        Q(reporter_key=reporter_key) | Q(network_key=network_key), created_at__gte=since
    )
    return recent.count() >= settings.REPORT_RATE_PER_HOUR


def report_create(
    *,
    community: Community,
    post_id: int,
    reason: str,
    note: str,
    client_key: str,
    reader: User | None = None,
) -> Report:
    """Record a reader's report; open reports from enough distinct networks hide the post until an
    editor looks. `client_key` is the reader's network (kimportal.clients.client_network); a
    signed-in `reader` reports a post once, from whichever network."""
    if not feed_selectors.is_published(community=community, post_id=post_id):
        raise ActionRefused(_("Tulisan ini sedang tidak tayang."))
    network_key = reporter_key_for(client_key)
    reporter_key = reporter_key_for(f"account:{reader.pk}") if reader is not None else network_key
    already = _("Anda sudah melaporkan tulisan ini. Terima kasih, editor akan memeriksanya.")
    if Report.objects.filter(community=community, post_id=post_id, reporter_key=reporter_key).exists():
        raise ActionRefused(already)
    if _report_rate_exceeded(reporter_key, network_key):
        raise ActionRefused(_("Terlalu banyak laporan dari perangkat Anda. Coba lagi dalam satu jam."))
    with transaction.atomic():
        # The post's row serialises reports on one post, so the threshold is crossed exactly once.
        # Its waiting submissions are locked first, as in every transition (a take-down may follow).
        submissions_lock_pending(community=community, post_id=post_id)
        with tenant_context(community):
            post = Post.objects.select_for_update().filter(pk=post_id).first()
        if post is None or not post.is_live:
            raise ActionRefused(_("Tulisan ini sedang tidak tayang."))
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    community=community,
                    regency_id=_stored_regency_id(community),
                    post_id=post_id,
                    reason=reason,
                    note=note.strip(),
                    reporter_key=reporter_key,
                    network_key=network_key,
                )
        except IntegrityError:
            raise ActionRefused(already) from None
        # One network counts once, however many readers or addresses (an IPv6 /64) it has.
        open_reports = (
            Report.objects.filter(community=community, post_id=post_id, state=Report.State.OPEN)
            .values("network_key")
            .distinct()
            .count()
        )
        if open_reports >= settings.REPORT_HIDE_THRESHOLD:
            with translation.override(settings.LANGUAGE_CODE):
                hide_reason = str(_("Disembunyikan otomatis: %(n)s laporan pembaca")) % {"n": open_reports}
            post_take_down(
                community=community,
                post_id=post_id,
                editor=None,
                reason=hide_reason,
                action=ModerationEvent.Action.AUTO_HIDE,
            )
    return report


def reports_resolve(*, community: Community, post_id: int, editor: User) -> int:
    """Close the open reports of a post (the editor has looked at it); the post stays as it is, and
    the audit log says who closed how many."""
    if not can_review_regency(editor, community.regency_id):
        raise ActionRefused(_("Anda tidak bertugas memeriksa kiriman dari kabupaten/kota ini."))
    with transaction.atomic():
        closed = _reports_close(community=community, post_id=post_id, editor=editor)
        if closed:
            with tenant_context(community):  # as it is: live, taken down, or with a fix waiting
                status = Post.objects.filter(pk=post_id).values_list("status", flat=True).first() or ""
            with translation.override(settings.LANGUAGE_CODE):
                reason = str(_("%(n)s laporan pembaca ditutup")) % {"n": closed}
            event_record(
                community=community,
                post_id=post_id,
                actor=editor,
                action=ModerationEvent.Action.REPORTS_CLOSED,
                from_status=status,
                to_status=status,
                reason=reason,
            )
    return closed


def _reports_close(*, community: Community, post_id: int, editor: User) -> int:
    return Report.objects.filter(community=community, post_id=post_id, state=Report.State.OPEN).update(
        state=Report.State.RESOLVED, resolved_at=timezone.now(), resolved_by=editor
    )


def report_take_down(
    *, community: Community, post_id: int, editor: User, reason: str, label: str = ""
) -> None:
    """The readers were right: take the post down and close their reports."""
    with transaction.atomic():
        post_take_down(community=community, post_id=post_id, editor=editor, reason=reason, label=label)
        reports_resolve(community=community, post_id=post_id, editor=editor)


def post_reinstate(*, community: Community, post_id: int, editor: User) -> None:
    """Restore a taken-down (or automatically hidden) post and close its open reports.

    Closing them matters: reports left open would hide the post again at the next one.
    """
    with transaction.atomic():
        post_restore(community=community, post_id=post_id, editor=editor)
        reports_resolve(community=community, post_id=post_id, editor=editor)


def feed_entry_feature(*, entry: FeedEntry, admin: User, featured: bool) -> FeedEntry:
    """Put a published post among the province feed's editors' picks, or take it out (province admins)."""
    with transaction.atomic():
        if not ProvinceAdmin.objects.filter(user=admin, province_id=entry.province_id).exists():
            raise ActionRefused(_("Hanya admin Diskominfo provinsi yang memilih berita pilihan."))
        if not feed.entry_feature(community=entry.community, post_id=entry.post_id, featured=featured):
            raise ActionRefused(_("Tulisan ini sedang tidak tayang."))
        entry.featured = featured
        event_record(
            community=entry.community,
            post_id=entry.post_id,
            actor=admin,
            action=ModerationEvent.Action.FEATURE if featured else ModerationEvent.Action.UNFEATURE,
            from_status=Post.Status.PUBLISHED,
            to_status=Post.Status.PUBLISHED,
        )
        pages_changed(entry.community)
    return entry


def community_queue_follow(*, community: Community, changed: set[str]) -> None:
    """A community moved to another kabupaten/kota: its submissions and reports go to that
    regency's editors (each queue reads its rows by regency)."""
    if "regency" in changed:
        Submission.objects.filter(community=community).update(regency=community.regency)
        Report.objects.filter(community=community).update(regency=community.regency)
