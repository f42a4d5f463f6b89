import re

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD


def test_it_signs_in_with_email_and_password(world, main_client):
    response = main_client.post("/akun/masuk/", {"username": "anggota.a@example.id", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    # One session for every host: the cookie belongs to the base domain and its subdomains.
    assert response.cookies["sessionid"]["domain"] == ".kim.localhost"


def test_it_explains_a_wrong_password_and_keeps_the_email(world, main_client):
    response = main_client.post("/akun/masuk/", {"username": "anggota.a@example.id", "password": "salah"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Email atau kata sandi salah" in html
    assert 'value="anggota.a@example.id"' in html


def test_a_signed_in_member_stays_signed_in_on_their_community(world, main_client):
    main_client.post("/akun/masuk/", {"username": "anggota.a@example.id", "password": PASSWORD})
    # A browser sends the .kim.localhost cookie to the subdomain too; the test client does likewise.
    response = main_client.get("/", HTTP_HOST="kratonkidul.kim.localhost")

    html = response.content.decode()
    assert "Siti" in html
    assert "Anda terdaftar di komunitas ini sebagai Anggota" in html


def test_it_returns_to_the_community_page_that_asked_for_login(world, main_client):
    response = main_client.post(
        "/akun/masuk/",
        {
            "username": "anggota.a@example.id",
            "password": PASSWORD,
            "next": "http://kratonkidul.kim.localhost/",
        },
    )

    assert response["Location"] == "http://kratonkidul.kim.localhost/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.com/",
        "http://kratonkidul.kim.localhost:80@evil.example/",  # a browser goes to evil.example
        "http://kim.localhost:1@evil.example/",
        "http://kim.localhost:x/",
        "//evil.example/",
    ],
)
def test_it_never_redirects_to_another_site_after_login(world, main_client, next_url):
    response = main_client.post(
        "/akun/masuk/", {"username": "anggota.a@example.id", "password": PASSWORD, "next": next_url}
    )

    assert response["Location"] == "/"


def test_a_signed_in_reader_is_not_sent_to_another_site_either(world, main_client):
    main_client.force_login(world.member_a)

    response = main_client.get("/akun/masuk/", {"next": "http://kratonkidul.kim.localhost:80@evil.example/"})

    assert response["Location"] == "/"


def test_a_portal_host_with_its_port_is_a_fine_place_to_return_to(world, main_client):
    main_client.force_login(world.member_a)

    response = main_client.get("/akun/masuk/", {"next": "http://kratonkidul.kim.localhost:8000/tentang/"})

    assert response["Location"] == "http://kratonkidul.kim.localhost:8000/tentang/"


def test_it_signs_out_on_post_and_returns_to_the_page(world, client_for):
    client = client_for(user=world.member_a)

    response = client.post("/akun/keluar/", {"next": "http://kratonkidul.kim.localhost/"})

    assert response["Location"] == "http://kratonkidul.kim.localhost/"
    assert "Masuk" in client.get("/", HTTP_HOST="kratonkidul.kim.localhost").content.decode()


def test_it_changes_the_password(world, client_for):
    client = client_for(user=world.member_a)

    response = client.post(
        "/akun/kata-sandi/ubah/",
        {"old_password": PASSWORD, "new_password1": "kopi-tubruk-2026", "new_password2": "kopi-tubruk-2026"},
    )

    assert response.status_code == 302
    assert Client(HTTP_HOST="kim.localhost").login(
        username="anggota.a@example.id", password="kopi-tubruk-2026"
    )


def test_it_resets_a_forgotten_password_by_email(world, main_client):
    response = main_client.post("/akun/kata-sandi/lupa/", {"email": "anggota.a@example.id"})
    assert response.status_code == 302

    assert len(mail.outbox) == 1
    link = re.search(r"http://kim\.localhost(/akun/kata-sandi/atur/\S+)", mail.outbox[0].body).group(1)
    form_url = main_client.get(link)["Location"]
    response = main_client.post(
        form_url, {"new_password1": "teh-manis-2026", "new_password2": "teh-manis-2026"}
    )

    assert response.status_code == 302
    assert Client(HTTP_HOST="kim.localhost").login(username="anggota.a@example.id", password="teh-manis-2026")


def test_the_community_login_link_points_to_the_main_domain(world, client_for):
    html = client_for(world.community_a).get("/").content.decode()

    assert 'href="http://kim.localhost/akun/masuk/?next=http%3A//kratonkidul.kim.localhost/"' in html


@pytest.mark.parametrize("next_url", ["http://tidakada.kim.localhost/", "http://www.kim.localhost/"])
def test_it_returns_only_to_a_community_that_exists(world, main_client, next_url):
    response = main_client.post(
        "/akun/masuk/", {"username": "anggota.a@example.id", "password": PASSWORD, "next": next_url}
    )

    assert response["Location"] == "/"
