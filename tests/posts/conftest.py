"""Helpers for authoring tests: photo storage in a temporary folder, images made in memory."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import tenant_context
from PIL import Image, ImageDraw


def _forget_storage_paths() -> None:
    # django-tenants' storage caches MEDIA_ROOT and its setting_changed hook passes the wrong
    # argument to Django's, so a changed MEDIA_ROOT would be ignored without this.
    storage = default_storage._wrapped
    if hasattr(storage, "__dict__"):  # not the LazyObject's "empty" sentinel
        storage.__dict__.pop("relative_media_root", None)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Photos go to a per-test folder, never into the repository's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    _forget_storage_paths()
    yield tmp_path / "media"
    _forget_storage_paths()


def image_bytes(size=(800, 600), fmt="JPEG", color=(30, 120, 200), **params) -> bytes:
    im = Image.new("RGB", size, color)
    ImageDraw.Draw(im).rectangle((10, 10, size[0] // 3, size[1] // 3), fill=(240, 200, 40))
    buffer = io.BytesIO()
    im.save(buffer, fmt, **params)
    return buffer.getvalue()


def upload(name="foto.jpg", content=None, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes() if content is None else content, content_type=content_type)


def form_data(**overrides) -> dict:
    """A complete, valid post form."""
    data = {
        "title": "Posyandu balita di RW 05",
        "body": "Kader posyandu menimbang 40 balita.\n\nWarga juga mendapat penyuluhan gizi.",
        "activity_date": "2026-11-20",
        "activity_place": "Balai RW 05 Kraton Kidul",
        "category": "kesehatan",
        "tags": "posyandu, kesehatan",
        "action": "save",
    }
    data.update(overrides)
    return data


@pytest.fixture
def in_tenant():
    """in_tenant(community) -> a context manager running ORM calls in that community's schema."""

    def enter(community):
        return tenant_context(community)

    yield enter
    connection.set_schema_to_public()
