"""Publishing, editing and withdrawing official notices in the console, and what is refused."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kimportal.errors import ActionRefused
from notices import services
from notices.models import Notice, NoticeEvent

from .conftest import form_data, image_bytes, in_days, pdf_bytes


def test_a_province_admin_publishes_a_notice_for_a_kota(world, client_for):
    client = client_for(user=world.province_admin)

    response = client.post("/moderasi/info/baru/", form_data(world), follow=True)

    notice = Notice.objects.get()
    assert response.redirect_chain[-1][0] == f"/moderasi/info/{notice.pk}/"
    assert "kini tampil di situs KIM Kota Pekalongan" in response.content.decode()
    assert (notice.regency_id, notice.by_province, notice.kind) == (world.regency_a.pk, True, "layanan")
    assert notice.issuer == "Diskominfo Provinsi Jawa Tengah"
    assert list(notice.events.values_list("action", "actor")) == [("publish", world.province_admin.pk)]


def test_an_editor_publishes_for_their_own_kota_as_its_office(world, client_for):
    client_for(user=world.editor_a).post("/moderasi/info/baru/", form_data(world))

    notice = Notice.objects.get()
    assert notice.issuer == "Diskominfo Kota Pekalongan" and not notice.by_province


def test_the_form_offers_only_the_areas_in_reach(world, client_for):
    editor = client_for(user=world.editor_a).get("/moderasi/info/baru/").content.decode()
    admin = client_for(user=world.province_admin).get("/moderasi/info/baru/").content.decode()

    assert "Kota Pekalongan" in editor and "Kota Semarang" not in editor and "Seluruh Provinsi" not in editor
    assert "Seluruh Provinsi Jawa Tengah" in admin and "Kota Semarang" in admin


# --- isolation ------------------------------------------------------------------------------------


def test_an_editor_cannot_publish_to_another_kota(world, client_for):
    response = client_for(user=world.editor_b).post("/moderasi/info/baru/", form_data(world))

    html = response.content.decode()
    assert "Anda tidak bertugas menerbitkan info untuk wilayah ini." in field_errors(html, "target")
    assert 'value="Perekaman KTP elektronik keliling"' in html
    assert not Notice.objects.exists()


def test_the_service_refuses_another_kotas_area_whatever_the_form(world):
    draft = services.NoticeDraft(
        kind="program",
        title="Judul",
        body="Isi",
        link="",
        expires_on=in_days(5),
        province_id=world.province.pk,
        regency_id=world.regency_a.pk,
    )
    with pytest.raises(ActionRefused, match="tidak bertugas"):
        services.notice_publish(actor=world.editor_b, draft=draft)
    draft.regency_id = None  # the whole province: a province admin's
    with pytest.raises(ActionRefused, match="tidak bertugas"):
        services.notice_publish(actor=world.editor_a, draft=draft)
    assert not Notice.objects.exists()


def test_an_editor_cannot_edit_or_withdraw_another_kotas_notice(world, client_for, notice):
    theirs = notice("Info Kota Pekalongan", regency=world.regency_a, by=world.editor_a)
    client = client_for(user=world.editor_b)

    assert client.get(f"/moderasi/info/{theirs.pk}/").status_code == 404
    edit = client.post(f"/moderasi/info/{theirs.pk}/", form_data(world, title="Diubah"))
    withdraw = client.post(f"/moderasi/info/{theirs.pk}/tarik/", {"reason": "Coba"})

    assert (edit.status_code, withdraw.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert (theirs.title, theirs.state) == ("Info Kota Pekalongan", "published")
    assert "Info Kota Pekalongan" not in client.get("/moderasi/info/").content.decode()


def test_a_kota_editor_cannot_edit_the_provinces_notice_to_their_kota(world, client_for, notice):
    provinces = notice("Dari provinsi", regency=world.regency_a)

    assert client_for(user=world.editor_a).get(f"/moderasi/info/{provinces.pk}/").status_code == 404
    with pytest.raises(ActionRefused):
        services.notice_withdraw(notice_id=provinces.pk, actor=world.editor_a, reason="x")


@pytest.mark.parametrize("persona", ["member_a", "admin_a", "outsider", None])
def test_members_and_anonymous_readers_have_no_notice_console(world, client_for, notice, persona):
    mine = notice(regency=world.regency_a)
    client = client_for(user=getattr(world, persona) if persona else None)

    for url in ("/moderasi/info/", "/moderasi/info/baru/", f"/moderasi/info/{mine.pk}/"):
        response = client.get(url)
        assert response.status_code == (404 if persona else 302), url
    response = client.post("/moderasi/info/baru/", form_data(world))
    assert response.status_code in (302, 404)
    assert Notice.objects.count() == 1


# --- bad input: a clear message, and nothing typed is lost ----------------------------------------


def field_errors(html: str, field: str) -> str:
    found = re.search(rf'id="id_{field}_error">(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


def test_a_date_in_the_past_is_refused_and_the_form_keeps_what_was_typed(world, client_for):
    data = form_data(
        world, title="Judul yang diketik", body="Isi yang diketik panjang.", expires_on=in_days(-1)
    )

    html = client_for(user=world.editor_a).post("/moderasi/info/baru/", data).content.decode()

    assert "Tanggal berakhir sudah lewat. Pilih hari ini atau tanggal sesudahnya." in field_errors(
        html, "expires_on"
    )
    assert 'value="Judul yang diketik"' in html and "Isi yang diketik panjang." in html
    assert f'value="r{world.regency_a.pk}" selected' in html
    assert not Notice.objects.exists()


def test_today_is_a_valid_last_day(world, client_for):
    client_for(user=world.editor_a).post("/moderasi/info/baru/", form_data(world, expires_on=in_days(0)))

    assert Notice.objects.get().expires_on == in_days(0)


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_a_notice_without_text_is_refused(world, client_for, body):
    html = (
        client_for(user=world.editor_a)
        .post("/moderasi/info/baru/", form_data(world, body=body))
        .content.decode()
    )

    assert "Isi info wajib diisi" in field_errors(html, "body")
    assert 'value="Perekaman KTP elektronik keliling"' in html
    assert not Notice.objects.exists()


def test_a_pdf_that_is_not_one_is_refused_and_must_be_chosen_again(world, client_for):
    fake = SimpleUploadedFile("jadwal.pdf", b"<html>bukan pdf</html>", content_type="application/pdf")
    data = form_data(world, title="Jadwal layanan", pdf=fake)

    html = client_for(user=world.editor_a).post("/moderasi/info/baru/", data).content.decode()

    assert "Berkas ini bukan PDF. Pilih berkas PDF, atau kosongkan isian ini." in field_errors(html, "pdf")
    assert 'value="Jadwal layanan"' in html
    assert not Notice.objects.exists()


def test_good_files_beside_a_wrong_field_must_be_chosen_again(world, client_for):
    photo = SimpleUploadedFile("foto.jpg", image_bytes(), content_type="image/jpeg")
    pdf = SimpleUploadedFile("jadwal.pdf", pdf_bytes(), content_type="application/pdf")
    data = form_data(world, expires_on=in_days(-3), photo=photo, pdf=pdf)

    html = client_for(user=world.editor_a).post("/moderasi/info/baru/", data).content.decode()

    assert "Isian lain perlu diperbaiki, jadi foto ini belum tersimpan: pilih lagi berkasnya." in (
        field_errors(html, "photo")
    )
    assert "jadi PDF ini belum tersimpan: pilih lagi berkasnya." in field_errors(html, "pdf")


def test_a_photo_that_is_not_one_gets_the_photo_checks_message(world, client_for):
    fake = SimpleUploadedFile("foto.jpg", b"GIF89a not really", content_type="image/jpeg")

    html = (
        client_for(user=world.editor_a)
        .post("/moderasi/info/baru/", form_data(world, photo=fake))
        .content.decode()
    )

    assert field_errors(html, "photo")
    assert not Notice.objects.exists()


def test_a_notice_with_a_photo_and_a_pdf_is_stored_and_served(world, client_for, media_in_tmp):
    photo = SimpleUploadedFile("foto.jpg", image_bytes((1600, 1200)), content_type="image/jpeg")
    pdf = SimpleUploadedFile("jadwal.pdf", pdf_bytes(), content_type="application/pdf")

    client_for(user=world.editor_a).post("/moderasi/info/baru/", form_data(world, photo=photo, pdf=pdf))

    notice = Notice.objects.get()
    assert notice.photo["webp"] and notice.photo["jpeg"] and notice.pdf_name == "jadwal.pdf"
    assert (media_in_tmp / "public" / notice.pdf).read_bytes().startswith(b"%PDF-")
    assert all((media_in_tmp / "public" / path).exists() for path in notice.photo["webp"].values())


# --- editing and withdrawing are audited ------------------------------------------------------------


def test_an_edit_is_audited_with_the_fields_it_changed(world, client_for, notice):
    mine = notice("Judul lama", regency=world.regency_a, by=world.editor_a, kind="layanan")
    data = form_data(world, title="Judul baru", body=mine.body, expires_on=mine.expires_on.isoformat())

    response = client_for(user=world.editor_a).post(f"/moderasi/info/{mine.pk}/", data, follow=True)

    assert "Perubahan disimpan." in response.content.decode()
    event = NoticeEvent.objects.filter(notice=mine).last()
    assert (event.action, event.actor, event.changed) == ("edit", world.editor_a, ["title"])
    mine.refresh_from_db()
    assert mine.slug == "judul-baru"


def test_withdrawing_needs_a_reason_and_is_final(world, client_for, notice):
    mine = notice(regency=world.regency_a, by=world.editor_a)
    client = client_for(user=world.editor_a)

    response = client.post(f"/moderasi/info/{mine.pk}/tarik/", {"reason": ""}, follow=True)
    assert "Tuliskan alasan penarikan" in response.content.decode()

    response = client.post(f"/moderasi/info/{mine.pk}/tarik/", {"reason": "Jadwal dibatalkan"}, follow=True)
    assert "ditarik dari semua situs KIM" in response.content.decode()
    mine.refresh_from_db()
    assert mine.state == "withdrawn"
    assert list(mine.events.values_list("action", "reason"))[-1] == ("withdraw", "Jadwal dibatalkan")

    client.post(f"/moderasi/info/{mine.pk}/", form_data(world, title="Dihidupkan lagi"))
    mine.refresh_from_db()
    assert mine.title != "Dihidupkan lagi"


def test_the_audit_log_shows_notice_decisions(world, client_for, notice):
    mine = notice("Info untuk dicatat", regency=world.regency_a)
    services.notice_withdraw(notice_id=mine.pk, actor=world.province_admin, reason="Salah tanggal")

    html = client_for(user=world.province_admin).get("/moderasi/log/").content.decode()

    assert "Info untuk dicatat" in html and "Salah tanggal" in html and "Ditarik" in html
