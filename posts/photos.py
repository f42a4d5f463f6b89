"""Storing uploaded photos: process each upload once, keep only its web renditions, in tenant storage.

Only the Storage API is used, so the same code runs on the tenant file storage (media/<schema>/...)
and on an S3-compatible backend.

Taken down means gone: the files of a taken-down or rejected post's photos move from the public
storage to the `withheld` one (STORAGES, outside what is served), under the same names, so their
old URLs answer 404; restoring the post moves them back, and the URLs that pages and snapshots hold
work again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_tenants.utils import schema_context
from PIL import Image

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from accounts.models import User
from kimportal.db import connection

from .images import PhotoRejected, process_photo
from .models import Photo, Post, PostRevision
from .phash import photo_hashes

MAX_PHOTOS_PER_POST = 12


@dataclass
class UploadResult:
    photos: list[Photo] = field(default_factory=list)
    errors: list[StrOrPromise] = field(default_factory=list)


def photo_upload(*, uploader: User, uploaded_file, token: str) -> Photo:
    """One photo sent on its own request from the post form, kept unattached until the form is saved.

    `token` is the form's name for this photo: sent again (a retry after a dropped connection, or an
    answer that never arrived), it returns the photo already stored instead of a second copy. The
    file is checked and re-encoded like any upload; raises PhotoRejected with a message for the user.
    """
    earlier = Photo.objects.filter(uploaded_by=uploader, upload_token=token).first()
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            return photo_add(post_or_none=None, uploader=uploader, uploaded_file=uploaded_file, token=token)
    except IntegrityError:  # the same photo's other request was stored meanwhile
        return Photo.objects.get(uploaded_by=uploader, upload_token=token)


def photo_add(
    *, post_or_none: Post | None, uploader: User, uploaded_file, caption: str = "", token: str = ""
) -> Photo:
    """Process one upload and store its renditions; raises PhotoRejected with a message for the user."""
    if getattr(uploaded_file, "too_large", False):  # cut off while it streamed in (kimportal.uploads)
        limit = f"{settings.UPLOAD_MAX_FILE_BYTES / (1024 * 1024):g}"
        raise PhotoRejected(format_lazy(_("Ukuran berkas terlalu besar. Maksimum {limit} MB."), limit=limit))
    processed = process_photo(uploaded_file)
    folder = f"photos/{uuid.uuid4().hex}"
    saved: list[str] = []
    renditions: dict = {"webp": {}}
    try:
        for rendition in processed.renditions:
            is_webp = rendition.format == "webp"
            wanted = f"{folder}/{rendition.width}.webp" if is_webp else f"{folder}/og.jpg"
            name = default_storage.save(wanted, ContentFile(rendition.content))
            saved.append(name)
            if is_webp:
                renditions["webp"][str(rendition.width)] = name
            else:
                renditions["jpeg"] = name
        position = 0
        if post_or_none is not None:
            position = (post_or_none.photos.aggregate(last=Max("position"))["last"] or 0) + 1
        return Photo.objects.create(
            post=post_or_none,
            uploaded_by=uploader,
            caption=caption[:300],
            position=position,
            width=processed.width,
            height=processed.height,
            renditions=renditions,
            upload_token=token,
            phash=processed.hashes[0],
            phash_centre=processed.hashes[1],
        )
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise


def photos_add(*, uploader: User, files: Iterable[UploadedFile], room: int) -> UploadResult:
    """Store up to `room` uploads as unattached photos; every refused file gets a message naming it.

    Valid photos are kept even when others fail, so a member never has to choose them again.
    """
    result = UploadResult()
    files = list(files)
    for upload in files[: max(room, 0)]:
        try:
            result.photos.append(photo_add(post_or_none=None, uploader=uploader, uploaded_file=upload))
        except PhotoRejected as rejected:
            message = _("Foto “{name}” tidak dapat dipakai: {reason}")
            result.errors.append(format_lazy(message, name=upload.name, reason=rejected.message))
    left_out = files[max(room, 0) :]
    if left_out:
        names = ", ".join(str(upload.name) for upload in left_out[:5]) + ("…" if len(left_out) > 5 else "")
        message = ngettext_lazy(
            "Maksimum %(limit)d foto per tulisan. %(count)d foto tidak diunggah: %(names)s.",
            "Maksimum %(limit)d foto per tulisan. %(count)d foto tidak diunggah: %(names)s.",
            "count",
        )
        result.errors.append(message % {"limit": MAX_PHOTOS_PER_POST, "count": len(left_out), "names": names})
    return result


def photo_files(photo: Photo) -> list[str]:
    webp = list(photo.renditions.get("webp", {}).values())
    jpeg = photo.renditions.get("jpeg")
    return webp + ([jpeg] if jpeg else [])


def photos_abandoned_delete(*, uploaded_before: datetime) -> int:
    """Delete the current community's uploads that never joined a post nor any submitted version
    (photos chosen in a form that was then abandoned), uploaded before `uploaded_before`."""
    candidates = list(Photo.objects.filter(post=None, created_at__lt=uploaded_before))
    if not candidates:
        return 0
    shown = _shown_in_revisions([photo.pk for photo in candidates])
    abandoned = [photo for photo in candidates if photo.pk not in shown]
    for photo in abandoned:
        photo_delete(photo=photo)
    return len(abandoned)


def _shown_in_revisions(ids: list[int]) -> set[int]:
    """Which of these photos a post revision shows (a detached photo the live version may still show)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT (photo ->> 'id')::bigint FROM {PostRevision._meta.db_table} revision,"
            " jsonb_array_elements(revision.snapshot -> 'photos') photo"
            " WHERE (photo ->> 'id')::bigint = ANY(%s)",
            [ids],
        )
        return {row[0] for row in cursor.fetchall()}


def photo_delete(*, photo: Photo) -> None:
    """Delete the photo and its stored renditions."""
    names = photo_files(photo)
    schema = connection.schema_name  # tenant storage paths follow the schema the connection is on
    photo.delete()

    def delete_files() -> None:
        with schema_context(schema):
            for name in names:
                default_storage.delete(name)

    # Only once the row is surely gone: a rolled-back delete must still find its files. The commit
    # may come after the connection has moved to another schema (a command looping over them).
    transaction.on_commit(delete_files)


def post_photo_ids(post: Post) -> set[int]:
    """Every photo of the post: its working copy's and any that one of its revisions shows."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT (photo ->> 'id')::bigint FROM {PostRevision._meta.db_table} revision,"
            " jsonb_array_elements(revision.snapshot -> 'photos') photo WHERE revision.post_id = %s",
            [post.pk],
        )
        shown = {row[0] for row in cursor.fetchall()}
    return shown | set(post.photos.values_list("pk", flat=True))


def photos_withhold(*, ids: Iterable[int]) -> int:
    """Take these photos' files out of public storage once the transaction commits; how many moved."""
    return _photos_move(ids=ids, withheld=True)


def photos_release(*, ids: Iterable[int]) -> int:
    """Put these withheld photos' files back where their URLs point, once the transaction commits."""
    return _photos_move(ids=ids, withheld=False)


def _photos_move(*, ids: Iterable[int], withheld: bool) -> int:
    photos = list(Photo.objects.filter(pk__in=list(ids), withheld=not withheld))
    if not photos:
        return 0
    Photo.objects.filter(pk__in=[photo.pk for photo in photos]).update(withheld=withheld)
    names = [name for photo in photos for name in photo_files(photo)]
    schema = connection.schema_name

    def move() -> None:
        # The withheld storage is shared by every community: its names carry the schema.
        with schema_context(schema):
            for name in names:
                public, hidden = (default_storage, name), (storages["withheld"], f"{schema}/{name}")
                source, target = (public, hidden) if withheld else (hidden, public)
                _file_move(*source, *target)

    transaction.on_commit(move)
    return len(photos)


def _file_move(source, source_name: str, target, target_name: str) -> None:
    if not source.exists(source_name):
        return  # moved already (a retried commit hook), or never stored
    if target.exists(target_name):
        target.delete(target_name)
    with source.open(source_name, "rb") as content:
        target.save(target_name, content)
    source.delete(source_name)


def photos_hash_missing() -> int:
    """Compute the perceptual hashes of the current community's photos stored before hashes were,
    from their smallest rendition (withheld ones too: a restored post shows them again); how many."""
    schema = connection.schema_name
    done = 0
    for photo in Photo.objects.filter(phash=None).exclude(renditions={}).iterator(chunk_size=200):
        name = photo.thumbnail or photo.renditions.get("jpeg")
        storage, stored = (
            (storages["withheld"], f"{schema}/{name}") if photo.withheld else (default_storage, name)
        )
        if not name or not storage.exists(stored):
            continue
        with storage.open(stored, "rb") as content, Image.open(content) as im:
            photo.phash, photo.phash_centre = photo_hashes(im)
        photo.save(update_fields=["phash", "phash_centre"])
        done += 1
    return done
