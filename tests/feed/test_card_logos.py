"""A card shows its community's logo beside the community's name, on every list of posts."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from communities.models import Community
from feed.models import FeedEntry
from tests.communities.test_manage_profile import PROFILE, image_upload
from tests.helpers import queries_per_page


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def set_logo(world, client_for, django_capture_on_commit_callbacks):
    """set_logo(clear=False) -> community A's logo URL as its own pages make it, after its admin
    uploaded a new one (or removed it) through the profile form."""

    def change(clear: bool = False) -> str:
        sent = {"logo-clear": "on"} if clear else {"logo": image_upload("logo.png", fmt="PNG")}
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(world.community_a, world.admin_a).post(
                "/kelola/komunitas/", {**PROFILE, **sent}
            )
        assert response.status_code == 302
        community = Community.objects.get(pk=world.community_a.pk)
        with tenant_context(community):
            return community.logo.url if community.logo else ""

    return change


def cards(page: str) -> dict[str, str]:
    """{title: the card's markup} of a page's cards."""
    found = re.findall(r'<article class="card">.*?</article>', page, flags=re.S)
    return {re.search(r'<h3 class="card-title"><a [^>]*>([^<]*)</a>', card)[1]: card for card in found}


LAZY = ' loading="lazy" decoding="async"'


def card_logos(card: str) -> list[str]:
    return re.findall(r'<img class="kim-logo"[^>]*>', card)


def shows_logo(card: str, url: str) -> bool:
    (image,) = card_logos(card)
    meta = re.search(r'<p class="meta">(.*?)</p>', card, flags=re.S)[1]
    expected = f'<img class="kim-logo" src="{url}" width="24" height="24" alt=""{LAZY}>'
    return image == expected and meta.startswith(image + "KIM Kraton Kidul Bersatu")  # beside its name


@pytest.mark.usefixtures("no_page_cache")
def test_cards_show_the_logo_on_every_list(world, main_client, client_for, publish, set_logo):
    url = set_logo()
    publish(world.community_a, world.member_a, "Bazar batik Kraton Kidul")
    publish(world.community_b, world.member_b, "Bazar buku Tembalang")  # its community has no logo
    regency_a, regency_b = world.regency_a.slug, world.regency_b.slug

    pages = {
        "main feed": main_client.get("/"),
        "kab/kota feed": main_client.get(f"/kabupaten/{regency_a}/"),
        "search": main_client.get("/cari/", {"q": "bazar batik"}),
        "category": main_client.get("/kategori/kegiatan/"),
        "community home": client_for(world.community_a).get("/"),
    }

    for name, response in pages.items():
        shown = cards(response.content.decode())
        assert shows_logo(shown["Bazar batik Kraton Kidul"], url), name
        assert not card_logos(shown.get("Bazar buku Tembalang", "")), name
    other = cards(main_client.get(f"/kabupaten/{regency_b}/").content.decode())
    assert not card_logos(other["Bazar buku Tembalang"])


@pytest.mark.usefixtures("no_page_cache")
def test_a_community_without_a_logo_shows_none_on_its_cards(world, main_client, publish):
    publish(world.community_a, world.member_a, "Kerja bakti")

    page = main_client.get("/").content.decode()

    assert not card_logos(cards(page)["Kerja bakti"])
    assert 'class="kim-logo"' not in page


def test_a_new_logo_reaches_the_cards_already_published_and_cached(
    world, main_client, client_for, publish, set_logo
):
    first = set_logo()
    publish(world.community_a, world.member_a, "Bazar batik")
    home = client_for(world.community_a)
    regency = f"/kabupaten/{world.regency_a.slug}/"
    for client, path in ((main_client, "/"), (main_client, regency), (home, "/")):
        assert shows_logo(cards(client.get(path).content.decode())["Bazar batik"], first)  # now cached

    second = set_logo()

    assert second != first
    for client, path in ((main_client, "/"), (main_client, regency), (home, "/")):
        page = client.get(path).content.decode()
        assert shows_logo(cards(page)["Bazar batik"], second), path
        assert first not in page, path

    assert set_logo(clear=True) == ""
    for client, path in ((main_client, "/"), (main_client, regency), (home, "/")):
        assert not card_logos(cards(client.get(path).content.decode())["Bazar batik"]), path


def test_entries_keep_the_logos_place_not_its_url(world, publish, set_logo):
    set_logo()
    publish(world.community_a, world.member_a, "Bazar batik")
    community = Community.objects.get(pk=world.community_a.pk)

    kept = FeedEntry.objects.get(community=community).community_logo

    assert kept == f"{community.schema_name}/{community.logo.name}"  # a new media host reaches it


def test_the_migration_gives_existing_entries_their_communitys_logo(world, publish, set_logo):
    set_logo()
    publish(world.community_a, world.member_a, "Bazar batik")
    publish(world.community_b, world.member_b, "Bazar buku")
    FeedEntry.objects.update(community_logo="")  # as entries published before the column were
    migration = import_module("feed.migrations.0006_feedentry_community_logo")

    with connection.schema_editor() as editor:
        migration.logos_from_communities(apps, editor)

    community = Community.objects.get(pk=world.community_a.pk)
    assert dict(FeedEntry.objects.values_list("title", "community_logo")) == {
        "Bazar batik": f"{community.schema_name}/{community.logo.name}",
        "Bazar buku": "",
    }


@pytest.mark.usefixtures("no_page_cache")
def test_logos_cost_no_query(world, main_client, client_for, publish, set_logo):
    set_logo()
    for n in range(3):
        publish(world.community_a, world.member_a, f"Kabar {n}")
        publish(world.community_b, world.member_b, f"Berita {n}")
    regency = f"/kabupaten/{world.regency_a.slug}/"
    main_pages = ["/", regency, "/kategori/kegiatan/"]
    home = client_for(world.community_a)

    # Each host warmed first (its host lookup and the regions cached), as the pinned counts are.
    queries_per_page(main_client, main_pages)
    assert queries_per_page(main_client, main_pages) == {"/": 1, regency: 2, "/kategori/kegiatan/": 1}
    queries_per_page(home, ["/"])
    with CaptureQueriesContext(connection) as queries:
        page = home.get("/").content.decode()
    assert len(queries.captured_queries) == 1  # as test_community_pages pins it
    assert len(re.findall(r'<img class="kim-logo"[^>]*width="24"', page)) == 3
