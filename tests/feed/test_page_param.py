"""Every paged list names its page `halaman`; the names it had before redirect there for good."""

# In feed's tests for the `publish` fixture; the moderation console's lists are covered too.

import pytest

from kimportal.pagination import PAGE_PARAM, RETIRED_PAGE_PARAMS


def test_the_page_parameter_is_halaman_and_the_old_names_are_retired():
    assert PAGE_PARAM == "halaman"
    assert set(RETIRED_PAGE_PARAMS) == {"setelah", "hal", "after"}


@pytest.mark.parametrize(
    ("old", "path", "query", "new"),
    [
        ("setelah", "/", "setelah=1700000000000000.5", "/?halaman=1700000000000000.5"),
        ("setelah", "/kabupaten/kota-semarang/", "setelah=17.5", "/kabupaten/kota-semarang/?halaman=17.5"),
        ("hal", "/cari/", "q=batik+tulis&hal=2", "/cari/?q=batik+tulis&halaman=2"),
        ("after", "/moderasi/", "state=approved&after=17.5", "/moderasi/?state=approved&halaman=17.5"),
        ("setelah", "/tag/kué-lapis/", "setelah=17.5", "/tag/ku%C3%A9-lapis/?halaman=17.5"),
    ],
)
def test_it_redirects_an_old_name_to_the_same_page_for_good(world, main_client, old, path, query, new):
    response = main_client.get(f"{path}?{query}")

    assert response.status_code == 301
    assert response["Location"] == new


def test_it_redirects_on_a_communitys_site_too(world, client_for):
    response = client_for(world.community_a).get("/galeri/?setelah=17.5")

    assert response.status_code == 301
    assert response["Location"] == "/galeri/?halaman=17.5"


def test_the_new_name_wins_over_an_old_one_in_the_same_address(world, main_client):
    response = main_client.get("/cari/?q=batik&hal=3&halaman=2")

    assert response["Location"] == "/cari/?q=batik&halaman=2"


def test_the_redirect_leads_to_the_page_the_old_address_showed(world, main_client, publish):
    for n in range(21):
        publish(world.community_a, world.member_a, f"Kabar {n}")
    cursor = main_client.get("/").context["page"].next_cursor

    response = main_client.get("/", {"setelah": cursor}, follow=True)

    assert response.redirect_chain == [(f"/?halaman={cursor}", 301)]
    assert [entry.title for entry in response.context["page"].items] == ["Kabar 0"]


def test_posts_and_forms_are_not_redirected(world, main_client):
    assert main_client.post("/cari/?hal=2").status_code != 301
    assert main_client.get("/cari/?q=hal").status_code == 200


def test_lists_link_their_next_page_by_the_new_name(world, main_client, client_for, publish):
    for n in range(21):
        publish(world.community_a, world.member_a, f"Kabar {n}")

    feed = main_client.get("/").content.decode()
    community = client_for(world.community_a).get("/").content.decode()

    assert 'href="?halaman=' in feed and 'href="?halaman=' in community
    assert "setelah=" not in feed + community
