"""The province console in /moderasi/: communities and their figures, CSV, archive, move, staff."""

import csv
import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import User
from communities.models import Community, EditorAssignment, ProvinceAdmin, Regency
from tests.factories import make_post

COMMUNITIES = "/moderasi/komunitas/"
STAFF = "/moderasi/staf/"


def test_the_province_admin_sees_every_community_with_its_figures(world, client_for, publish):
    publish(world.community_a, world.member_a, "Panen raya")
    make_post(world.community_a, world.member_a, title="Menunggu", submit=True)

    html = client_for(user=world.province_admin).get(COMMUNITIES).content.decode()

    row = html.split("KIM Kraton Kidul</a>")[1].split("</tr>")[0]
    cells = re.findall(r'<td data-label="[^"]+">([^<]*)</td>', row)
    assert cells[:3] == ["Kota Pekalongan", "2", "1"] and cells[3] == "1" and cells[5] == "1"
    assert "KIM Tembalang" in html


def test_an_editor_sees_only_their_own_kabupaten_kota_and_changes_nothing(world, client_for):
    client = client_for(user=world.editor_b)
    html = client.get(COMMUNITIES).content.decode()
    assert "KIM Tembalang" in html and "KIM Kraton Kidul" not in html and "Arsipkan" not in html
    assert client.get(COMMUNITIES, {"regency": world.regency_a.pk}).status_code == 200
    assert "KIM Kraton Kidul" not in client.get(COMMUNITIES, {"regency": world.regency_a.pk}).content.decode()
    assert "KIM Kraton Kidul" not in client.get(COMMUNITIES + "direktori.csv").content.decode()
    assert client.post(f"{COMMUNITIES}{world.community_a.pk}/arsip/", {"archived": "1"}).status_code == 404
    assert client.post(f"{COMMUNITIES}{world.community_b.pk}/arsip/", {"archived": "1"}).status_code == 404
    assert "Angkat editor" not in client.get(STAFF).content.decode()
    assert client.post(STAFF + "editor/", {"editor-email": "x@y.id"}).status_code == 404
    assert client_for(user=world.member_a).get(COMMUNITIES).status_code == 404


def test_the_filters_find_dormant_active_and_archived_communities(world, client_for):
    Community.objects.filter(pk=world.community_a.pk).update(
        last_published_at=timezone.now() - timedelta(days=3)
    )
    Community.objects.filter(pk=world.community_b.pk).update(
        last_published_at=timezone.now() - timedelta(days=100)
    )
    client = client_for(user=world.province_admin)

    def names(**query):
        html = client.get(COMMUNITIES, query).content.decode()
        return [n for n in ("KIM Kraton Kidul", "KIM Tembalang") if n + "</a>" in html]

    assert names(status="active") == ["KIM Kraton Kidul"]
    assert names(status="dormant") == ["KIM Tembalang"]
    assert names(status="archived") == []
    assert names(regency=world.regency_b.pk) == ["KIM Tembalang"]


def test_the_csv_carries_the_figures(world, client_for, publish):
    publish(world.community_b, world.member_b, "Posyandu")
    response = client_for(user=world.province_admin).get(COMMUNITIES + "direktori.csv")

    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Nama", "Subdomain", "Situs"]
    tembalang = next(r for r in rows if r[0] == "KIM Tembalang")
    assert tembalang[2] == "http://tembalang.kim.localhost/" and tembalang[4:7] == ["2", "1", "1"]


def test_an_archived_site_says_so_keeps_its_posts_and_takes_no_new_ones(
    world, client_for, publish, no_page_cache, django_capture_on_commit_callbacks
):
    post = publish(world.community_a, world.member_a, "Panen raya")
    client_for(user=world.province_admin).post(
        f"{COMMUNITIES}{world.community_a.pk}/arsip/", {"archived": "1"}
    )

    assert Community.objects.get(pk=world.community_a.pk).archived_at
    reader = client_for(world.community_a)
    assert "Situs KIM ini diarsipkan" in reader.get("/").content.decode()
    assert reader.get(f"/berita/{post.slug}/").status_code == 200
    member = client_for(world.community_a, world.member_a)
    assert member.post("/kelola/tulisan/baru/", {"title": "Baru"}).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):  # drops the cached host answers
        client_for(user=world.province_admin).post(
            f"{COMMUNITIES}{world.community_a.pk}/arsip/", {"archived": "0"}
        )
    assert "diarsipkan" not in client_for(world.community_a).get("/").content.decode()


def test_moving_a_community_hands_it_to_the_other_editors(world, client_for):
    client_for(user=world.province_admin).post(
        f"{COMMUNITIES}{world.community_a.pk}/pindah/", {"regency": world.regency_b.pk}
    )

    assert Community.objects.get(pk=world.community_a.pk).regency == world.regency_b
    assert "KIM Kraton Kidul" in client_for(user=world.editor_b).get(COMMUNITIES).content.decode()


def test_appointing_an_editor_invites_a_new_account_that_works(
    world, client_for, django_capture_on_commit_callbacks
):
    admin = client_for(user=world.province_admin)
    data = {
        "editor-email": "Baru@Diskominfo.id",
        "editor-full_name": "Editor Baru",
        "editor-regency": world.regency_a.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(STAFF + "editor/", data).status_code == 302

    user = User.objects.get(email="baru@diskominfo.id")
    assert EditorAssignment.objects.filter(user=user, regency=world.regency_a).exists()
    body = mail.outbox[-1].body
    link = re.search(r"http://kim\.localhost/akun/kata-sandi/atur/\S+/", body).group(0)
    visitor = Client(HTTP_HOST="kim.localhost")
    form_page = visitor.get(urlsplit(link).path, follow=True)
    visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "kabar-desa-2026", "new_password2": "kabar-desa-2026"},
    )
    visitor.post("/akun/masuk/", {"username": "baru@diskominfo.id", "password": "kabar-desa-2026"})
    assert visitor.get("/moderasi/").status_code == 200
    again = admin.post(STAFF + "editor/", data)
    assert again.status_code == 400 and "sudah menjadi editor" in again.content.decode()


def test_appointing_an_existing_account_and_removing_editors_and_admins(
    world, client_for, django_capture_on_commit_callbacks
):
    admin = client_for(user=world.province_admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(STAFF + "admin/", {"admin-email": world.outsider.email, "admin-full_name": "Warga"})
    role = ProvinceAdmin.objects.get(user=world.outsider)
    assert "/akun/masuk/" in mail.outbox[-1].body and "kata-sandi/atur" not in mail.outbox[-1].body

    assignment = EditorAssignment.objects.get(user=world.editor_a)
    admin.post(f"{STAFF}editor/{assignment.pk}/hapus/")
    assert not EditorAssignment.objects.filter(user=world.editor_a).exists()
    assert client_for(user=world.editor_a).get("/moderasi/").status_code == 404

    refused = admin.post(
        f"{STAFF}admin/{ProvinceAdmin.objects.get(user=world.province_admin).pk}/hapus/", follow=True
    )
    assert "tidak dapat mencabut peran admin Anda sendiri" in refused.content.decode()
    admin.post(f"{STAFF}admin/{role.pk}/hapus/")
    assert not ProvinceAdmin.objects.filter(user=world.outsider).exists()


def test_a_province_admin_of_another_province_sees_and_changes_nothing_here(world, client_for):
    from communities.models import Province

    other = User.objects.create_user(email="diy@example.id", full_name="Admin DIY", password="x-123-rahasia")
    elsewhere = Province.objects.exclude(pk=world.province.pk).first()
    Regency.objects.create(
        code="34.71", province=elsewhere, kind="kota", name="Yogyakarta", slug="kota-yogyakarta"
    )
    ProvinceAdmin.objects.create(user=other, province=elsewhere)
    client = client_for(user=other)
    assert client.get(COMMUNITIES).status_code == 200  # their own console, empty

    html = client.get(COMMUNITIES).content.decode()
    assert "KIM Kraton Kidul" not in html and "KIM Tembalang" not in html
    assert "KIM" not in client.get(COMMUNITIES + "direktori.csv").content.decode().split("\n", 1)[1]
    assert client.post(f"{COMMUNITIES}{world.community_a.pk}/arsip/", {"archived": "1"}).status_code == 404
    assert (
        client.post(
            f"{COMMUNITIES}{world.community_a.pk}/pindah/", {"regency": world.regency_b.pk}
        ).status_code
        == 404
    )
    assignment = EditorAssignment.objects.get(user=world.editor_a)
    assert client.post(f"{STAFF}editor/{assignment.pk}/hapus/").status_code == 404
    role = ProvinceAdmin.objects.get(user=world.province_admin)
    assert client.post(f"{STAFF}admin/{role.pk}/hapus/").status_code == 404
    data = {"editor-email": "x@y.id", "editor-full_name": "X", "editor-regency": world.regency_a.pk}
    assert client.post(STAFF + "editor/", data).status_code == 400  # not a kabupaten/kota of theirs
    assert EditorAssignment.objects.filter(user=world.editor_a).exists()
    assert not Community.objects.get(pk=world.community_a.pk).archived_at
