"""Every kind of bad input gets a clear message in Bahasa Indonesia and loses nothing typed."""

import html
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kimportal.uploads import TooLargeUpload
from posts import views
from posts.models import Photo, Post

from .conftest import form_data, image_bytes, upload

NEW = "/kelola/tulisan/baru/"


def page(response) -> str:
    return html.unescape(response.content.decode())


def assert_kept(response, data: dict) -> None:
    """The re-shown form still holds what was typed."""
    text = page(response)
    for name in ("title", "activity_place"):
        assert f'value="{data[name]}"' in text, name
    assert "Kader posyandu menimbang 40 balita." in text
    assert data["tags"] in text


def post_new(world, client_for, **fields):
    data = form_data(**fields)
    response = client_for(world.community_a, user=world.member_a).post(NEW, data)
    return response, data


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height: a decompression bomb without the memory cost."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"x") + chunk(b"IEND", b"")


def noisy_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((800, 600), 64).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_an_empty_title_is_refused_and_the_rest_kept(world, client_for, in_tenant):
    response, data = post_new(world, client_for, title="")

    assert response.status_code == 200
    assert "Judul wajib diisi." in page(response)
    assert "Kader posyandu menimbang 40 balita." in page(response)
    with in_tenant(world.community_a):
        assert not Post.objects.exists()


def test_a_title_of_10000_characters_is_refused_and_shown_back_whole(world, client_for, in_tenant):
    title = "Kerja bakti " * 833 + "desa"  # 10,000 characters
    assert len(title) == 10_000

    response, data = post_new(world, client_for, title=title)

    assert response.status_code == 200
    assert "Judul paling banyak 150 karakter, sekarang 10000 karakter." in page(response)
    assert_kept(response, data)
    with in_tenant(world.community_a):
        assert not Post.objects.exists()


def test_script_and_event_handlers_are_stripped_and_the_text_kept(world, client_for, in_tenant):
    body = (
        '<p onclick="steal()">Warga <b>gotong royong</b>.</p><script>alert("x")</script>'
        '<img src=x onerror="alert(1)"><a href="javascript:alert(1)">tautan</a><p>Selesai.</p>'
    )
    response, _data = post_new(world, client_for, body=body)

    assert response.status_code == 302
    with in_tenant(world.community_a):
        saved = Post.objects.get().body
    assert saved == (
        '<p>Warga <b>gotong royong</b>.</p><a rel="nofollow noopener ugc">tautan</a><p>Selesai.</p>'
    )


BAD_FILES = [
    ("laporan.jpg", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "Format foto tidak didukung"),
    ("kosong.jpg", b"", "Berkas kosong"),
    ("raksasa.png", png_header_only(20_000, 20_000), "Ukuran foto terlalu besar"),
    ("putus.jpg", noisy_jpeg()[:20_000], "Foto rusak atau tidak lengkap"),
    (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
        "Format foto tidak didukung",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[row[0] for row in BAD_FILES])
def test_a_bad_file_is_named_refused_and_nothing_else_is_lost(
    world, client_for, in_tenant, name, content, message
):
    good = upload("bagus.jpg")
    bad = SimpleUploadedFile(name, content, content_type="image/jpeg")

    response, data = post_new(world, client_for, photos=[good, bad])

    assert response.status_code == 200
    text = page(response)
    assert f"Foto “{name}” tidak dapat dipakai: {message}" in text
    assert_kept(response, data)
    with in_tenant(world.community_a):
        assert not Post.objects.exists()
        kept = Photo.objects.get()  # the good photo, stored and waiting for the save
    assert kept.post is None and kept.uploaded_by == world.member_a
    assert f'name="pending_photos" value="{kept.pk}"' in text
    assert f'name="caption_{kept.pk}"' in text


def test_a_60_mb_photo_is_refused_as_it_streams_in_and_never_stored(world, client_for, monkeypatch):
    seen = []
    real = views.photos_add

    def spy(*, files, **kwargs):
        files = list(files)
        seen.extend(type(f) for f in files)
        return real(files=files, **kwargs)

    monkeypatch.setattr(views, "photos_add", spy)
    big = SimpleUploadedFile("kamera.jpg", b"\xff\xd8\xff\xe0" + bytes(60 * 1024 * 1024))

    response, data = post_new(world, client_for, photos=[big])

    assert response.status_code == 200
    assert "Foto “kamera.jpg” tidak dapat dipakai: Ukuran berkas terlalu besar. Maksimum 20 MB." in page(
        response
    )
    assert_kept(response, data)
    assert seen == [TooLargeUpload]  # cut off at 20 MB as it streamed in (kimportal.uploads)


def test_30_photos_at_once_keeps_the_first_12_and_names_the_rest(world, client_for, in_tenant):
    small = image_bytes((64, 48))
    files = [SimpleUploadedFile(f"foto{i:02}.jpg", small, content_type="image/jpeg") for i in range(30)]

    response, data = post_new(world, client_for, photos=files)

    assert response.status_code == 200
    text = page(response)
    assert "Maksimum 12 foto per tulisan. 18 foto tidak diunggah: foto12.jpg, foto13.jpg" in text
    assert_kept(response, data)
    with in_tenant(world.community_a):
        assert Photo.objects.filter(post=None, uploaded_by=world.member_a).count() == 12


def test_200_tags_are_refused_with_the_limit(world, client_for, in_tenant):
    tags = ", ".join(f"tag{i}" for i in range(200))

    response, data = post_new(world, client_for, tags=tags)

    assert response.status_code == 200
    assert "Maksimum 10 tag; Anda menulis 200 tag." in page(response)
    assert_kept(response, data)
    with in_tenant(world.community_a):
        assert not Post.objects.exists()


def test_a_tag_longer_than_50_characters_is_refused(world, client_for):
    response, _data = post_new(world, client_for, tags="batik, " + "x" * 51)

    assert "Setiap tag paling banyak 50 karakter" in page(response)


def test_the_same_author_cannot_save_the_same_title_twice(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    assert client.post(NEW, form_data()).status_code == 302

    again = client.post(NEW, form_data(title="posyandu balita di RW 05 "))  # a double tap, any case

    assert again.status_code == 200
    assert "Anda sudah punya tulisan dengan judul ini." in page(again)
    with in_tenant(world.community_a):
        assert Post.objects.count() == 1


def test_another_author_may_use_the_same_title_under_a_distinct_slug(world, client_for, in_tenant):
    assert client_for(world.community_a, user=world.member_a).post(NEW, form_data()).status_code == 302
    assert client_for(world.community_a, user=world.admin_a).post(NEW, form_data()).status_code == 302
    assert client_for(world.community_a, user=world.admin_a).post(NEW, form_data()).status_code == 200

    with in_tenant(world.community_a):
        slugs = sorted(Post.objects.values_list("slug", flat=True))
    assert slugs == ["posyandu-balita-di-rw-05", "posyandu-balita-di-rw-05-2"]


def test_a_bad_date_is_refused_with_an_example(world, client_for):
    response, data = post_new(world, client_for, activity_date="kemarin")

    assert "Tulis tanggal seperti 17-08-2026." in page(response)
    assert_kept(response, data)
