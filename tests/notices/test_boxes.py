"""Where official notices show: every KIM site of their area, newest first, a few at most, until
their last day; never once withdrawn, and never on another area's sites."""

import datetime

import pytest
from django.utils import timezone

from notices import fastpath, services
from notices.models import Notice
from tests.helpers import queries_per_page

from .conftest import in_days


def box(client, url="/") -> list[str]:
    """The titles in the page's "Info Diskominfo" box, in order."""
    response = client.get(url)
    assert response.status_code == 200, url
    return [notice.title for notice in response.context.get("notices") or []]


@pytest.mark.usefixtures("no_page_cache")
def test_a_kotas_notice_shows_on_its_kim_sites_only(world, client_for, notice, publish):
    post = publish(world.community_a, world.member_a, "Kabar warga")
    notice("Perekaman KTP keliling", regency=world.regency_a)
    a, b = client_for(world.community_a), client_for(world.community_b)

    assert box(a) == ["Perekaman KTP keliling"]
    assert box(a, f"/berita/{post.slug}/") == ["Perekaman KTP keliling"]
    assert "Perekaman KTP keliling" in a.get("/").content.decode()
    assert box(b) == []
    assert "Perekaman KTP keliling" not in b.get("/").content.decode()
    main = client_for()
    assert box(main, "/kabupaten/kota-pekalongan/") == ["Perekaman KTP keliling"]
    assert box(main, "/kabupaten/kota-semarang/") == []
    assert box(main, "/") == []  # the province feed shows the province's own notices


@pytest.mark.usefixtures("no_page_cache")
def test_a_province_notice_shows_everywhere_in_the_province(world, client_for, notice):
    notice("Lomba kampung bersih")

    for client, url in [
        (client_for(world.community_a), "/"),
        (client_for(world.community_b), "/"),
        (client_for(), "/"),
        (client_for(), "/kabupaten/kota-semarang/"),
    ]:
        assert box(client, url) == ["Lomba kampung bersih"], url
    html = client_for(world.community_b).get("/").content.decode()
    assert "Resmi" in html and "Diskominfo Provinsi Jawa Tengah" in html


@pytest.mark.usefixtures("no_page_cache")
def test_the_box_shows_the_newest_first_and_at_most_three(world, client_for, notice):
    for n in range(5):
        notice(f"Info ke-{n}", regency=world.regency_a if n % 2 else None)

    assert box(client_for(world.community_a)) == ["Info ke-4", "Info ke-3", "Info ke-2"]
    assert box(client_for(world.community_b)) == ["Info ke-4", "Info ke-2", "Info ke-0"]


@pytest.mark.usefixtures("no_page_cache")
def test_an_expired_notice_does_not_show(world, client_for, notice):
    old = notice("Sudah lewat", regency=world.regency_a, expires_on=in_days(0))
    notice("Masih berlaku", regency=world.regency_a)
    # Its last day passes: published with today as the last day, it is tomorrow now.
    Notice.objects.filter(pk=old.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    fastpath.forget()  # the boxes kept in this process are for one day; the test skips a day

    assert box(client_for(world.community_a)) == ["Masih berlaku"]
    assert "Sudah lewat" not in client_for().get("/info/").content.decode()
    assert "Sudah lewat" not in client_for().get("/info/rss/").content.decode()
    page = client_for().get(old.get_absolute_url())
    assert page.status_code == 200 and "Masa tayang info ini berakhir" in page.content.decode()


@pytest.mark.usefixtures("no_page_cache")
def test_a_withdrawn_notice_does_not_show(world, client_for, notice):
    gone = notice("Jadwal dibatalkan", regency=world.regency_a)
    notice("Jadwal tetap")
    services.notice_withdraw(notice_id=gone.pk, actor=world.province_admin, reason="Dibatalkan")

    assert box(client_for(world.community_a)) == ["Jadwal tetap"]
    assert "Jadwal dibatalkan" not in client_for().get("/info/").content.decode()
    page = client_for().get(gone.get_absolute_url())
    assert page.status_code == 410 and "Info ini sudah ditarik" in page.content.decode()


def test_a_withdrawn_notice_leaves_every_cached_page_of_its_area(
    world, client_for, notice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        gone = notice("Segera ditarik", regency=world.regency_a)
    a = client_for(world.community_a)
    main = client_for()
    assert "Segera ditarik" in a.get("/").content.decode()
    assert "Segera ditarik" in main.get("/kabupaten/kota-pekalongan/").content.decode()
    # A change behind the services' back reaches no stored page: they are served from the cache.
    Notice.objects.filter(pk=gone.pk).update(title="Diam-diam diubah")
    assert "Segera ditarik" in a.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.notice_withdraw(notice_id=gone.pk, actor=world.province_admin, reason="Keliru")

    assert "Segera ditarik" not in a.get("/").content.decode()
    assert "Segera ditarik" not in main.get("/kabupaten/kota-pekalongan/").content.decode()


@pytest.mark.usefixtures("no_page_cache")
def test_the_box_adds_no_query_to_a_warm_worker(world, client_for, notice, publish):
    first = publish(world.community_a, world.member_a, "Pertama")
    notice("Info A", regency=world.regency_a)
    client = client_for(world.community_a)
    urls = ["/", f"/berita/{first.slug}/"]

    queries_per_page(client, urls)  # warm: the host and the area's notices are kept from here on

    assert queries_per_page(client, urls) == {"/": 1, f"/berita/{first.slug}/": 1}
    assert box(client) == ["Info A"]
