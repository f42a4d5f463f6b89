"""Who gets into /kelola/ and whose posts they see: isolation between members and communities."""

from urllib.parse import parse_qs

import pytest
from django.conf import settings
from django.test import Client

from posts.models import Post
from tests.factories import make_post

from .conftest import form_data

POST_URLS = ["/kelola/tulisan/{id}/", "/kelola/tulisan/{id}/pratinjau/", "/kelola/tulisan/{id}/hapus/"]
POST_ACTIONS = [
    "/kelola/tulisan/{id}/kirim/",
    "/kelola/tulisan/{id}/tarik/",
    "/kelola/tulisan/{id}/hapus/",
    "/kelola/tulisan/{id}/simpan-otomatis/",
]


def test_it_sends_anonymous_visitors_to_the_login_page_with_next(world, client_for):
    response = client_for(world.community_a).get("/kelola/tulisan/baru/")

    assert response.status_code == 302
    login, _sep, query = response["Location"].partition("?")
    assert login == settings.LOGIN_URL == "http://kim.localhost/akun/masuk/"
    assert parse_qs(query) == {"next": ["http://kratonkidul.kim.localhost/kelola/tulisan/baru/"]}


def test_it_answers_401_json_to_an_anonymous_autosave(world, client_for):
    response = client_for(world.community_a).post("/kelola/tulisan/baru/simpan-otomatis/", {"title": "x"})

    assert response.status_code == 401
    assert "masuk" in response.json()["error"]


@pytest.mark.parametrize("who", ["outsider", "member_b", "admin_b", "editor_a", "province_admin"])
def test_it_hides_the_member_area_from_non_members(world, client_for, who):
    client = client_for(world.community_a, user=getattr(world, who))

    assert client.get("/kelola/").status_code == 404
    assert client.get("/kelola/tulisan/baru/").status_code == 404


def test_it_refuses_a_form_posted_to_another_communitys_subdomain(world, client_for, in_tenant):
    response = client_for(world.community_b, user=world.member_a).post("/kelola/tulisan/baru/", form_data())

    assert response.status_code == 404
    for community in (world.community_a, world.community_b):
        with in_tenant(community):
            assert not Post.objects.exists()


def test_members_of_the_other_community_get_404_on_its_posts(world, client_for):
    post = make_post(world.community_a, world.member_a)
    client = client_for(world.community_a, user=world.member_b)

    for url in POST_URLS:
        assert client.get(url.format(id=post.pk)).status_code == 404, url
    for url in POST_ACTIONS:
        assert client.post(url.format(id=post.pk)).status_code == 404, url


def test_a_post_id_from_another_community_finds_nothing(world, client_for):
    """Ids are per schema: guessing community B's ids on A's host (or on B's) shows nothing of B's."""
    post_b = make_post(world.community_b, world.member_b, title="Kerja bakti Tembalang")
    client = client_for(world.community_a, user=world.member_a)

    for url in POST_URLS:
        response = client.get(url.format(id=post_b.pk))
        assert response.status_code == 404
        assert "Kerja bakti Tembalang" not in response.content.decode()
    assert (
        client_for(world.community_b, user=world.member_a)
        .get(f"/kelola/tulisan/{post_b.pk}/pratinjau/")
        .status_code
        == 404
    )


def test_a_member_sees_only_their_own_posts(world, client_for):
    own = make_post(world.community_a, world.member_a, title="Tulisan Siti")
    admins = make_post(world.community_a, world.admin_a, title="Tulisan Budi")
    client = client_for(world.community_a, user=world.member_a)

    listing = client.get("/kelola/").content.decode()

    assert "Tulisan Siti" in listing and "Tulisan Budi" not in listing
    for url in POST_URLS:
        assert client.get(url.format(id=admins.pk)).status_code == 404, url
    for url in POST_ACTIONS:
        assert client.post(url.format(id=admins.pk)).status_code == 404, url
    assert client.get(f"/kelola/tulisan/{own.pk}/").status_code == 200


def test_an_admin_sees_every_post_but_edits_only_their_own(world, client_for):
    members = make_post(world.community_a, world.member_a, title="Tulisan Siti")
    client = client_for(world.community_a, user=world.admin_a)

    listing = client.get("/kelola/").content.decode()

    assert "Tulisan Siti" in listing and "oleh Siti" in listing
    assert f'href="/kelola/tulisan/{members.pk}/pratinjau/"' in listing
    assert f'href="/kelola/tulisan/{members.pk}/"' not in listing
    assert client.get(f"/kelola/tulisan/{members.pk}/pratinjau/").status_code == 200
    assert client.get(f"/kelola/tulisan/{members.pk}/").status_code == 404
    assert client.post(f"/kelola/tulisan/{members.pk}/kirim/").status_code == 404
    assert client.post(f"/kelola/tulisan/{members.pk}/simpan-otomatis/", {"title": "x"}).status_code == 404


def test_it_refuses_a_post_without_csrf_token(world):
    client = Client(HTTP_HOST=world.community_a.host, enforce_csrf_checks=True)
    client.force_login(world.member_a)

    response = client.post("/kelola/tulisan/baru/", {"title": "Tanpa token"})

    assert response.status_code == 403
    autosave = client.post("/kelola/tulisan/baru/simpan-otomatis/", {"title": "Tanpa token"})
    assert autosave.status_code == 403
