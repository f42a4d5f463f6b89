"""The reviewers' side: the registration queue in /moderasi/, the decree file, decisions, isolation."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from communities.models import Community, Membership, Province, ProvinceAdmin, RegistrationRequest
from tests.conftest import PASSWORD

from .conftest import make_registration

NEW_PASSWORD = "kabar-desa-2026"


@pytest.fixture
def pending(world):
    return make_registration(world)


def url(registration, action=""):
    return f"/moderasi/pendaftaran/{registration.public_id}/{action}"


@pytest.fixture
def other_province_admin(world):
    user = world.outsider.__class__.objects.create_user(
        email="diy@example.id", full_name="Admin DIY", password=PASSWORD
    )
    ProvinceAdmin.objects.create(user=user, province=Province.objects.exclude(pk=world.province.pk).first())
    return user


def test_the_queue_shows_a_registration_to_its_regencys_editor_and_the_province_admin(
    world, pending, client_for
):
    for reviewer in (world.editor_a, world.province_admin):
        html = client_for(user=reviewer).get("/moderasi/pendaftaran/").content.decode()
        assert "KIM Sapuro Kebulen" in html and url(pending) in html
        review = client_for(user=reviewer).get(url(pending)).content.decode()
        assert "400/123/2025" in review and "+6281234567890" in review and url(pending, "sk/") in review


def test_nobody_else_sees_or_decides_it_or_its_decree(world, pending, client_for, other_province_admin):
    for outsider in (world.editor_b, other_province_admin, world.member_a, world.admin_a):
        client = client_for(user=outsider)
        assert "KIM Sapuro Kebulen" not in client.get("/moderasi/pendaftaran/").content.decode()
        for action in ("", "sk/"):
            assert client.get(url(pending, action)).status_code == 404
        for action in ("setujui/", "tolak/", "minta-perbaikan/"):
            assert (
                client.post(url(pending, action), {"reject-note": "x", "changes-note": "x"}).status_code
                == 404
            )
    assert client_for().get(url(pending, "sk/")).status_code == 302  # to sign in
    pending.refresh_from_db()
    assert pending.state == "pending" and not Community.objects.filter(slug="sapuro").exists()


def test_the_decree_is_served_privately_to_its_reviewers(world, pending, client_for):
    response = client_for(user=world.editor_a).get(url(pending, "sk/"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert (
        response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
    )
    assert "sandbox" in response["Content-Security-Policy"]
    assert pending.decree_path.startswith("sk/") and "/media/" not in pending.decree_path


def test_possible_duplicates_are_shown(world, pending, client_for):
    other = {"contact_email": "x@y.id", "contact_whatsapp": "+628111"}
    make_registration(world, slug="sapuro2", name="KIM Sapuro-Kebulen", village="Lain", **other)
    other = {"contact_email": "z@y.id", "contact_whatsapp": "+628222"}
    make_registration(world, slug="lain", name="KIM Lain", village="Sapuro Kebulen", **other)
    Community.objects.filter(pk=world.community_b.pk).update(email="ani@sapuro.id")

    html = client_for(user=world.editor_a).get(url(pending)).content.decode()

    assert "nama mirip</strong>: <a" in html and "KIM Sapuro-Kebulen" in html
    assert "desa/kelurahan sama</strong>" in html and "KIM Lain" in html
    assert "narahubung sama</strong>" in html and "KIM Tembalang" in html
    assert "KIM Kraton Kidul" not in html.split("Kemungkinan ganda")[1]


def test_approval_makes_a_site_at_once_and_the_welcome_email_lets_the_contact_in(
    world, pending, client_for, django_capture_on_commit_callbacks
):
    editor = client_for(user=world.editor_a)
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(url(pending, "setujui/"))
    site = Client(HTTP_HOST="sapuro.kim.localhost").get("/")
    elapsed = time.perf_counter() - started

    assert response.status_code == 302 and site.status_code == 200 and b"KIM Sapuro Kebulen" in site.content
    print(f"approval to the new subdomain serving: {elapsed:.3f} s")
    assert elapsed <= 1.0, f"approval to a serving subdomain took {elapsed:.2f} s"
    community = Community.objects.get(slug="sapuro")
    assert community.regency == world.regency_a and community.registration == pending
    assert Membership.objects.get(community=community, user=world.outsider).role == "admin"
    assert [e.action for e in pending.events.all()] == ["submit", "approved"]

    welcome = mail.outbox[-1]
    assert welcome.to == [world.outsider.email] and "KIM Sapuro Kebulen" in welcome.subject
    assert "http://sapuro.kim.localhost/kelola/tulisan/baru/" in welcome.body
    set_password = re.search(r"http://kim\.localhost/akun/kata-sandi/atur/\S+/", welcome.body).group(0)
    visitor = Client(HTTP_HOST="kim.localhost")
    form_page = visitor.get(urlsplit(set_password).path, follow=True)
    visitor.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    sign_in = re.search(r"http://kim\.localhost/akun/masuk/\?next=\S+", welcome.body).group(0)
    signed = visitor.post(
        urlsplit(sign_in).path + "?" + urlsplit(sign_in).query,
        {"username": world.outsider.email, "password": NEW_PASSWORD},
    )
    assert signed["Location"] == "http://sapuro.kim.localhost/kelola/"
    assert visitor.get("/kelola/", HTTP_HOST="sapuro.kim.localhost").status_code == 200
    status = visitor.get(f"/daftar-kim/{pending.public_id}/").content.decode()
    assert 'Situs KIM Anda sudah aktif: <a href="http://sapuro.kim.localhost/">' in status


def test_request_changes_emails_the_reasons_and_the_applicant_sends_it_again(
    world, pending, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(user=world.editor_a).post(
            url(pending, "minta-perbaikan/"),
            {"changes-presets": ["sk"], "changes-note": "Mohon unggah halaman 2."},
        )
    pending.refresh_from_db()
    assert pending.state == "changes_requested"
    body = mail.outbox[-1].body
    assert "Berkas SK penetapan tidak terbaca" in body and "Mohon unggah halaman 2." in body
    assert f"/daftar-kim/{pending.public_id}/" in body

    applicant = client_for(user=world.outsider)
    status = applicant.get(f"/daftar-kim/{pending.public_id}/").content.decode()
    assert "Mohon unggah halaman 2." in status and "Simpan dan kirim lagi" in status


def test_a_reject_needs_a_reason_and_is_final(world, pending, client_for, django_capture_on_commit_callbacks):
    editor = client_for(user=world.editor_a)
    empty = editor.post(url(pending, "tolak/"), {})
    assert empty.status_code == 400 and "Pilih alasan atau tulis catatan" in empty.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url(pending, "tolak/"), {"reject-presets": ["ganda"]})

    pending.refresh_from_db()
    assert pending.state == "rejected" and pending.decided_by == world.editor_a
    assert "KIM ini sudah terdaftar" in mail.outbox[-1].body and "ditolak" in mail.outbox[-1].subject
    again = editor.post(url(pending, "setujui/"), follow=True)
    assert "sudah tidak menunggu pemeriksaan" in again.content.decode()
    assert not Community.objects.filter(slug="sapuro").exists()


def test_the_moderation_tabs_link_the_registrations(world, client_for):
    assert "/moderasi/pendaftaran/" in client_for(user=world.editor_a).get("/moderasi/").content.decode()


def test_an_unconfirmed_request_stays_out_of_the_queue(world, client_for):
    registration = make_registration(world)
    RegistrationRequest.objects.filter(pk=registration.pk).update(state="unverified")
    assert "KIM Sapuro" not in client_for(user=world.editor_a).get("/moderasi/pendaftaran/").content.decode()


def test_decisions_appear_in_the_province_audit_log(world, pending, client_for):
    client_for(user=world.editor_a).post(url(pending, "tolak/"), {"reject-presets": ["kontak"]})

    html = client_for(user=world.province_admin).get("/moderasi/log/").content.decode()

    log = html.split("Keputusan pendaftaran KIM")[1]
    assert "Ditolak" in log and "KIM Sapuro Kebulen" in log and "Rina Editor" in log
    assert "Narahubung tidak dapat dihubungi." in log
