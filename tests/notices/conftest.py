"""Builders for the official notices' tests: notices published through the service, form data,
files made in memory, and media in a temporary folder."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfWriter

from feed.models import FeedEntry
from notices import services
from notices.models import Notice
from tests.posts.conftest import _forget_storage_paths, image_bytes

__all__ = ["image_bytes", "pdf_bytes"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Notices' files go to a per-test folder, never into the repository's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "withheld": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "withheld")},
        },
    }
    _forget_storage_paths()
    yield tmp_path / "media"
    _forget_storage_paths()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def notice(world):
    """notice(title=..., regency=None (the whole province), by=province admin, kind=..., **) -> a
    published Notice."""

    def make(
        title="Vaksinasi gratis untuk lansia",
        *,
        regency=None,
        by=None,
        kind=Notice.Kind.PROGRAMME,
        body="Puskesmas membuka vaksinasi gratis untuk warga berusia 60 tahun ke atas.",
        expires_on=None,
        **more,
    ) -> Notice:
        draft = services.NoticeDraft(
            kind=kind,
            title=title,
            body=body,
            link=more.pop("link", ""),
            expires_on=expires_on or in_days(30),
            province_id=world.province.pk,
            regency_id=regency.pk if regency else None,
            **more,
        )
        return services.notice_publish(actor=by or world.province_admin, draft=draft)

    return make


def form_data(world, **overrides) -> dict:
    """A complete, valid notice form, aimed at Kota Pekalongan (regency A)."""
    return {
        "kind": "layanan",
        "target": f"r{world.regency_a.pk}",
        "title": "Perekaman KTP elektronik keliling",
        "body": "Perekaman KTP elektronik keliling setiap Sabtu di balai kelurahan.",
        "link": "",
        "expires_on": in_days(14).isoformat(),
        **overrides,
    }


@pytest.fixture
def published_entry(world, publish):
    """published_entry(community=A, title=...) -> the FeedEntry of a member's post, approved."""

    def make(community=None, title="Kerja bakti membersihkan saluran air") -> FeedEntry:
        community = community or world.community_a
        author = world.member_a if community.pk == world.community_a.pk else world.member_b
        post = publish(community, author, title)
        return FeedEntry.objects.select_related("community").get(community=community, post_id=post.pk)

    return make
