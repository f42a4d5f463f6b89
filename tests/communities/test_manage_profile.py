"""The community admin edits the community's public profile."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from PIL import Image

from communities import services
from communities.models import Community

PROFILE = {
    "name": "KIM Kraton Kidul Bersatu",
    "about": "Kabar warga Kraton Kidul.",
    "address": "Jl. Hayam Wuruk 5, Pekalongan",
    "phone": "0285 421234",
    "email": "kim@kratonkidul.id",
    "website": "https://kratonkidul.id",
    "facebook": "https://facebook.com/kimkratonkidul",
    "instagram": "https://www.instagram.com/kimkratonkidul",
    "youtube": "https://youtube.com/@kimkratonkidul",
    "tiktok": "",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_upload(name: str, size=(1200, 800), fmt="JPEG", noise=False) -> SimpleUploadedFile:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (11, 92, 173))
    out = io.BytesIO()
    image.save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def test_it_saves_the_profile_and_the_new_name_shows_at_once(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.community_a, world.admin_a)
    assert "KIM Kraton Kidul" in client.get("/").content.decode()  # the host cache is warm now

    with django_capture_on_commit_callbacks(execute=True):  # the cached host is dropped on commit
        response = client.post("/kelola/komunitas/", PROFILE, follow=True)

    assert response.redirect_chain == [("/kelola/komunitas/", 302)]
    assert "Profil komunitas tersimpan" in response.content.decode()
    community = Community.objects.get(pk=world.community_a.pk)
    assert community.name == "KIM Kraton Kidul Bersatu"
    assert community.instagram == "https://www.instagram.com/kimkratonkidul"
    assert "KIM Kraton Kidul Bersatu" in client.get("/").content.decode()


def test_anonymous_readers_see_the_new_name_at_once(world, client_for, django_capture_on_commit_callbacks):
    reader = client_for(world.community_a)
    assert "KIM Kraton Kidul" in reader.get("/").content.decode()  # now in the page cache
    client_for().get("/kabupaten/kota-pekalongan/komunitas/")  # and the regency's community list too

    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.community_a, world.admin_a).post("/kelola/komunitas/", PROFILE)

    assert "KIM Kraton Kidul Bersatu" in reader.get("/").content.decode()
    assert (
        "KIM Kraton Kidul Bersatu"
        in client_for().get("/kabupaten/kota-pekalongan/komunitas/").content.decode()
    )


def test_it_shows_the_current_profile_in_the_form(world, client_for):
    html = client_for(world.community_a, world.admin_a).get("/kelola/komunitas/").content.decode()

    assert 'value="KIM Kraton Kidul"' in html
    assert 'enctype="multipart/form-data"' in html


def test_it_stores_a_small_upright_webp_logo(world, client_for):
    client = client_for(world.community_a, world.admin_a)

    response = client.post("/kelola/komunitas/", {**PROFILE, "logo": image_upload("logo.jpg")})

    assert response.status_code == 302
    community = Community.objects.get(pk=world.community_a.pk)
    assert community.logo.name.startswith("logo/") and community.logo.name.endswith(".webp")
    with Image.open(community.logo.path) as stored:
        assert stored.format == "WEBP"
        assert max(stored.size) == 512
        assert not stored.getexif()  # no metadata (a phone photo's GPS) survives
    assert community.logo.url in client.get("/kelola/komunitas/").content.decode()


def test_it_replaces_and_clears_the_logo(world, client_for):
    client = client_for(world.community_a, world.admin_a)
    client.post("/kelola/komunitas/", {**PROFILE, "logo": image_upload("a.png", fmt="PNG")})
    first = Community.objects.get(pk=world.community_a.pk).logo
    first_path = first.path
    assert os.path.exists(first_path)

    client.post("/kelola/komunitas/", {**PROFILE, "logo": image_upload("b.png", fmt="PNG")})
    second = Community.objects.get(pk=world.community_a.pk).logo
    assert second.name != first.name
    assert not os.path.exists(first_path)  # the replaced file is not left behind

    client.post("/kelola/komunitas/", {**PROFILE, "logo-clear": "on"})
    assert not Community.objects.get(pk=world.community_a.pk).logo


def test_it_refuses_a_pdf_renamed_png_and_keeps_what_was_typed(world, client_for):
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "image/png")

    response = client_for(world.community_a, world.admin_a).post(
        "/kelola/komunitas/", {**PROFILE, "about": "Tulisan panjang yang tidak boleh hilang.", "logo": fake}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Berkas ini bukan gambar atau rusak" in html
    assert 'value="KIM Kraton Kidul Bersatu"' in html
    assert "Tulisan panjang yang tidak boleh hilang." in html
    assert 'value="0285 421234"' in html
    assert Community.objects.get(pk=world.community_a.pk).name == "KIM Kraton Kidul"


def test_it_refuses_a_logo_over_2_mb(world, client_for):
    big = image_upload("besar.png", size=(1000, 1000), fmt="PNG", noise=True)
    assert big.size > 2 * 1024 * 1024

    response = client_for(world.community_a, world.admin_a).post(
        "/kelola/komunitas/", {**PROFILE, "logo": big}
    )

    assert response.status_code == 200
    assert "paling besar 2 MB" in response.content.decode()
    assert not Community.objects.get(pk=world.community_a.pk).logo


def test_it_explains_a_link_to_the_wrong_network_and_a_bad_phone(world, client_for):
    response = client_for(world.community_a, world.admin_a).post(
        "/kelola/komunitas/",
        {**PROFILE, "facebook": "https://instagram.com/kimku", "phone": "telp: kantor", "name": ""},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tautan ini bukan alamat Facebook" in html
    assert "Nomor telepon hanya boleh berisi angka" in html
    assert 'value="https://instagram.com/kimku"' in html
    assert Community.objects.get(pk=world.community_a.pk).facebook == ""


def test_it_accepts_a_link_typed_without_https(world, client_for):
    client_for(world.community_a, world.admin_a).post(
        "/kelola/komunitas/", {**PROFILE, "tiktok": "tiktok.com/@kimkratonkidul"}
    )

    assert Community.objects.get(pk=world.community_a.pk).tiktok == "https://tiktok.com/@kimkratonkidul"


def test_an_admin_cannot_edit_another_communitys_profile(world, client_for):
    response = client_for(world.community_a, world.admin_b).post("/kelola/komunitas/", PROFILE)

    assert response.status_code == 404
    assert Community.objects.get(pk=world.community_a.pk).name == "KIM Kraton Kidul"


def test_a_profile_edit_made_by_another_worker_reaches_this_workers_pages(world, client_for):
    reader = client_for(world.community_a)
    assert "KIM Kraton Kidul" in reader.get("/tentang/").content.decode()  # this worker knows the host now

    # Edited in another worker: its after-commit drop of the remembered host never reaches this one
    # (no Redis), but the page version it bumps does.
    with tenant_context(world.community_a):
        services.community_update_profile(community=world.community_a, data={"name": "KIM Kraton Baru"})

    assert "KIM Kraton Baru" in reader.get("/tentang/").content.decode()
    assert "KIM Kraton Baru" in reader.get("/").content.decode()


def test_a_truncated_jpeg_logo_gets_a_clear_message_not_an_error_page(world, client_for):
    whole = image_upload("logo.jpg", size=(900, 900), noise=True).read()
    broken = SimpleUploadedFile("logo.jpg", whole[: len(whole) // 2], content_type="image/jpeg")
    client = client_for(world.community_a, world.admin_a)

    response = client.post("/kelola/komunitas/", {**PROFILE, "logo": broken})

    assert response.status_code == 200
    assert "Berkas ini bukan gambar atau rusak" in response.content.decode()
    assert not Community.objects.get(pk=world.community_a.pk).logo
