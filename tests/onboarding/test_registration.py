"""The applicant's side of "Daftarkan KIM": the form, its checks, the account, the status page."""

import gzip
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from communities.models import Province, Regency, RegistrationRequest

from .conftest import REGISTER, decree, form, jpeg_bytes, pdf_bytes


def sent(main_client, world, **overrides):
    return main_client.post(REGISTER, form(world, **overrides))


def test_the_form_is_linked_from_home_directory_and_an_unknown_subdomain(world, client_for, no_page_cache):
    for path in ("/", "/komunitas/"):
        assert 'href="http://kim.localhost/daftar-kim/"' in client_for().get(path).content.decode()
    unknown = Client(HTTP_HOST="belumada.kim.localhost").get("/")
    assert (
        unknown.status_code == 404 and 'href="http://kim.localhost/daftar-kim/"' in unknown.content.decode()
    )


def test_every_field_is_labelled_and_the_regency_is_chosen_without_javascript(world, main_client):
    html = main_client.get(REGISTER).content.decode()

    for name in ("name", "province", "regency", "district", "village", "address", "decree_number",
                 "decree_date", "decree_file", "contact_name", "contact_email", "contact_whatsapp", "slug",
                 "consent_terms", "consent_privacy", "password1", "password2"):  # fmt: skip
        assert f'<label for="id_{name}"' in html, name
    assert '<optgroup label="Jawa Tengah">' in html and "Kota Pekalongan</option>" in html
    assert "<script" not in html


def test_a_new_applicant_registers_confirms_the_email_and_the_editors_are_told(
    world, main_client, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sent(main_client, world)

    registration = RegistrationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/daftar-kim/{registration.public_id}/"
    assert registration.state == "unverified" and registration.contact_whatsapp == "+6281234567890"
    applicant = User.objects.get(email="ani@sapuro.id")
    assert registration.applicant == applicant and applicant.check_password("kabar-desa-2026")
    status = main_client.get(response["Location"]).content.decode()  # signed in by the form
    assert "Menunggu konfirmasi email" in status
    assert [m.to for m in mail.outbox] == [["ani@sapuro.id"]]

    link = re.search(r"http://kim\.localhost/daftar-kim/konfirmasi/\S+/", mail.outbox[0].body).group(0)
    with django_capture_on_commit_callbacks(execute=True):
        main_client.get(urlsplit(link).path)

    registration.refresh_from_db()
    assert registration.state == "pending" and registration.submitted_at
    assert mail.outbox[-1].to == [world.editor_a.email] and "KIM Sapuro Kebulen" in mail.outbox[-1].subject
    assert (
        "Menunggu pemeriksaan" in main_client.get(f"/daftar-kim/{registration.public_id}/").content.decode()
    )
    # Nobody else sees the status page.
    assert client_for(user=world.outsider).get(f"/daftar-kim/{registration.public_id}/").status_code == 404


def test_a_signed_in_applicant_uses_that_account_and_goes_straight_to_the_queue(world, client_for):
    client = client_for(user=world.outsider)
    page = client.get(REGISTER).content.decode()
    assert "password1" not in page and 'value="warga@example.id"' in page

    client.post(REGISTER, form(world, contact_email=world.outsider.email, password1=None, password2=None))

    registration = RegistrationRequest.objects.get()
    assert registration.applicant == world.outsider and registration.state == "pending"


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("kratonkidul", "sudah dipakai KIM lain"),
        ("www", "dicadangkan untuk sistem"),
        ("mail", "dicadangkan untuk sistem"),
        ("kim sapuro", "hanya boleh berisi huruf kecil"),
        ("kim.sapuro", "hanya boleh berisi huruf kecil"),
        ("-sapuro", "hanya boleh berisi huruf kecil"),
        ("kimanjing", "kata yang tidak pantas"),
        ("tai-desa", "kata yang tidak pantas"),
        ("a" * 41, "paling panjang 40 karakter"),
    ],
)
def test_a_bad_subdomain_is_refused_clearly_and_nothing_typed_is_lost(world, main_client, slug, message):
    response = sent(main_client, world, slug=slug)

    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert 'aria-describedby="id_slug_error' in html and 'aria-invalid="true"' in html
    assert (
        'value="Ani Sapuro"' in html and 'value="Pekalongan Barat"' in html and 'value="400/123/2025"' in html
    )
    assert "Berkas tersimpan: sk.pdf" in html  # the file is kept server-side
    assert not RegistrationRequest.objects.exists()


def test_pantai_is_not_offensive(world, main_client):
    assert sent(main_client, world, slug="kimpantai").status_code == 302


def test_a_subdomain_another_open_request_holds_is_taken(world, main_client, client_for):
    sent(main_client, world)
    response = sent(client_for(), world, token=2, contact_email="lain@example.id")
    assert response.status_code == 400 and "sedang diajukan oleh pendaftar lain" in response.content.decode()


def test_the_kept_decree_is_used_when_the_form_is_sent_again(world, main_client, private_in_tmp):
    first = sent(main_client, world, slug="www")
    kept = re.search(r'name="decree_kept" value="([^"]+)"', first.content.decode()).group(1)

    response = sent(main_client, world, decree_file=None, decree_kept=kept)

    assert response.status_code == 302
    registration = RegistrationRequest.objects.get()
    assert (private_in_tmp / registration.decree_path).read_bytes().startswith(b"%PDF-")


def test_an_email_already_registered_is_told_to_sign_in(world, main_client):
    response = sent(main_client, world, contact_email=world.member_a.email)

    html = response.content.decode()
    assert response.status_code == 400 and "Email ini sudah terdaftar" in html
    assert 'value="KIM Sapuro Kebulen"' in html and not RegistrationRequest.objects.exists()


def test_a_double_tap_makes_one_request(world, main_client, client_for):
    first = sent(main_client, world)
    again = sent(main_client, world)  # the same form token
    assert again.status_code == 302 and again["Location"] == first["Location"]
    # A second tap whose session missed the first answer's cookie: no second account, no error.
    other_session = sent(client_for(), world)
    assert other_session.status_code == 200 and "Pendaftaran sudah terkirim" in other_session.content.decode()
    assert (
        RegistrationRequest.objects.count() == 1 and User.objects.filter(email="ani@sapuro.id").count() == 1
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (decree(pdf_bytes(javascript="app.alert('x')")), "berisi JavaScript"),
        (decree(b"%PDF-1.7\nini bukan pdf sungguhan"), "rusak atau tidak lengkap"),
        (decree(b"<html><script>alert(1)</script></html>", name="sk.pdf"), "harus PDF, JPG, PNG, atau HEIC"),
        (
            decree(b"MZ\x90\x00 program", name="sk.jpg", content_type="image/jpeg"),
            "harus PDF, JPG, PNG, atau HEIC",
        ),
        (decree(b"", name="sk.pdf"), "Berkas SK"),
    ],
)
def test_a_bad_decree_file_is_refused_clearly(world, main_client, upload, message):
    response = sent(main_client, world, decree_file=upload)

    html = response.content.decode()
    assert response.status_code == 400 and message in html and 'value="Ani Sapuro"' in html
    assert not RegistrationRequest.objects.exists()


def test_a_photo_of_the_decree_is_kept_without_its_metadata(world, main_client, private_in_tmp):
    sent(main_client, world, decree_file=decree(jpeg_bytes(), name="sk.jpg", content_type="image/jpeg"))

    registration = RegistrationRequest.objects.get()
    assert registration.decree_type == "image/webp"
    assert (private_in_tmp / registration.decree_path).read_bytes()[8:12] == b"WEBP"


def test_a_regency_outside_the_chosen_province_is_refused(world, main_client):
    elsewhere = Province.objects.exclude(pk=world.province.pk).first()
    Regency.objects.create(
        code="34.71", province=elsewhere, kind="kota", name="Yogyakarta", slug="kota-yogyakarta"
    )
    from communities.selectors import regions_forget

    regions_forget()
    response = sent(main_client, world, province=elsewhere.pk)

    html = response.content.decode()
    assert response.status_code == 400 and "Kota Pekalongan tidak berada di provinsi yang dipilih" in html
    regions_forget()


def test_the_applicant_edits_while_pending_and_withdraws(world, client_for):
    client = client_for(user=world.outsider)
    client.post(REGISTER, form(world, contact_email=world.outsider.email, password1=None, password2=None))
    registration = RegistrationRequest.objects.get()
    status = f"/daftar-kim/{registration.public_id}/"
    edit = form(world, contact_email=world.outsider.email, password1=None, password2=None, decree_file=None)

    response = client.post(status, {**edit, "village": "Kraton Lor", "slug": "kratonlor"})

    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.village, registration.slug, registration.state) == (
        "Kraton Lor",
        "kratonlor",
        "pending",
    )
    bad = client.post(status, {**edit, "slug": "admin"})
    assert bad.status_code == 400 and "dicadangkan" in bad.content.decode()

    client.post(f"{status}tarik/")
    registration.refresh_from_db()
    assert registration.state == "withdrawn"
    assert "Ubah pendaftaran" not in client.get(status).content.decode()
    assert [e.action for e in registration.events.all()] == ["submit", "edit", "withdraw"]


def test_the_registration_page_weighs_under_30_kb_compressed(world, main_client):
    from pathlib import Path

    from django.conf import settings

    page = main_client.get(REGISTER, HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    css = Path(settings.BASE_DIR, "static", "css", "site.css").read_bytes()
    total = len(page.content) + len(gzip.compress(css))

    print(f"registration page + site.css, gzip: {total} bytes")
    assert total <= 30 * 1024, f"{total} bytes"
    assert "<script" not in gzip.decompress(page.content).decode()


def test_an_error_is_tied_to_its_field_for_screen_readers(world, main_client):
    html = sent(main_client, world, contact_whatsapp="12", consent_terms=None).content.decode()

    assert re.search(
        r'id="id_contact_whatsapp"[^>]*aria-describedby="id_contact_whatsapp_error', html
    ) or re.search(r'aria-describedby="id_contact_whatsapp_error[^"]*"[^>]*id="id_contact_whatsapp"', html)
    assert 'id="id_contact_whatsapp_error"' in html and "Nomor WhatsApp tidak dikenali" in html
    assert 'id="id_consent_terms_error"' in html and "Centang persetujuan syarat" in html


def test_a_request_never_confirmed_in_time_releases_its_subdomain(world, main_client, client_for):
    from datetime import timedelta

    from django.utils import timezone

    sent(main_client, world)  # unconfirmed
    stale = RegistrationRequest.objects.get()
    RegistrationRequest.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=8))

    response = sent(client_for(), world, token=2, contact_email="lain@example.id")

    assert response.status_code == 302
    stale.refresh_from_db()
    assert stale.state == "withdrawn"
    assert (
        RegistrationRequest.objects.get(slug="sapuro", state="unverified").contact_email == "lain@example.id"
    )


def test_decree_files_of_forms_never_sent_are_deleted_after_two_days(world, main_client, private_in_tmp):
    import os
    import time

    from communities.tasks import abandoned_decrees_delete

    sent(main_client, world, slug="www")  # refused: its checked file is kept for the form
    sent(main_client, world, token=2)  # sent: its file belongs to the request
    files = sorted((private_in_tmp / "sk").iterdir())
    assert len(files) == 2
    for path in files:
        os.utime(path, (time.time() - 3 * 86400,) * 2)

    assert abandoned_decrees_delete.call() == 1

    kept = RegistrationRequest.objects.get().decree_path
    assert [f"sk/{p.name}" for p in (private_in_tmp / "sk").iterdir()] == [kept]
