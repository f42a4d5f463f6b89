"""A notice's own page on the main domain, the list of those showing, and their RSS feed."""

import io

import pytest

from notices import files, services
from posts.images import process_photo
from tests.helpers import queries_per_page

from .conftest import image_bytes, pdf_bytes

pytestmark = pytest.mark.usefixtures("no_page_cache")


def checked_photo() -> files.CheckedPhoto:
    processed = process_photo(io.BytesIO(image_bytes((1600, 1200))))
    return files.CheckedPhoto(
        processed.width,
        processed.height,
        [files.Rendition(r.width, r.height, r.content, r.format) for r in processed.renditions],
    )


def test_the_page_has_a_link_preview_and_its_files(world, client_for, notice, media_in_tmp):
    mine = notice(
        "Vaksinasi gratis untuk lansia",
        regency=world.regency_a,
        link="https://dinkes.example.id/vaksin",
        photo=checked_photo(),
        pdf=files.CheckedPdf(pdf_bytes(), "jadwal-vaksin.pdf"),
    )

    response = client_for().get(mine.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta property="og:title" content="Vaksinasi gratis untuk lansia">' in html
    assert f'<link rel="canonical" href="{mine.url}">' in html
    assert '<meta property="og:image" content="http://kim.localhost/media/public/notices/' in html
    assert 'og:image:width" content="1200"' in html
    assert "Puskesmas membuka vaksinasi gratis" in html
    assert 'href="https://dinkes.example.id/vaksin"' in html
    assert "jadwal-vaksin.pdf" in html
    pdf_url = html.split('type="application/pdf"')[0].rsplit('href="', 1)[1].split('"')[0]
    served = client_for().get(pdf_url)
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF-")
    assert "Diskominfo Provinsi Jawa Tengah" in html and "untuk KIM di Kota Pekalongan" in html


def test_a_wrong_slug_redirects_to_the_notices_address(world, client_for, notice):
    mine = notice("Judul info")

    response = client_for().get(f"/info/{mine.pk}-judul-lama/")

    assert response.status_code == 301 and response["Location"] == mine.get_absolute_url()
    assert client_for().get("/info/999999-tidak-ada/").status_code == 404


def test_a_withdrawn_notices_files_are_no_longer_served(
    world, client_for, notice, media_in_tmp, django_capture_on_commit_callbacks
):
    mine = notice(pdf=files.CheckedPdf(pdf_bytes(), "surat.pdf"), photo=checked_photo())
    stored = [mine.pdf, *files.photo_paths(mine.photo)]
    assert all((media_in_tmp / "public" / path).exists() for path in stored)

    with django_capture_on_commit_callbacks(execute=True):
        services.notice_withdraw(notice_id=mine.pk, actor=world.province_admin, reason="Keliru")

    assert not any((media_in_tmp / "public" / path).exists() for path in stored)
    assert all((media_in_tmp.parent / "withheld" / "public" / path).exists() for path in stored)
    assert client_for().get(files.pdf_url(mine.pdf)).status_code == 404


def test_the_list_and_the_feed_show_the_notices_showing_now(world, client_for, notice):
    notice("Untuk seluruh provinsi")
    notice("Untuk Kota Pekalongan", regency=world.regency_a, kind="layanan")
    notice("Untuk Kota Semarang", regency=world.regency_b)
    main = client_for()

    listing = main.get("/info/").content.decode()
    assert all(
        title in listing
        for title in ("Untuk seluruh provinsi", "Untuk Kota Pekalongan", "Untuk Kota Semarang")
    )
    narrowed = main.get("/info/?kabupaten=kota-pekalongan").content.decode()
    assert "Untuk Kota Pekalongan" in narrowed and "Untuk seluruh provinsi" in narrowed
    assert "Untuk Kota Semarang" not in narrowed

    rss = main.get("/info/rss/")
    body = rss.content.decode()
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert "<title>[Pengumuman layanan] Untuk Kota Pekalongan</title>" in body
    assert "http://kim.localhost/info/" in body


def test_the_lists_run_a_fixed_number_of_queries(world, client_for, notice, publish):
    notice("Pertama", regency=world.regency_a)
    public, console = client_for(), client_for(user=world.province_admin)
    pages = {public: ["/info/", "/info/rss/", "/kabupaten/kota-pekalongan/"], console: ["/moderasi/info/"]}

    def counts() -> dict:
        return {url: n for client, urls in pages.items() for url, n in queries_per_page(client, urls).items()}

    counts()  # warm: hosts, regions and sessions
    few = counts()
    for n in range(6):
        notice(f"Info {n}", regency=world.regency_a if n % 2 else None)
    publish(world.community_a, world.member_a, "Kabar")
    counts()  # a notice changed: this process reads its areas' boxes once again

    assert counts() == few
