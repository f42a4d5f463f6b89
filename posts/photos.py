"""Storing uploaded photos: process each upload once, keep only its web renditions, in tenant storage.

Only `default_storage.save/url/delete` are used, so the same code runs on the tenant file storage
(media/<schema>/...) and on an S3-compatible backend.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .images import PhotoRejected, process_photo
from .models import Photo, Post

MAX_PHOTOS_PER_POST = 12


@dataclass
class UploadResult:
    photos: list[Photo] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def photo_add(*, post_or_none: Post | None, uploader, uploaded_file, caption: str = "") -> Photo:
    """Process one upload and store its renditions; raises PhotoRejected with a message for the user."""
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
        )
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise


def photos_add(*, uploader, files: Iterable[UploadedFile], room: int) -> UploadResult:
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
        names = ", ".join(upload.name for upload in left_out[:5]) + ("…" if len(left_out) > 5 else "")
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


def photo_delete(*, photo: Photo) -> None:
    """Delete the photo and its stored renditions."""
    names = photo_files(photo)
    photo.delete()
    # Only once the row is surely gone: a rolled-back delete must still find its files.
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
