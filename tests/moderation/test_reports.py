"""Readers report a published post on the community's site; the regency's editors handle the reports."""

import hashlib

import pytest
from django.conf import settings
from django.core import mail
from django_tenants.utils import tenant_context

from feed.models import FeedEntry
from kimportal.errors import ActionRefused
from moderation import services
from moderation import services as moderation_services
from moderation.models import ModerationEvent, Report, Submission
from posts.models import Post
from tests.factories import post_in


def report(client_for, entry, ip="10.0.0.1", reason="hoaks", note="", follow=False):
    client = client_for(entry.community, REMOTE_ADDR=ip)
    return client.post(f"/berita/{entry.slug}/laporkan/", {"reason": reason, "note": note}, follow=follow)


def test_the_report_form_offers_the_five_reasons(world, client_for, published_entry):
    entry = published_entry(world.community_a, title="Harga cabai turun")

    response = client_for(world.community_a).get(f"/berita/{entry.slug}/laporkan/")

    html = response.content.decode()
    assert response.status_code == 200 and "Harga cabai turun" in html
    assert html.count('type="radio" name="reason"') == 5
    for label in ("Hoaks/informasi palsu", "SARA/ujaran kebencian", "Spam/judi online", "Data pribadi"):
        assert label in html


def test_only_published_posts_of_this_community_can_be_reported(world, client_for, published_entry, submit):
    entry = published_entry(world.community_a)
    waiting = submit(world.community_a)

    other_host = client_for(world.community_b).get(f"/berita/{entry.slug}/laporkan/")
    unpublished = client_for(world.community_a).get(f"/berita/{waiting.snapshot['slug']}/laporkan/")

    assert other_host.status_code == 404 and unpublished.status_code == 404


def test_a_report_is_recorded_with_a_hashed_client_key(world, client_for, published_entry):
    entry = published_entry(world.community_a)

    response = report(client_for, entry, ip="10.1.2.3", reason="sara", note="Menghina suku tertentu")

    assert response.status_code == 200 and "Terima kasih" in response.content.decode()
    saved = Report.objects.get()
    assert (saved.community, saved.regency, saved.post_id) == (
        world.community_a,
        world.regency_a,
        entry.post_id,
    )
    assert (saved.reason, saved.note, saved.state) == ("sara", "Menghina suku tertentu", "open")
    assert saved.reporter_key == hashlib.sha256(f"{settings.SECRET_KEY}10.1.2.3".encode()).hexdigest()


def test_one_client_reports_a_post_once(world, client_for, published_entry):
    entry = published_entry(world.community_a)
    report(client_for, entry)

    response = report(client_for, entry, reason="spam")

    assert "Anda sudah melaporkan tulisan ini" in response.content.decode()
    assert Report.objects.count() == 1


def test_reports_are_rate_limited_per_client(world, client_for, published_entry, settings):
    settings.REPORT_RATE_PER_HOUR = 2
    entries = [published_entry(world.community_a, title=f"Tulisan {i}") for i in range(2)]
    entries.append(published_entry(world.community_b, title="Tulisan di komunitas lain"))
    for entry in entries[:2]:
        report(client_for, entry)

    refused = report(client_for, entries[2])
    other_client = report(client_for, entries[2], ip="10.9.9.9")

    assert "Terlalu banyak laporan dari perangkat Anda" in refused.content.decode()
    assert "Terima kasih" in other_client.content.decode()
    assert Report.objects.count() == 3


def test_enough_distinct_reports_hide_the_post_until_an_editor_looks(
    world, client_for, published_entry, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_HIDE_THRESHOLD = 3
    entry = published_entry(world.community_a)
    report(client_for, entry, ip="10.0.0.1")
    report(client_for, entry, ip="10.0.0.2")
    assert FeedEntry.objects.filter(pk=entry.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        report(client_for, entry, ip="10.0.0.3")

    assert not FeedEntry.objects.filter(pk=entry.pk).exists()
    post = post_in(world.community_a, entry.post_id)
    assert (post.status, post.feedback) == ("taken_down", "Disembunyikan otomatis: 3 laporan pembaca")
    event = ModerationEvent.objects.filter(post_id=entry.post_id).last()
    assert (event.action, event.actor) == ("auto_hide", None)
    # The author is told, and so are the regency's editors, who decide whether it stays hidden.
    told = {tuple(m.to): m for m in mail.outbox[-2:]}
    assert set(told) == {("anggota.a@example.id",), ("editor.a@example.id",)}
    to_editor = told[("editor.a@example.id",)]
    assert to_editor.subject.startswith("[KIM] Tulisan disembunyikan karena laporan pembaca")
    assert "http://kim.localhost/moderasi/laporan/" in to_editor.body
    # Once hidden, the post is no longer there to report.
    assert client_for(world.community_a).get(f"/berita/{entry.slug}/laporkan/").status_code == 404


def test_a_report_for_a_post_that_is_not_live_is_refused(world, submit):
    waiting = submit(world.community_a)

    with pytest.raises(ActionRefused, match="tidak tayang"):
        services.report_create(
            community=world.community_a,
            post_id=waiting.post_id,
            reason="hoaks",
            note="",
            client_key="10.0.0.1",
        )


def test_editors_see_open_reports_grouped_per_post(world, client_for, published_entry):
    entry = published_entry(world.community_a, title="Berita yang dilaporkan")
    report(client_for, entry, ip="10.0.0.1", reason="hoaks", note="Sumber tidak jelas")
    report(client_for, entry, ip="10.0.0.2", reason="spam")
    published_entry(world.community_b, title="Laporan di Semarang")

    groups = client_for(user=world.editor_a).get("/moderasi/laporan/").context["groups"]
    other = client_for(user=world.editor_b).get("/moderasi/laporan/").context["groups"]

    (group,) = groups
    assert (group["title"], group["count"], group["live"]) == ("Berita yang dilaporkan", 2, True)
    assert sorted(group["reason_labels"]) == ["Hoaks/informasi palsu", "Spam/judi online"]
    assert group["notes"] == ["Sumber tidak jelas"]
    assert other == []


def test_an_editor_resolves_reports_and_the_post_stays(world, client_for, published_entry):
    entry = published_entry(world.community_a)
    report(client_for, entry)

    response = client_for(user=world.editor_a).post(
        f"/moderasi/laporan/{world.community_a.pk}/{entry.post_id}/selesai/", follow=True
    )

    assert "Laporan ditandai selesai" in response.content.decode()
    resolved = Report.objects.get()
    assert (resolved.state, resolved.resolved_by) == ("resolved", world.editor_a)
    assert FeedEntry.objects.filter(pk=entry.pk).exists()
    assert response.context["groups"] == []
    log = client_for(user=world.province_admin).get("/moderasi/log/").content.decode()
    assert "Laporan pembaca ditutup" in log and "1 laporan pembaca ditutup" in log


def test_an_editor_takes_a_reported_post_down(world, client_for, published_entry):
    entry = published_entry(world.community_a)
    report(client_for, entry)

    client_for(user=world.editor_a).post(
        f"/moderasi/laporan/{world.community_a.pk}/{entry.post_id}/turunkan/", {"reason": "Terbukti hoaks"}
    )

    assert post_in(world.community_a, entry.post_id).feedback == "Terbukti hoaks"
    assert not FeedEntry.objects.filter(pk=entry.pk).exists()
    assert Report.objects.get().state == "resolved"


def test_restoring_an_auto_hidden_post_resolves_its_reports(world, client_for, published_entry, settings):
    settings.REPORT_HIDE_THRESHOLD = 2
    entry = published_entry(world.community_a, title="Disembunyikan pembaca")
    report(client_for, entry, ip="10.0.0.1")
    report(client_for, entry, ip="10.0.0.2")
    client = client_for(user=world.editor_a)
    (group,) = client.get("/moderasi/laporan/").context["groups"]
    assert group["auto_hidden"] and group["title"] == "Disembunyikan pembaca"

    client.post(
        f"/moderasi/tulisan/{world.community_a.pk}/{entry.post_id}/tayangkan-kembali/", {"back": "laporan"}
    )

    assert post_in(world.community_a, entry.post_id).status == "published"
    assert set(Report.objects.values_list("state", flat=True)) == {"resolved"}
    # A new report starts counting from zero again, so one more does not hide it at once.
    report(
        client_for, FeedEntry.objects.get(community=world.community_a, post_id=entry.post_id), ip="10.0.0.3"
    )
    assert post_in(world.community_a, entry.post_id).status == "published"


def test_approving_a_fixed_hidden_post_closes_the_reports_that_hid_it(
    world, client_for, published_entry, settings
):
    settings.REPORT_HIDE_THRESHOLD = 2
    entry = published_entry(world.community_a, title="Judul menyesatkan")
    report(client_for, entry, ip="10.0.0.1")
    report(client_for, entry, ip="10.0.0.2")
    with tenant_context(world.community_a):  # the author fixes the post and sends it again
        post = Post.objects.get(pk=entry.post_id)
        post.title = "Judul yang benar"
        post.save()
        moderation_services.post_submit(post=post, actor=world.member_a)
    fixed = Submission.objects.get(community=world.community_a, post_id=entry.post_id, state="pending")

    client_for(user=world.editor_a).post(f"/moderasi/kiriman/{fixed.pk}/setujui/")

    assert post_in(world.community_a, entry.post_id).status == "published"
    assert set(Report.objects.values_list("state", flat=True)) == {"resolved"}
    live = FeedEntry.objects.get(community=world.community_a, post_id=entry.post_id)
    report(client_for, live, ip="10.0.0.3")  # one new report does not hide the fixed post again
    assert post_in(world.community_a, entry.post_id).status == "published"


def test_approving_an_edit_of_a_live_post_leaves_its_reports_for_the_editor(
    world, client_for, published_entry
):
    entry = published_entry(world.community_a, title="Tulisan tayang")
    report(client_for, entry, ip="10.0.0.1")
    with tenant_context(world.community_a):
        Post.objects.filter(pk=entry.post_id).update(title="Suntingan kecil", status="draft")
        moderation_services.post_submit(post=Post.objects.get(pk=entry.post_id), actor=world.member_a)
    edit = Submission.objects.get(community=world.community_a, post_id=entry.post_id, state="pending")

    client_for(user=world.editor_a).post(f"/moderasi/kiriman/{edit.pk}/setujui/")

    assert Report.objects.get().state == "open"


def test_another_regencys_editor_cannot_handle_the_reports(world, client_for, published_entry):
    entry = published_entry(world.community_a)
    report(client_for, entry)
    client = client_for(user=world.editor_b)

    resolve = client.post(f"/moderasi/laporan/{world.community_a.pk}/{entry.post_id}/selesai/")
    take_down = client.post(
        f"/moderasi/laporan/{world.community_a.pk}/{entry.post_id}/turunkan/", {"reason": "Hoaks"}
    )

    assert resolve.status_code == 404 and take_down.status_code == 404
    assert Report.objects.get().state == "open"


def report_via_proxy(client_for, entry, forwarded_for: str, reason="hoaks", proxy="10.0.0.2"):
    client = client_for(entry.community, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post(f"/berita/{entry.slug}/laporkan/", {"reason": reason, "note": ""})


def test_behind_a_proxy_readers_are_told_apart_by_the_address_it_saw(
    world, client_for, published_entry, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    entry = published_entry(world.community_a)

    first = report_via_proxy(client_for, entry, "203.0.113.7")
    second = report_via_proxy(client_for, entry, "198.51.100.4:50123, 10.0.0.9")  # two proxies of ours
    # the client wrote the left entry itself; the proxy appended the real one
    spoofed_again = report_via_proxy(client_for, entry, "198.51.100.99, 203.0.113.7", reason="spam")

    assert "Terima kasih" in first.content.decode() and "Terima kasih" in second.content.decode()
    assert "Anda sudah melaporkan tulisan ini" in spoofed_again.content.decode()
    assert Report.objects.count() == 2


@pytest.mark.parametrize(
    ("trusted", "proxy"),
    [([], "10.0.0.2"), (["10.0.0.0/24"], "192.0.2.50")],  # no proxies configured; a reader reaching gunicorn
)
def test_a_forwarded_for_header_from_anyone_else_is_ignored(
    world, client_for, published_entry, settings, trusted, proxy
):
    settings.TRUSTED_PROXIES = trusted
    entry = published_entry(world.community_a)
    report_via_proxy(client_for, entry, "203.0.113.7", proxy=proxy)

    again = report_via_proxy(client_for, entry, "198.51.100.4", reason="spam", proxy=proxy)

    assert "Anda sudah melaporkan tulisan ini" in again.content.decode()
    assert Report.objects.count() == 1


def test_a_proxy_entry_that_is_not_an_address_counts_as_the_proxy(
    world, client_for, published_entry, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    entry = published_entry(world.community_a)
    report_via_proxy(client_for, entry, "unknown")

    again = report_via_proxy(client_for, entry, "unknown, ", reason="spam")

    assert "Anda sudah melaporkan tulisan ini" in again.content.decode()


def test_the_author_hears_when_the_post_is_restored(
    world, client_for, published_entry, django_capture_on_commit_callbacks
):
    entry = published_entry(world.community_a, title="Dipulihkan")
    editor = client_for(user=world.editor_a)
    editor.post(f"/moderasi/tayang/{entry.pk}/turunkan/", {"reason": "Periksa ulang"})
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"/moderasi/tulisan/{world.community_a.pk}/{entry.post_id}/tayangkan-kembali/")

    [message] = mail.outbox
    assert message.to == ["anggota.a@example.id"]
    assert message.subject == "[KIM] Tulisan Anda tayang kembali: Dipulihkan"
    assert f"http://kratonkidul.kim.localhost/berita/{entry.slug}/" in message.body
