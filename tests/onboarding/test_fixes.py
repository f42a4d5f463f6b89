"""The small onboarding fixes: an operator's invitation, the admin's add form, the account menu,
links to live posts."""

import re
from io import StringIO
from urllib.parse import urlsplit

from django.core import mail
from django.core.management import call_command

from accounts.models import User
from communities.models import Community, Membership
from tests.conftest import PASSWORD
from tests.factories import make_post

NEW_PASSWORD = "kabar-desa-2026"


def test_create_community_admin_email_sends_an_invitation_that_makes_a_working_admin(
    world, client_for, django_capture_on_commit_callbacks
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_community",
            "KIM Sapuro",
            "sapuro",
            "33.75",
            "--admin-email",
            "Ketua@Sapuro.id",
            stdout=out,
        )

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ketua@sapuro.id"]
    assert "Anda diundang menjadi Pengelola KIM Sapuro di Portal KIM." in mail.outbox[0].body
    link = re.search(r"http://kim\.localhost/undangan/[\w-]+/", mail.outbox[0].body).group(0)
    assert link in out.getvalue()
    visitor = client_for()
    response = visitor.post(
        urlsplit(link).path,
        {"full_name": "Ketua Sapuro", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response["Location"] == "http://sapuro.kim.localhost/"
    community = Community.objects.get(slug="sapuro")
    user = User.objects.get(email="ketua@sapuro.id")
    assert Membership.objects.get(community=community, user=user).role == Membership.Role.ADMIN

    # Signed out, the new admin signs in with the password they chose and reaches the member area.
    fresh = client_for(community)
    fresh.post(
        "/akun/masuk/", {"username": "ketua@sapuro.id", "password": NEW_PASSWORD}, HTTP_HOST="kim.localhost"
    )
    assert fresh.get("/kelola/komunitas/").status_code == 200


def test_create_community_invites_an_existing_account_too(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_community",
            "KIM Sapuro",
            "sapuro",
            "33.75",
            "--admin-email",
            world.outsider.email,
            stdout=StringIO(),
        )
    path = urlsplit(re.search(r"http://kim\.localhost/undangan/[\w-]+/", mail.outbox[0].body).group(0)).path

    client_for(user=world.outsider).post(path)

    assert Membership.objects.get(user=world.outsider, community__slug="sapuro").role == "admin"


def test_a_password_reset_reaches_an_account_that_never_had_a_password(world, main_client):
    User.objects.create_user(email="lama@example.id", full_name="Akun Lama")  # as operators made them

    main_client.post("/akun/kata-sandi/lupa/", {"email": "lama@example.id"})

    assert len(mail.outbox) == 1 and "/akun/kata-sandi/atur/" in mail.outbox[0].body


def test_the_django_admin_adds_a_community_through_the_service(world, client_for):
    root = User.objects.create_superuser(email="root@example.id", password=PASSWORD, full_name="Root")
    admin = client_for(user=root)
    form = {"name": "KIM Admin Baru", "slug": "adminbaru", "regency": world.regency_a.pk}

    response = admin.post("/admin/communities/community/add/", form)

    assert response.status_code == 302
    community = Community.objects.get(slug="adminbaru")
    assert community.schema_name == "kim_adminbaru"
    assert client_for(community).get("/").status_code == 200
    reserved = admin.post("/admin/communities/community/add/", {**form, "slug": "www"})
    assert reserved.status_code == 200 and "tidak dapat dipakai" in reserved.content.decode()


def test_the_account_menu_lists_my_communities_on_every_host(world, client_for, publish):
    Membership.objects.create(user=world.member_a, community=world.community_b, role="admin")
    for community in (None, world.community_a, world.community_b):
        html = client_for(community, world.member_a).get("/").content.decode()
        assert "Komunitas saya" in html
        assert 'href="http://kratonkidul.kim.localhost/kelola/">KIM Kraton Kidul</a> <small>Anggota' in html
        assert 'href="http://tembalang.kim.localhost/kelola/">KIM Tembalang</a> <small>Pengelola' in html
    assert "Komunitas saya" not in client_for(user=world.outsider).get("/").content.decode()


def test_a_members_post_list_links_each_live_post(world, client_for, publish):
    live = publish(world.community_a, world.member_a, "Panen raya di Kraton")
    make_post(world.community_a, world.member_a, title="Masih draf")

    html = client_for(world.community_a, world.member_a).get("/kelola/").content.decode()

    assert html.count('href="/berita/') == 1
    assert f'href="/berita/{live.slug}/"' in html
    assert client_for(world.community_a).get(f"/berita/{live.slug}/").status_code == 200


def test_the_published_email_links_to_the_post_itself(world, publish):
    live = publish(world.community_a, world.member_a, "Panen raya di Kraton")

    body = mail.outbox[-1].body
    assert f"http://kratonkidul.kim.localhost/berita/{live.slug}/" in body
