"""The member area as an installable app: its service worker and manifest."""


def test_the_service_worker_is_served_from_the_member_area(world, client_for):
    response = client_for(world.community_a).get("/kelola/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert b'addEventListener("sync"' in response.content


def test_the_member_pages_link_the_manifest_and_the_outbox(world, client_for):
    client = client_for(world.community_a, user=world.member_a)

    for path in ("/kelola/", "/kelola/tulisan/baru/"):
        page = client.get(path).content.decode()
        assert 'rel="manifest"' in page and 'id="outbox"' in page
        assert 'data-sw="/kelola/sw.js"' in page
