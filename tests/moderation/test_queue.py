"""The queue on the main domain: each editor sees their own regency's submissions, nothing else."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from communities.models import Community, EditorAssignment, Regency
from moderation.context_processors import review_count
from moderation.models import Submission

PHOTO = {
    "id": 7,
    "caption": "Warga membersihkan saluran",
    "width": 1600,
    "height": 1200,
    "srcset": [[480, "http://kratonkidul.kim.localhost/media/p/7-480.webp"], [960, "http://x/7-960.webp"]],
    "src": "http://x/7-960.webp",
    "og": "http://x/7.jpg",
}


def test_it_shows_each_editor_only_their_regencys_submissions(world, client_for, submit):
    submit(world.community_a, title="Posyandu Kraton Kidul")
    submit(world.community_b, title="Bersih desa Tembalang")

    page_a = client_for(user=world.editor_a).get("/moderasi/").content.decode()
    page_b = client_for(user=world.editor_b).get("/moderasi/").content.decode()
    page_province = client_for(user=world.province_admin).get("/moderasi/").content.decode()

    assert "Posyandu Kraton Kidul" in page_a and "Bersih desa Tembalang" not in page_a
    assert "Bersih desa Tembalang" in page_b and "Posyandu Kraton Kidul" not in page_b
    assert "Posyandu Kraton Kidul" in page_province and "Bersih desa Tembalang" in page_province


def test_it_lists_the_oldest_first_and_flags_overdue_ones(world, client_for, submit, settings):
    settings.MODERATION_OVERDUE_HOURS = 48
    recent = submit(title="Kiriman baru")
    old = submit(title="Kiriman lama")
    Submission.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=3))

    response = client_for(user=world.editor_a).get("/moderasi/")

    html = response.content.decode()
    assert html.index("Kiriman lama") < html.index("Kiriman baru")
    assert html.count('class="mod-item overdue"') == 1
    assert "3\xa0hari lalu" in html and "Terlambat" in html
    assert f"/moderasi/kiriman/{recent.pk}/" in html and "KIM Kraton Kidul" in html and "Siti Anggota" in html
    assert "Kegiatan" in html  # the category's label


def test_it_shows_the_cover_as_a_small_lazy_thumbnail(world, client_for, submit):
    submission = submit()
    snapshot = {**submission.snapshot, "photos": [PHOTO], "cover_id": 7}
    Submission.objects.filter(pk=submission.pk).update(snapshot=snapshot)

    html = client_for(user=world.editor_a).get("/moderasi/").content.decode()

    assert (
        '<img class="mod-thumb" src="http://kratonkidul.kim.localhost/media/p/7-480.webp" '
        'width="480" height="360" alt="" loading="lazy"' in html
    )


def test_it_filters_by_community_and_shows_history_by_state(world, client_for, submit):
    submit(world.community_a, title="Dari Kraton Kidul")
    waiting_b = submit(world.community_b, title="Dari Tembalang")
    rejected = submit(world.community_b, title="Sudah ditolak")
    Submission.objects.filter(pk=rejected.pk).update(state="rejected", decided_at=timezone.now())
    client = client_for(user=world.province_admin)

    only_b = client.get("/moderasi/", {"community": world.community_b.pk}).content.decode()
    history = client.get("/moderasi/", {"state": "rejected"}).content.decode()

    assert "Dari Tembalang" in only_b and "Dari Kraton Kidul" not in only_b and "Sudah ditolak" not in only_b
    assert "Sudah ditolak" in history and "Dari Tembalang" not in history
    assert f"/moderasi/kiriman/{waiting_b.pk}/" in only_b
    # The community's kabupaten/kota is the one in view: its communities are offered, B's selected.
    assert f'<option value="{world.community_b.pk}" selected>KIM Tembalang</option>' in only_b
    assert "KIM Kraton Kidul</option>" not in only_b


def test_a_province_admin_narrows_the_queue_by_kabupaten_kota(world, client_for, submit):
    submit(world.community_a, title="Posyandu Kraton Kidul")
    submit(world.community_b, title="Bersih desa Tembalang")
    client = client_for(user=world.province_admin)

    everything = client.get("/moderasi/").content.decode()
    only_b = client.get("/moderasi/", {"regency": world.regency_b.pk}).content.decode()

    assert '<select name="regency"' in everything
    assert "Posyandu Kraton Kidul" in everything and "Bersih desa Tembalang" in everything
    # A province's thousands of communities are never one list: the kabupaten/kota comes first.
    assert '<select name="community"' not in everything
    assert "Pilih kabupaten/kota dahulu untuk menyaring per komunitas." in everything
    assert "Bersih desa Tembalang" in only_b and "Posyandu Kraton Kidul" not in only_b
    assert f'<option value="{world.regency_b.pk}" selected>Kota Semarang</option>' in only_b
    assert f'<option value="{world.community_b.pk}">KIM Tembalang</option>' in only_b
    assert "KIM Kraton Kidul</option>" not in only_b  # B's communities only


def test_an_editor_of_one_regency_gets_no_kabupaten_kota_filter(world, client_for, submit):
    submit(world.community_a, title="Posyandu Kraton Kidul")

    html = client_for(user=world.editor_a).get("/moderasi/").content.decode()

    assert 'name="regency"' not in html
    assert f'<option value="{world.community_a.pk}">KIM Kraton Kidul</option>' in html


def test_a_community_outside_the_chosen_kabupaten_kota_is_ignored(world, client_for, submit):
    submit(world.community_a, title="Posyandu Kraton Kidul")
    submit(world.community_b, title="Bersih desa Tembalang")
    client = client_for(user=world.province_admin)

    response = client.get("/moderasi/", {"regency": world.regency_a.pk, "community": world.community_b.pk})

    html = response.content.decode()
    assert "Filter yang tidak dikenal diabaikan: Komunitas." in html
    assert "Posyandu Kraton Kidul" in html and "Bersih desa Tembalang" not in html


def test_bad_filter_values_are_ignored_with_a_note(world, client_for, submit):
    submit(world.community_a, title="Dari Kraton Kidul")
    client = client_for(user=world.editor_a)

    response = client.get(
        "/moderasi/", {"community": world.community_b.pk, "state": "hapus", "halaman": "'; drop table"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Filter yang tidak dikenal diabaikan: Komunitas, Status, Halaman." in html
    assert "Dari Kraton Kidul" in html  # the defaults: every community of the regency, waiting ones


def test_it_pages_by_fifty(world, client_for, submit):
    first = submit(title="Kiriman pertama")
    for _ in range(50):
        submit(title="Kiriman berikutnya")
    last = Submission.objects.filter(state="pending").latest("submitted_at", "pk")
    client = client_for(user=world.editor_a)

    page_one = client.get("/moderasi/")
    next_link = page_one.context["next_query"]
    page_two = client.get("/moderasi/" + next_link)

    assert len(page_one.context["page"].items) == 50 and page_one.context["page"].items[0] == first
    assert [s.pk for s in page_two.context["page"].items] == [last.pk]
    assert page_two.context["next_query"] is None


def more_communities(regency, count: int) -> list[str]:
    """Community rows without schemas: enough for the filters, which only list names."""
    rows = [
        Community(
            name=f"KIM Tambahan {i:02}", slug=f"tambahan-{i}", schema_name=f"tambahan_{i}", regency=regency
        )
        for i in range(count)
    ]
    return [c.name for c in Community.objects.bulk_create(rows)]


@pytest.mark.parametrize(("count", "communities"), [(1, 0), (30, 30)])
def test_its_query_count_does_not_grow_with_submissions_or_communities(
    world, client_for, submit, django_assert_num_queries, count, communities
):
    more_communities(world.regency_a, communities)
    for i in range(count):
        submit(world.community_a if i % 2 else world.community_b, title=f"Kiriman {i}")
    client = client_for(user=world.province_admin)

    # session, user, roles, the kabupaten/kota reviewed, the queue, the header's count
    with django_assert_num_queries(7):  # + the account menu's communities
        response = client.get("/moderasi/")

    assert len(response.context["page"].items) == count


@pytest.mark.parametrize(
    ("persona", "chosen", "queries", "option"),
    [
        # one kabupaten/kota: its communities are offered (one more query)
        ("editor_a", None, 8, '<option value="{a}">KIM Kraton Kidul</option>'),
        # a community chosen: its kabupaten/kota, then that one's communities
        ("province_admin", "community_b", 9, '<option value="{b}" selected>KIM Tembalang</option>'),
    ],
)
def test_the_community_filter_reads_one_kabupaten_kotas_communities(
    world, client_for, submit, django_assert_num_queries, persona, chosen, queries, option
):
    submit(world.community_a, title="Dari Kraton Kidul")
    submit(world.community_b, title="Dari Tembalang")
    client = client_for(user=getattr(world, persona))
    params = {"community": getattr(world, chosen).pk} if chosen else {}

    with django_assert_num_queries(queries):
        html = client.get("/moderasi/", params).content.decode()

    assert option.format(a=world.community_a.pk, b=world.community_b.pk) in html
    assert html.count("KIM Kraton Kidul</option>") + html.count("KIM Tembalang</option>") == 1


def test_the_community_filter_lists_the_chosen_kabupaten_kotas_communities_only(world, client_for):
    in_a = more_communities(world.regency_a, 3)
    client = client_for(user=world.province_admin)

    only_b = client.get("/moderasi/", {"community": world.community_b.pk}).content.decode()
    only_a = client.get("/moderasi/", {"regency": world.regency_a.pk}).content.decode()

    assert not any(name in only_b for name in in_a) and "KIM Tembalang</option>" in only_b
    assert all(f"{name}</option>" in only_a for name in in_a) and "KIM Tembalang</option>" not in only_a


def test_kabupaten_kota_without_communities_are_not_offered(world, client_for, submit):
    empty = Regency.objects.get(code="33.76")  # Kota Tegal: no community in the test world
    EditorAssignment.objects.create(user=world.editor_a, regency=empty)
    submit(world.community_a, title="Posyandu Kraton Kidul")

    editor_page = client_for(user=world.editor_a).get("/moderasi/").content.decode()
    admin_page = client_for(user=world.province_admin).get("/moderasi/").content.decode()

    # Still one kabupaten/kota to choose from: the editor gets Kraton Kidul's filter directly.
    assert 'name="regency"' not in editor_page
    assert f'<option value="{world.community_a.pk}">KIM Kraton Kidul</option>' in editor_page
    assert f'<option value="{empty.pk}"' not in admin_page
    assert f'<option value="{world.regency_a.pk}">Kota Pekalongan</option>' in admin_page


@pytest.mark.parametrize(
    ("persona", "param", "value", "label"),
    [
        # cursors that are not one
        ("editor_a", "halaman", "1." + "9" * 5000, "Halaman"),
        ("editor_a", "halaman", "9" * 18 + ".1", "Halaman"),
        ("editor_a", "halaman", "01.5", "Halaman"),
        # communities that exist nowhere (the second beyond any integer column)
        ("province_admin", "community", "999999999", "Komunitas"),
        ("province_admin", "community", "9" * 30, "Komunitas"),
    ],
)
def test_a_filter_value_that_names_nothing_shows_the_first_page_with_a_note(
    world, client_for, submit, persona, param, value, label
):
    submit(world.community_a, title="Dari Kraton Kidul")

    response = client_for(user=getattr(world, persona)).get("/moderasi/", {param: value})

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Filter yang tidak dikenal diabaikan: {label}." in html and "Dari Kraton Kidul" in html


@pytest.mark.parametrize("persona", ["member_a", "admin_a", "member_b", "outsider"])
def test_it_is_not_found_for_people_who_do_not_review(world, client_for, persona):
    response = client_for(user=getattr(world, persona)).get("/moderasi/")

    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client_for, world):
    response = client_for().get("/moderasi/")

    assert response.status_code == 302 and "/akun/masuk/?next=/moderasi/" in response["Location"]


def test_the_header_shows_reviewers_how_many_wait(world, client_for, submit):
    submit(world.community_a)
    submit(world.community_a)

    editor_page = client_for(user=world.editor_a).get("/").content.decode()
    member_page = client_for(user=world.member_a).get("/").content.decode()

    assert 'href="http://kim.localhost/moderasi/">Moderasi <span class="count"' in editor_page
    assert '">2</span>' in editor_page
    assert "/moderasi/" not in member_page


def test_the_waiting_count_is_one_query_and_none_for_anonymous_visitors(
    world, submit, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    submit(world.community_b)
    request = RequestFactory().get("/")
    request.community = None
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert review_count(request) == {}

    request.user = User.objects.get(pk=world.editor_b.pk)
    with django_assert_num_queries(1):
        counted = review_count(request)["review_count"]
        assert counted.reviewer and counted.waiting == 1


def test_an_anonymous_main_domain_page_runs_no_moderation_query(world, client_for, submit):
    submit(world.community_a)

    with CaptureQueriesContext(connection) as queries:
        response = client_for().get("/")

    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "moderation_submission" in q["sql"]]
