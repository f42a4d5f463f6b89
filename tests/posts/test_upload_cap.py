"""Uploads are capped as they stream in: an oversized photo is not stored, the form comes back
with a clear message and everything else typed; an oversized request is refused unread."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import RequestFactory

from kimportal.uploads import RequestSizeLimitMiddleware
from posts.models import Photo

from .conftest import form_data, image_bytes

MB = 1024 * 1024


def test_an_oversized_photo_is_cut_off_and_the_form_keeps_the_rest(
    world, client_for, in_tenant, settings, monkeypatch
):
    settings.UPLOAD_MAX_FILE_BYTES = 3 * MB
    stored = {"bytes": 0}
    receive = TemporaryFileUploadHandler.receive_data_chunk

    def counted(self, raw_data, start):
        stored["bytes"] += len(raw_data)
        return receive(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counted)
    big = SimpleUploadedFile("besar.jpg", image_bytes() + b"\0" * (8 * MB), content_type="image/jpeg")
    client = client_for(world.community_a, user=world.member_a)

    response = client.post(
        "/kelola/tulisan/baru/", form_data(title="Kerja bakti RW 07", tags="gotong royong", photos=[big])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Foto “besar.jpg” tidak dapat dipakai: Ukuran berkas terlalu besar. Maksimum 3 MB." in html
    assert 'value="Kerja bakti RW 07"' in html and "gotong royong" in html
    assert stored["bytes"] <= 3 * MB + 64 * 1024, "no more than the cap (and a chunk) was kept"
    with in_tenant(world.community_a):
        assert not Photo.objects.exists()


def test_an_oversized_logo_gets_a_clear_message(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_FILE_BYTES = 3 * MB
    client = client_for(world.community_a, world.admin_a)
    form = client.get("/kelola/komunitas/").context["form"]
    data = {name: value or "" for name, value in form.initial.items() if name != "logo"}
    data["logo"] = SimpleUploadedFile("logo.png", b"\x89PNG" + b"\0" * (4 * MB), content_type="image/png")

    response = client.post("/kelola/komunitas/", data)

    assert response.status_code == 200
    assert "Berkas logo.png terlalu besar (lebih dari 3,0\xa0MB)" in response.content.decode()


def test_a_request_over_the_cap_is_refused_before_its_body_is_read(world, settings):
    class Unreadable(io.RawIOBase):
        def read(self, *args):
            raise AssertionError("the body was read")

    settings.UPLOAD_MAX_REQUEST_BYTES = 100 * MB
    request = RequestFactory().post(
        "/kelola/tulisan/baru/", data=b"", content_type="multipart/form-data; boundary=x"
    )
    request.META["CONTENT_LENGTH"] = str(101 * MB)
    request.META["wsgi.input"] = Unreadable()
    request._stream = Unreadable()
    request.community = None

    response = RequestSizeLimitMiddleware(lambda r: r.POST and None)(request)

    assert response.status_code == 413
    assert "Kiriman terlalu besar" in response.content.decode()
    assert "100,0\xa0MB" in response.content.decode()
