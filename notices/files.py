"""A notice's files: a photo (its web renditions) and a PDF, checked by the caller (moderation's
form runs the post photos' and the decree's checks) and stored here, in the public schema's media
folder. Unlike a KIM's decree, a notice's PDF is public: readers download it.

A withdrawn notice's files leave public storage for the `withheld` one, as a taken-down post's photos
do (posts.photos), so their addresses answer 404.
"""

import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    content: bytes
    format: str  # "webp" or "jpeg"


@dataclass(frozen=True)
class CheckedPhoto:
    """A photo that passed the checks: upright, without metadata, as web renditions."""

    width: int
    height: int
    renditions: list[Rendition]


@dataclass(frozen=True)
class CheckedPdf:
    """A PDF that parses and carries no active content."""

    content: bytes
    name: str  # as uploaded, shown on the download link


def photo_store(photo: CheckedPhoto) -> dict:
    """Save the renditions; returns what Notice.photo keeps (storage paths, not URLs)."""
    folder = f"notices/{uuid.uuid4().hex}"
    stored: dict = {"width": photo.width, "height": photo.height, "webp": {}}
    with schema_context(get_public_schema_name()):
        for rendition in photo.renditions:
            if rendition.format == "webp":
                name = f"{folder}/{rendition.width}.webp"
                stored["webp"][str(rendition.width)] = default_storage.save(
                    name, ContentFile(rendition.content)
                )
            else:
                stored["jpeg"] = default_storage.save(f"{folder}/og.jpg", ContentFile(rendition.content))
    return stored


def pdf_store(pdf: CheckedPdf) -> str:
    with schema_context(get_public_schema_name()):
        return default_storage.save(f"notices/{uuid.uuid4().hex}.pdf", ContentFile(pdf.content))


def photo_paths(photo: dict) -> list[str]:
    webp = list((photo.get("webp") or {}).values())
    return webp + ([photo["jpeg"]] if photo.get("jpeg") else [])


def files_withhold(paths: list[str]) -> None:
    """Move these files out of public storage once the transaction commits."""
    public = get_public_schema_name()

    def move() -> None:
        with schema_context(public):
            for name in paths:
                if not default_storage.exists(name):
                    continue  # moved already (a retried commit hook)
                with default_storage.open(name, "rb") as content:
                    storages["withheld"].save(f"{public}/{name}", content)
                default_storage.delete(name)

    transaction.on_commit(move)


def files_delete(paths: list[str]) -> None:
    """Delete files a notice no longer shows (replaced or removed), once the transaction commits."""
    public = get_public_schema_name()

    def delete() -> None:
        with schema_context(public):
            for name in paths:
                default_storage.delete(name)

    transaction.on_commit(delete)


def photo_urls(photo: dict) -> dict | None:
    """The photo as a page shows it (srcset, src, og, size); URLs made on the public schema."""
    webp = sorted((int(width), path) for width, path in (photo.get("webp") or {}).items())
    if not webp:
        return None
    with schema_context(get_public_schema_name()):
        srcset = [(width, default_storage.url(path)) for width, path in webp]
        jpeg = photo.get("jpeg")
        og = default_storage.url(jpeg) if jpeg else srcset[-1][1]
    src = next((url for width, url in srcset if width >= 960), srcset[-1][1])
    return {
        "srcset": ", ".join(f"{url} {width}w" for width, url in srcset),
        "src": src,
        "og": og,
        "width": photo["width"],
        "height": photo["height"],
    }


def pdf_url(path: str) -> str:
    with schema_context(get_public_schema_name()):
        return default_storage.url(path)
