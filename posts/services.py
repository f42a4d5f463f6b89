"""Writes for posts. Every status change goes through here, so each is guarded and audited.

Edit rules: a draft, a post sent back for changes, a waiting post and a published one can be
edited; rejected posts cannot. Editing a published post makes a new draft while the public keeps
seeing `live_revision`; editing a waiting post leaves the waiting version with the editor until the
author submits again (the new submission supersedes it).
"""

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from kimportal.errors import ActionRefused

from .html import body_html
from .models import Photo, Post
from .photos import MAX_PHOTOS_PER_POST, photo_delete

SUBMITTABLE = {
    Post.Status.DRAFT,
    Post.Status.SUBMITTED,
    Post.Status.CHANGES_REQUESTED,
    Post.Status.TAKEN_DOWN,
}
EDITABLE = SUBMITTABLE | {Post.Status.PUBLISHED}
DELETABLE = {Post.Status.DRAFT}
POST_FIELDS = ("title", "body", "activity_date", "activity_place", "category", "video_url")
SLUG_BASE_LENGTH = 170  # leaves room for "-NNN" within the field's 180


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


# --- authoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoEdit:
    caption: str = ""
    position: int | None = None  # None: keep the current place
    remove: bool = False


@dataclass
class PostChanges:
    """An author's edit. Only the fields present in `fields` change; `tags=None` keeps the tags."""

    fields: dict = field(default_factory=dict)  # a subset of POST_FIELDS
    tags: list[str] | None = None
    photos: dict[int, PhotoEdit] = field(default_factory=dict)  # by photo id, attached or attaching
    attach: list[Photo] = field(default_factory=list)  # the author's own unattached uploads
    cover_id: int | None = None  # None: keep the current cover while it is still on the post


def post_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """A slug from the title, unique in this community: "judul", then "judul-2", "judul-3"..."""
    base = slugify(title)[:SLUG_BASE_LENGTH].strip("-") or "tulisan"
    same_base = Post.objects.filter(slug__regex=rf"^{re.escape(base)}(-[0-9]+)?$")
    if exclude_pk is not None:
        same_base = same_base.exclude(pk=exclude_pk)
    taken = set(same_base.values_list("slug", flat=True))
    number = 1
    slug = base
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def post_check_title(post: Post) -> None:
    """A saved post needs a title, and not one its author already used (most likely a double tap)."""
    if not post.title:
        raise ValidationError({"title": _("Judul wajib diisi.")})
    same = Post.objects.filter(author_id=post.author_id, title__iexact=post.title).exclude(pk=post.pk)
    if same.exists():
        raise ValidationError(
            {
                "title": _(
                    "Anda sudah punya tulisan dengan judul ini. Ubah judulnya, atau buka tulisan itu "
                    "dari daftar Tulisan saya."
                )
            }
        )


class EditConflict(ActionRefused):
    """The post was changed elsewhere (another tab or device) since the form was opened."""


def post_version(post: Post | None) -> str:
    """A fingerprint of what the author wrote, not of its status: a form carries the one it was
    opened with, so a save from a stale tab or another device is refused, not written over newer text."""
    if post is None or post.pk is None:
        return ""
    photos = list(post.photos.values_list("id", "caption", "position"))
    content: list[object] = [post.title, post.body, post.activity_date, post.activity_place, post.category]
    content += [sorted(post.tags.names()), post.cover_id, photos]
    if post.video_url:  # only then: versions of posts without a video stay what open forms carry
        content.append(post.video_url)
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()[:20]


def post_update(
    *,
    post: Post | None,
    actor: User,
    changes: PostChanges,
    lenient: bool = False,
    based_on: frozenset[str] = frozenset(),
) -> Post:
    """Create (post=None) or edit the author's working copy; autosave passes `lenient=True`.

    A full save needs a title and turns a published post back into a draft: the public keeps
    seeing `live_revision` until the new version is approved. An autosave never changes a status.
    The slug follows the title until the post is first submitted, then stays (links keep working).
    `based_on` holds the post_versions the sending page knows (the one it was opened with, and the
    one its own last save made, whose answer may have been lost): EditConflict if the post is at
    neither. The returned post's `version` is the one this save made, read under the same lock.
    """
    with transaction.atomic():
        if post is None:
            post = Post(author=actor)
        else:
            post = Post.objects.select_for_update().get(pk=post.pk)
            if post.author_id != actor.pk:
                raise PermissionDenied
            if post.status not in EDITABLE:
                raise ActionRefused(_("Tulisan yang ditolak tidak dapat diubah lagi."))
            if based_on and post_version(post) not in based_on:
                raise EditConflict(
                    _(
                        "Tulisan ini sudah diubah di tab atau perangkat lain sejak halaman ini dibuka, "
                        "jadi isian ini belum disimpan."
                    )
                )
        old_title = post.title
        values = {name: value for name, value in changes.fields.items() if name in POST_FIELDS}
        if "title" in values:
            values["title"] = values["title"].strip()
        if "body" in values:
            values["body"] = body_html(values["body"])
        for name, value in values.items():
            setattr(post, name, value)
        if not lenient:
            post_check_title(post)
            if post.status == Post.Status.PUBLISHED:
                post.status = Post.Status.DRAFT
        retitled = not post.pk or post.title != old_title
        _post_save_with_slug(post, new_slug=retitled and post.submitted_at is None)
        if changes.tags is not None and sorted(changes.tags) != sorted(post.tags.names()):
            post.tags.set(changes.tags)
        _post_photos_apply(post, actor, changes, lenient=lenient)
        post.version = post_version(post)
    return post


def _post_save_with_slug(post: Post, *, new_slug: bool) -> None:
    if not new_slug:
        post.save()
        return
    for attempt in range(3):
        post.slug = post_slug(post.title, exclude_pk=post.pk)
        try:
            with transaction.atomic():  # a savepoint: another save may take the same slug meanwhile
                post.save()
            return
        except IntegrityError:
            if attempt == 2:
                raise


def _post_photos_apply(post: Post, actor: User, changes: PostChanges, *, lenient: bool) -> None:
    """Attach the author's uploads, apply captions, order, removals and the cover choice.

    An autosave (lenient) removes nothing: a box ticked for a moment is not a decision yet.
    """
    dropped = set() if lenient else {pk for pk, edit in changes.photos.items() if edit.remove}
    attach_ids = [photo.pk for photo in changes.attach if photo.pk not in dropped]
    for photo in changes.attach:
        if photo.pk not in attach_ids and photo.post_id is None and photo.uploaded_by_id == actor.pk:
            photo_delete(photo=photo)  # chosen, then removed before the post was ever saved
    if attach_ids:
        # The guard that matters: only this author's own photos that belong to no post.
        Photo.objects.filter(pk__in=attach_ids, post=None, uploaded_by=actor).update(post=post)
    photos = list(post.photos.all())
    kept = [photo for photo in photos if photo.pk not in dropped]
    for photo in photos:
        if photo.pk in dropped:
            _photo_remove(post, photo)
    if len(kept) > MAX_PHOTOS_PER_POST:
        raise ValidationError(
            {"photos": _("Maksimum %(limit)d foto per tulisan.") % {"limit": MAX_PHOTOS_PER_POST}}
        )

    joining = {photo.pk for photo in changes.attach}

    def place(photo: Photo) -> tuple[int, int, int]:
        # Where the author put it, else where it was; photos joining now come after those already
        # there (an autosave may have attached the first uploads), in the order they were uploaded.
        wanted = changes.photos.get(photo.pk, PhotoEdit()).position
        if wanted is None:
            wanted = 2000 if photo.pk in joining else 1000 + photo.position
        return (wanted, photo.position, photo.pk)

    for number, photo in enumerate(sorted(kept, key=place), start=1):
        edit = changes.photos.get(photo.pk)
        caption = edit.caption.strip() if edit is not None else photo.caption
        if (photo.position, photo.caption) != (number, caption):
            photo.position, photo.caption = number, caption
            photo.save(update_fields=["position", "caption"])
    kept_ids = {photo.pk for photo in kept}
    cover_id = changes.cover_id if changes.cover_id in kept_ids else post.cover_id
    cover_id = cover_id if cover_id in kept_ids else None
    if cover_id != post.cover_id:
        post.cover_id = cover_id
        post.save(update_fields=["cover", "updated_at"])


def _photo_remove(post: Post, photo: Photo) -> None:
    """A photo some revision shows is only detached (the live version may show it); others go."""
    if post.revisions.filter(snapshot__photos__contains=[{"id": photo.pk}]).exists():
        photo.post = None
        photo.save(update_fields=["post"])
    else:
        photo_delete(photo=photo)


def post_deletable(post: Post) -> bool:
    """Only a draft that never went live: a post that was published (even if taken down since) is
    on the public record, and its submissions' snapshots point at its photos."""
    return post.status in DELETABLE and post.published_at is None


def post_delete(*, post: Post, actor: User) -> None:
    """Delete a draft that never went live, with its photos."""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.author_id != actor.pk:
            raise PermissionDenied
        if not post_deletable(post):
            raise ActionRefused(_("Hanya draf yang belum pernah tayang yang dapat dihapus."))
        photos = list(post.photos.all())
        post.delete()
        for photo in photos:
            photo_delete(photo=photo)
