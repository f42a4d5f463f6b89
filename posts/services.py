"""Writes for posts. Every status change goes through here, so each is guarded and audited.

Edit rules: a draft, a post sent back for changes, a waiting post and a published one can be
edited; rejected posts cannot. Editing a published post makes a new draft while the public keeps
seeing `live_revision`; editing a waiting post leaves the waiting version with the editor until the
author submits again (the new submission supersedes it).
"""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation import services as moderation
from moderation.services import TransitionRefused

from .models import Post, PostRevision

SUBMITTABLE = {
    Post.Status.DRAFT,
    Post.Status.SUBMITTED,
    Post.Status.CHANGES_REQUESTED,
    Post.Status.TAKEN_DOWN,
}


def photo_snapshot(photo) -> dict:
    """A photo as pages show it; URLs are built now, in the community's schema (tenant storage)."""
    webp = sorted((int(width), path) for width, path in photo.renditions.get("webp", {}).items())
    srcset = [[width, default_storage.url(path)] for width, path in webp]
    medium = next((url for width, url in srcset if width >= 960), srcset[-1][1] if srcset else "")
    jpeg = photo.renditions.get("jpeg")
    return {
        "id": photo.pk,
        "caption": photo.caption,
        "width": photo.width,
        "height": photo.height,
        "srcset": srcset,
        "src": medium,
        "og": default_storage.url(jpeg) if jpeg else medium,
    }


def post_snapshot(post: Post) -> dict:
    """Exactly what the editor reviews and, once approved, what the public reads."""
    photos = [photo_snapshot(photo) for photo in post.photos.all()]
    return {
        "title": post.title,
        "slug": post.slug,
        "body": post.body,
        "category": post.category,
        "tags": sorted(post.tags.names()),
        "activity_date": post.activity_date.isoformat() if post.activity_date else None,
        "activity_place": post.activity_place,
        "photos": photos,
        "cover_id": post.cover_id or (photos[0]["id"] if photos else None),
    }


def post_check_complete(post: Post) -> None:
    """A post must be whole before an editor sees it; drafts may be anything."""
    missing = {}
    if not post.title.strip():
        missing["title"] = _("Judul wajib diisi sebelum dikirim.")
    if not post.body.strip():
        missing["body"] = _("Isi tulisan wajib diisi sebelum dikirim.")
    if not post.category:
        missing["category"] = _("Pilih kategori sebelum dikirim.")
    if post.activity_date is None:
        missing["activity_date"] = _("Isi tanggal kegiatan sebelum dikirim.")
    if missing:
        raise ValidationError(missing)


def post_submit(*, post: Post, actor) -> Post:
    """Send the working copy for review as a new revision; a version still waiting is superseded."""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.status not in SUBMITTABLE:
            raise TransitionRefused(_("Tulisan yang ditolak tidak dapat dikirim lagi."))
        post_check_complete(post)
        last = post.revisions.order_by("-number").values_list("number", flat=True).first() or 0
        snapshot = post_snapshot(post)
        revision = PostRevision.objects.create(post=post, number=last + 1, snapshot=snapshot)
        moderation.submission_create(
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


def post_withdraw(*, post: Post, actor) -> Post:
    """Take a waiting post back to draft; a live version of it stays live."""
    with transaction.atomic():
        # The submission first: an editor deciding at this moment holds it, and wins or loses cleanly.
        moderation.submission_withdraw(
            community=connection.tenant, post_id=post.pk, author=actor, from_status=Post.Status.SUBMITTED
        )
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.status != Post.Status.SUBMITTED:
            raise TransitionRefused(_("Tulisan ini tidak sedang menunggu pemeriksaan."))
        post.status = Post.Status.DRAFT
        post.save(update_fields=["status", "updated_at"])
    return post
