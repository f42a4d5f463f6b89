"""A photo sent on its own request from the post form: checked and re-encoded like any upload,
kept unattached until the form is saved, and stored once however often it is sent."""

import io
import uuid
from unittest import mock

from PIL import Image

from posts import images
from posts.models import Photo, Post

from .conftest import form_data, image_bytes, upload

URL = "/kelola/foto/unggah/"


def send(client, token=None, content=None, name="foto.webp"):
    return client.post(URL, {"token": token or uuid.uuid4().hex, "photo": upload(name, content)})


def test_it_stores_the_photo_unattached_and_answers_its_id(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)

    response = send(client, content=image_bytes((2048, 1536), "WEBP"))

    assert response.status_code == 200
    data = response.json()
    with in_tenant(world.community_a):
        photo = Photo.objects.get()
    assert data["id"] == photo.pk and (data["width"], data["height"]) == (2048, 1536)
    assert photo.post is None and photo.uploaded_by == world.member_a
    assert data["thumbnail"].endswith(".webp")


def test_the_same_photo_sent_again_is_stored_once(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    token = uuid.uuid4().hex

    first = send(client, token).json()
    with mock.patch("posts.photos.process_photo", wraps=images.process_photo) as processed:
        again = send(client, token).json()

    assert again == first and processed.call_count == 0
    with in_tenant(world.community_a):
        assert Photo.objects.count() == 1


def test_the_same_token_from_another_member_is_another_photo(world, client_for, in_tenant):
    token = uuid.uuid4().hex
    mine = send(client_for(world.community_a, user=world.member_a), token).json()
    theirs = send(client_for(world.community_a, user=world.admin_a), token).json()

    assert mine["id"] != theirs["id"]


def test_it_refuses_what_is_not_a_photo_with_a_message(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)

    response = send(client, content=b"%PDF-1.4 not a photo", name="surat.jpg")

    assert response.status_code == 422 and response.json()["error"]
    with in_tenant(world.community_a):
        assert not Photo.objects.exists()


def test_it_strips_the_location_the_browser_left(world, client_for, in_tenant, media_in_tmp):
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (6.0, 53.0, 0.0)}  # GPS
    client = client_for(world.community_a, user=world.member_a)

    data = send(client, content=image_bytes((1200, 900), "JPEG", exif=exif), name="foto.jpg").json()

    with in_tenant(world.community_a):
        photo = Photo.objects.get(pk=data["id"])
    for name in [*photo.renditions["webp"].values(), photo.renditions["jpeg"]]:
        stored = Image.open(io.BytesIO((media_in_tmp / world.community_a.schema_name / name).read_bytes()))
        assert not stored.getexif().get_ifd(0x8825)


def test_a_request_without_a_token_or_a_file_is_refused(world, client_for):
    client = client_for(world.community_a, user=world.member_a)

    assert client.post(URL, {"token": "x", "photo": upload()}).status_code == 400
    assert client.post(URL, {"token": uuid.uuid4().hex}).status_code == 400


def test_only_members_of_this_community_upload(world, client_for):
    assert send(client_for(world.community_a)).status_code == 401
    assert send(client_for(world.community_a, user=world.member_b)).status_code == 404
    assert client_for(world.community_a, user=world.member_a).get(URL).status_code == 405


def test_the_form_attaches_uploaded_photos_with_their_captions(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    first = send(client).json()["id"]
    second = send(client).json()["id"]

    response = client.post(
        "/kelola/tulisan/baru/",
        form_data(
            pending_photos=f"{first},{second}",
            **{f"caption_{first}": "Kader menimbang balita", f"caption_{second}": ""},
            cover=str(second),
        ),
    )

    assert response.status_code == 302
    with in_tenant(world.community_a):
        post = Post.objects.get()
        photos = list(post.photos.order_by("position"))
    assert [p.pk for p in photos] == [first, second]
    assert [p.caption for p in photos] == ["Kader menimbang balita", ""]
    assert post.cover_id == second


def test_another_members_upload_cannot_be_attached(world, client_for, in_tenant):
    theirs = send(client_for(world.community_a, user=world.admin_a)).json()["id"]
    client = client_for(world.community_a, user=world.member_a)

    client.post("/kelola/tulisan/baru/", form_data(pending_photos=str(theirs)))

    with in_tenant(world.community_a):
        assert Post.objects.get().photos.count() == 0
        assert Photo.objects.get(pk=theirs).post is None


def test_the_form_shows_the_limits_before_choosing(world, client_for):
    page = client_for(world.community_a, user=world.member_a).get("/kelola/tulisan/baru/").content.decode()

    assert "Maksimum 12 foto per tulisan" in page and "20 MB" in page
    assert 'data-upload-url="/kelola/foto/unggah/"' in page


def test_photos_uploaded_after_an_autosave_come_after_the_ones_it_attached(world, client_for, in_tenant):
    client = client_for(world.community_a, user=world.member_a)
    first = send(client).json()["id"]
    saved = client.post(
        "/kelola/tulisan/baru/simpan-otomatis/", {"title": "Posyandu", "pending_photos": str(first)}
    ).json()
    second = send(client).json()["id"]

    client.post(
        saved["edit_url"],
        form_data(version=saved["version"], pending_photos=f"{first},{second}"),
    )

    with in_tenant(world.community_a):
        post = Post.objects.get()
        assert list(post.photos.order_by("position").values_list("pk", flat=True)) == [first, second]
