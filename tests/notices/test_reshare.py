"""Writing a post from an official notice: the post names its source, is reviewed like any post,
and once published counts towards the notice's reach."""

import pytest
from django_tenants.utils import tenant_context

from feed.models import FeedEntry
from moderation import services as moderation
from moderation.models import Submission
from notices import services
from posts.models import Post


@pytest.fixture
def written_from(world, client_for):
    """written_from(notice, community=A, member=member_a, title=...) -> the post a member wrote from
    the notice through the form, sent for review."""

    def write(notice, community=None, member=None, title="Warga Kraton Kidul ikut perekaman KTP"):
        community, member = community or world.community_a, member or world.member_a
        data = {
            "source_notice": str(notice.pk),
            "title": title,
            "body": "Sabtu pagi 40 warga antre di balai kelurahan; petugas melayani sampai siang.",
            "activity_date": "2026-11-21",
            "activity_place": "Balai Kelurahan",
            "category": "layanan-publik",
            "tags": "",
            "draft": "a" * 32,
            "action": "submit",
        }
        response = client_for(community, member).post("/kelola/tulisan/baru/simpan-kirim/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        with tenant_context(community):
            return Post.objects.get(title=title)

    return write


def approve(world, community, post):
    submission = Submission.objects.get(community=community, post_id=post.pk, state="pending")
    moderation.submission_approve(submission_id=submission.pk, editor=world.province_admin)


def test_the_form_starts_from_the_notice(world, client_for, notice):
    source = notice("Perekaman KTP elektronik keliling", regency=world.regency_a)

    html = (
        client_for(world.community_a, world.member_a)
        .get(f"/kelola/tulisan/baru/?info={source.pk}")
        .content.decode()
    )

    assert 'value="Perekaman KTP elektronik keliling"' in html  # the title to start from
    assert f'name="source_notice" value="{source.pk}"' in html
    assert "Ditulis dari info Diskominfo Provinsi Jawa Tengah" in html and source.get_absolute_url() in html


@pytest.mark.parametrize("case", ["another area", "withdrawn", "no such notice"])
def test_a_notice_the_kim_cannot_write_from_starts_a_plain_post(world, client_for, notice, case):
    source = notice(regency=world.regency_b if case == "another area" else world.regency_a)
    if case == "withdrawn":
        services.notice_withdraw(notice_id=source.pk, actor=world.province_admin, reason="Batal")
    notice_id = 999999 if case == "no such notice" else source.pk

    response = client_for(world.community_a, world.member_a).get(f"/kelola/tulisan/baru/?info={notice_id}")

    html = response.content.decode()
    assert "Tulisan ini dimulai tanpa sumber." in html
    assert 'name="source_notice"' not in html


def test_a_post_written_from_a_notice_is_reviewed_then_credited(world, client_for, notice, written_from):
    source = notice("Perekaman KTP elektronik keliling", regency=world.regency_a)
    post = written_from(source)

    assert post.source_notice_id == source.pk and post.status == "submitted"
    submission = Submission.objects.get(community=world.community_a, post_id=post.pk)
    assert submission.snapshot["source_notice"] == source.pk
    review = client_for(user=world.editor_a).get(f"/moderasi/kiriman/{submission.pk}/").content.decode()
    assert "Sumber:" in review and "Perekaman KTP elektronik keliling" in review
    assert "KIM Kraton Kidul" not in _reshares(client_for, source)

    approve(world, world.community_a, post)

    entry = FeedEntry.objects.get(community=world.community_a, post_id=post.pk)
    assert entry.source_notice_id == source.pk
    page = client_for(world.community_a).get(f"/berita/{post.slug}/").content.decode()
    assert "Sumber:" in page and source.url in page and "Diskominfo Provinsi Jawa Tengah" in page
    assert "KIM Kraton Kidul" in _reshares(client_for, source)


def _reshares(client_for, notice) -> str:
    html = client_for().get(notice.get_absolute_url()).content.decode()
    return html.split('id="reshares-heading"', 1)[1]


def test_a_rejected_or_taken_down_post_does_not_count(world, client_for, notice, written_from):
    source = notice(regency=world.regency_a)
    post = written_from(source)
    approve(world, world.community_a, post)
    moderation.post_take_down(
        community=world.community_a, post_id=post.pk, editor=world.editor_a, reason="Salah"
    )

    assert "KIM Kraton Kidul" not in _reshares(client_for, source)
    assert not FeedEntry.objects.filter(source_notice=source).exists()


def test_the_console_counts_reshares_per_notice_and_per_kota(world, client_for, notice, written_from):
    source = notice("Lomba kampung bersih")  # the whole province
    other = notice("Info lain")
    for n in range(2):
        approve(world, world.community_a, written_from(source, title=f"Kraton Kidul ikut lomba {n}"))
    approve(
        world,
        world.community_b,
        written_from(source, community=world.community_b, member=world.member_b, title="Tembalang ikut"),
    )
    client = client_for(user=world.province_admin)

    listing = client.get("/moderasi/info/").content.decode()
    assert "3 tulisan dari 2 KIM" in listing and "0 tulisan dari 0 KIM" in listing

    rows = {row.regency: row for row in client.get("/moderasi/info/jangkauan/").context["rows"]}
    pekalongan, semarang = rows["Kota Pekalongan"], rows["Kota Semarang"]
    assert (pekalongan.carrying, pekalongan.communities, pekalongan.reshares) == (1, 1, 2)
    assert (semarang.carrying, semarang.reshares, semarang.percent) == (1, 1, 100)

    editor_rows = client_for(user=world.editor_a).get("/moderasi/info/jangkauan/").context["rows"]
    assert [row.regency for row in editor_rows] == ["Kota Pekalongan"]  # an editor's own reach only
    per_notice = client.get(f"/moderasi/info/{source.pk}/").context["reach"]
    assert {row.regency: row.reshares for row in per_notice} == {"Kota Pekalongan": 2, "Kota Semarang": 1}
    assert client.get(f"/moderasi/info/{other.pk}/").context["reach"] == []


def test_the_notice_page_offers_members_of_the_area_to_write(world, client_for, notice):
    source = notice(regency=world.regency_a)

    mine = client_for(user=world.member_a).get(source.get_absolute_url()).content.decode()
    other = client_for(user=world.member_b).get(source.get_absolute_url()).content.decode()
    anonymous = client_for().get(source.get_absolute_url()).content.decode()

    assert f"/kelola/tulisan/baru/?info={source.pk}" in mine and "Tulis di KIM Kraton Kidul" in mine
    assert "Tulis di" not in other and "Tulis di" not in anonymous


def test_the_box_offers_members_to_write_and_readers_not(world, client_for, notice, settings):
    settings.PAGE_CACHE = False
    source = notice(regency=world.regency_a)

    member = client_for(world.community_a, world.member_a).get("/").content.decode()
    reader = client_for(world.community_a).get("/").content.decode()

    assert f'href="/kelola/tulisan/baru/?info={source.pk}"' in member and "Tulis dari info ini" in member
    assert "Tulis dari info ini" not in reader
