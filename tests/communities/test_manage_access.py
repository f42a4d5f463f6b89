"""Who may reach a community's management pages: only that community's admins."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from communities.models import Membership

PAGES = ["/kelola/komunitas/", "/kelola/komunitas/anggota/", "/kelola/komunitas/undangan/"]


@pytest.mark.parametrize("path", PAGES)
def test_it_shows_the_management_pages_to_the_communitys_admin(world, client_for, path):
    response = client_for(world.community_a, world.admin_a).get(path)

    assert response.status_code == 200
    assert "Kelola komunitas" in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_it_hides_them_from_another_communitys_admin(world, client_for, path):
    assert client_for(world.community_a, world.admin_b).get(path).status_code == 404
    assert client_for(world.community_b, world.admin_a).get(path).status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_it_hides_them_from_members_and_outsiders(world, client_for, path):
    assert client_for(world.community_a, world.member_a).get(path).status_code == 404
    assert client_for(world.community_a, world.outsider).get(path).status_code == 404
    assert client_for(world.community_a, world.editor_a).get(path).status_code == 404


def test_it_sends_anonymous_visitors_to_the_main_domain_login(world, client_for):
    response = client_for(world.community_a).get("/kelola/komunitas/anggota/")

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc, location.path) == ("http", "kim.localhost", "/akun/masuk/")
    assert parse_qs(location.query)["next"] == ["http://kratonkidul.kim.localhost/kelola/komunitas/anggota/"]


def test_it_refuses_a_post_without_csrf_token(world):
    client = Client(HTTP_HOST=world.community_a.host, enforce_csrf_checks=True)
    client.force_login(world.admin_a)
    member = Membership.objects.get(user=world.member_a)

    response = client.post(f"/kelola/komunitas/anggota/{member.pk}/peran/", {"role": "admin"})

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == Membership.Role.MEMBER


def test_it_changes_nothing_on_get(world, client_for):
    member = Membership.objects.get(user=world.member_a)
    client = client_for(world.community_a, world.admin_a)

    assert client.get(f"/kelola/komunitas/anggota/{member.pk}/peran/").status_code == 405
    assert client.get(f"/kelola/komunitas/anggota/{member.pk}/keluarkan/").status_code == 200  # confirmation
    assert Membership.objects.filter(pk=member.pk, role=Membership.Role.MEMBER).exists()


def test_it_links_admins_to_the_management_pages_from_the_community_home(world, client_for):
    admin_home = client_for(world.community_a, world.admin_a).get("/").content.decode()
    member_home = client_for(world.community_a, world.member_a).get("/").content.decode()

    assert 'href="/kelola/komunitas/"' in admin_home
    assert "/kelola/komunitas/" not in member_home
