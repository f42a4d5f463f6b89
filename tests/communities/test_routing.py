from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from communities.models import Domain


def test_it_lists_communities_by_regency_on_the_main_domain(world, main_client):
    directory = main_client.get("/komunitas/")
    regency = main_client.get("/kabupaten/kota-pekalongan/komunitas/").content.decode()

    assert directory.status_code == 200
    assert "Kota Pekalongan" in directory.content.decode() and "Kota Semarang" in directory.content.decode()
    assert 'href="http://kratonkidul.kim.localhost/"' in regency
    assert 'href="http://tembalang.kim.localhost/"' not in regency


def test_it_serves_a_community_home_on_its_subdomain(world, client_for):
    response = client_for(world.community_a).get("/")

    assert response.status_code == 200
    assert b"KIM Kraton Kidul" in response.content
    assert b"Kota Pekalongan" in response.content
    assert b"KIM Tembalang" not in response.content


def test_it_keeps_each_community_on_its_own_subdomain(world, client_for):
    response = client_for(world.community_b).get("/")

    assert b"KIM Tembalang" in response.content
    assert b"KIM Kraton Kidul" not in response.content


def test_it_shows_a_friendly_404_for_an_unknown_subdomain(world):
    response = Client(HTTP_HOST="tidakada.kim.localhost").get("/")

    assert response.status_code == 404
    assert "Komunitas tidak ditemukan" in response.content.decode()
    assert b"http://kim.localhost/" in response.content  # a way back to the directory


def test_it_answers_400_to_a_host_that_is_not_ours(world):
    # Django refuses a host outside ALLOWED_HOSTS before any view runs.
    assert Client(HTTP_HOST="evil.example.com", raise_request_exception=False).get("/").status_code == 400
    assert Client(HTTP_HOST="a.b.kim.localhost").get("/").status_code == 400


def test_it_redirects_www_to_the_main_domain(world):
    response = Client(HTTP_HOST="www.kim.localhost").get("/akun/masuk/?x=1")

    assert response.status_code == 301
    assert response["Location"] == "http://kim.localhost/akun/masuk/?x=1"


def test_it_finds_the_tenant_without_a_query_once_warm(world, client_for):
    client = client_for(world.community_a)
    with CaptureQueriesContext(connection) as cold:
        client.get("/")
    assert any("communities_domain" in query["sql"] for query in cold.captured_queries)

    with CaptureQueriesContext(connection) as warm:
        response = client.get("/")
    assert response.status_code == 200
    assert not any("communities_domain" in query["sql"] for query in warm.captured_queries)
    # A warm request on an unchanged connection does not even re-send the search_path.
    assert not any("search_path" in query["sql"] for query in warm.captured_queries)


def test_a_worker_serves_a_host_it_served_moments_ago_without_asking_the_shared_cache(
    world, client_for, monkeypatch
):
    from communities import fastpath, hosts

    client = client_for(world.community_a)
    client.get("/")
    asked = []
    shared = hosts.caches["hosts"]
    monkeypatch.setattr(shared, "get", lambda key, *args: asked.append(key))  # and answers "not cached"

    assert b"KIM Kraton Kidul" in client.get("/").content
    assert asked == []

    later = fastpath._clock() + fastpath.LOCAL_SECONDS + 1  # then, a few seconds on, it asks again
    monkeypatch.setattr(fastpath, "_clock", lambda: later)
    assert b"KIM Kraton Kidul" in client.get("/").content
    assert asked == ["community-host:kratonkidul.kim.localhost"]


def test_what_one_request_does_to_its_community_does_not_reach_the_next(world):
    from communities.hosts import community_for_host

    original = community_for_host("kratonkidul.kim.localhost")  # this worker keeps a copy from here on
    first = community_for_host("kratonkidul.kim.localhost")
    first.name = "Nama yang belum tersimpan"  # e.g. a form that failed validation on this instance
    first.regency.name = "Kabupaten Lain"

    second = community_for_host("kratonkidul.kim.localhost")
    assert (second.name, second.regency.name) == ("KIM Kraton Kidul", original.regency.name)
    assert original.regency.name != "Kabupaten Lain"
    assert second.pk == first.pk


def test_it_forgets_a_cached_host_when_the_domain_changes(
    world, client_for, django_capture_on_commit_callbacks
):
    client_for(world.community_a).get("/")  # warm the cache
    domain = Domain.objects.get(tenant=world.community_a)
    with django_capture_on_commit_callbacks(execute=True):  # the drop happens when the change commits
        domain.domain = "kratonkidul-baru.kim.localhost"
        domain.save()

    assert Client(HTTP_HOST="kratonkidul.kim.localhost").get("/").status_code == 404
    assert Client(HTTP_HOST="kratonkidul-baru.kim.localhost").get("/").status_code == 200


def test_it_serves_a_community_created_after_its_host_was_asked_for(
    world, client_for, django_capture_on_commit_callbacks
):
    from communities import services

    assert Client(HTTP_HOST="kimbaru.kim.localhost").get("/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        services.community_create(name="KIM Baru", slug="kimbaru", regency=world.regency_a)

    response = Client(HTTP_HOST="kimbaru.kim.localhost").get("/")
    assert response.status_code == 200
    assert b"KIM Baru" in response.content


def test_it_speaks_english_when_asked(world, client_for):
    response = Client(HTTP_HOST="tidakada.kim.localhost", HTTP_ACCEPT_LANGUAGE="en").get("/")

    assert "Community not found" in response.content.decode()
