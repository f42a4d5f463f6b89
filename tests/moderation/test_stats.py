"""The province admin's numbers: waiting now and time to a decision, per kabupaten/kota."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import selectors
from moderation.models import Submission


def decided(submission, *, hours: float, days_ago: float = 1, state: str = "approved") -> None:
    decided_at = timezone.now() - timedelta(days=days_ago)
    Submission.objects.filter(pk=submission.pk).update(
        state=state, decided_at=decided_at, submitted_at=decided_at - timedelta(hours=hours)
    )


@pytest.fixture
def history(world, submit):
    for hours, state in [(1, "approved"), (2, "changes_requested"), (3, "rejected"), (10, "approved")]:
        decided(submit(world.community_a), hours=hours, state=state)
    decided(submit(world.community_a), hours=100, days_ago=40)  # too long ago to count
    decided(submit(world.community_a), hours=50, state="withdrawn")  # not an editor's decision
    oldest = submit(world.community_a)
    Submission.objects.filter(pk=oldest.pk).update(submitted_at=timezone.now() - timedelta(days=5))
    submit(world.community_a)
    submit(world.community_b)


def test_it_computes_waiting_and_decision_times_per_regency_in_one_query(
    world, history, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = {row.regency: row for row in selectors.review_stats(user=world.province_admin)}

    pekalongan, semarang = rows["Kota Pekalongan"], rows["Kota Semarang"]
    assert (pekalongan.waiting, pekalongan.decided) == (2, 4)
    assert timezone.now() - pekalongan.oldest_waiting > timedelta(days=5)
    assert pekalongan.median_hours == pytest.approx(2.5)
    assert pekalongan.p90_hours == pytest.approx(7.9)  # 3 + 0.7 × (10 - 3)
    assert (semarang.waiting, semarang.decided, semarang.median_hours) == (1, 0, None)


def test_the_page_shows_them_to_the_province_admin_and_each_editor_for_their_own_regency(
    world, client_for, history
):
    html = client_for(user=world.province_admin).get("/moderasi/statistik/").content.decode()
    assert "Kota Pekalongan" in html and "2,5 jam" in html and "7,9 jam" in html and "5\xa0hari" in html
    assert "Kota Semarang" in html

    editor_page = client_for(user=world.editor_a).get("/moderasi/statistik/")
    assert editor_page.status_code == 200
    html = editor_page.content.decode()
    assert "Kota Pekalongan" in html and "2,5 jam" in html
    assert "Kota Semarang" not in html
    assert client_for(user=world.member_a).get("/moderasi/statistik/").status_code == 404
