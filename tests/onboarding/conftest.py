"""Helpers for registration tests: the private storage in a temporary folder, decree files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from tests.conftest import PASSWORD

REGISTER = "/daftar-kim/"


@pytest.fixture(autouse=True)
def private_in_tmp(settings, tmp_path):
    """Decree files go to a per-test folder, never into the repository's private/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


def pdf_bytes(*, javascript: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if javascript:  # an action run when the file is opened
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(javascript)}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 1600), (250, 250, 240)).save(out, "JPEG")
    return out.getvalue()


def decree(content: bytes | None = None, name: str = "sk.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type=content_type)


def form(world, **overrides) -> dict:
    """A complete registration of "KIM Sapuro" in Kota Pekalongan, with a new account."""
    data = {
        "name": "KIM Sapuro Kebulen",
        "province": world.province.pk,
        "regency": world.regency_a.pk,
        "district": "Pekalongan Barat",
        "village": "Sapuro Kebulen",
        "address": "Jl. Sapuro No. 5",
        "decree_number": "400/123/2025",
        "decree_date": "2025-03-01",
        "contact_name": "Ani Sapuro",
        "contact_email": "ani@sapuro.id",
        "contact_whatsapp": "0812 3456 7890",
        "slug": "sapuro",
        "consent_terms": "on",
        "consent_privacy": "on",
        "form_token": "token-" + str(overrides.pop("token", "1")),
        "password1": "kabar-desa-2026",
        "password2": "kabar-desa-2026",
        "decree_file": decree(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


__all__ = ["PASSWORD", "REGISTER", "decree", "form", "jpeg_bytes", "pdf_bytes"]


def make_registration(world, *, slug="sapuro", applicant=None, **fields):
    """A pending registration in Kota Pekalongan (regency A), sent by `applicant` (the outsider)."""
    from datetime import date

    from django.core.files.storage import storages

    from communities.registrations import registration_submit

    path = storages["private"].save("sk/uji.pdf", io.BytesIO(pdf_bytes()))
    data = {
        "name": "KIM Sapuro Kebulen",
        "regency": world.regency_a,
        "district": "Pekalongan Barat",
        "village": "Sapuro Kebulen",
        "address": "Jl. Sapuro No. 5",
        "decree_number": "400/123/2025",
        "decree_date": date(2025, 3, 1),
        "contact_name": "Ani Sapuro",
        "contact_email": "ani@sapuro.id",
        "contact_whatsapp": "+6281234567890",
        "slug": slug,
        **fields,
    }
    return registration_submit(
        applicant=applicant or world.outsider,
        form_token=f"token-{slug}",
        data=data,
        decree_path=path,
        decree_type="application/pdf",
        email_verified=True,
    )
