"""Published posts in the console: taking one down and putting it back, through the UI."""

from feed.models import FeedEntry
from moderation.models import ModerationEvent, Submission
from tests.factories import post_in


def test_the_published_tab_lists_only_the_editors_regency(world, client_for, published_entry):
    published_entry(world.community_a, title="Lomba mewarnai batik")
    published_entry(world.community_b, title="Panen raya Tembalang")

    html = client_for(user=world.editor_a).get("/moderasi/tayang/").content.decode()

    assert "Lomba mewarnai batik" in html and "Panen raya Tembalang" not in html


def test_taking_down_needs_a_reason(world, client_for, published_entry):
    entry = published_entry(world.community_a)

    response = client_for(user=world.editor_a).post(f"/moderasi/tayang/{entry.pk}/turunkan/", {}, follow=True)

    assert "Tuliskan alasannya: penulis akan membacanya." in response.content.decode()
    assert FeedEntry.objects.filter(pk=entry.pk).exists()


def test_an_editor_takes_a_post_down_and_restores_it(world, client_for, published_entry):
    entry = published_entry(world.community_a, title="Sosialisasi vaksin")
    client = client_for(user=world.editor_a)

    response = client.post(
        f"/moderasi/tayang/{entry.pk}/turunkan/", {"reason": "Foto memuat data pribadi warga"}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/moderasi/diturunkan/"
    assert "“Sosialisasi vaksin” diturunkan." in html and "Foto memuat data pribadi warga" in html
    assert not FeedEntry.objects.filter(community=world.community_a, post_id=entry.post_id).exists()
    post = post_in(world.community_a, entry.post_id)
    assert (post.status, post.feedback) == ("taken_down", "Foto memuat data pribadi warga")

    response = client.post(
        f"/moderasi/tulisan/{world.community_a.pk}/{entry.post_id}/tayangkan-kembali/",
        {"back": "diturunkan"},
        follow=True,
    )

    assert "Tulisan ditayangkan kembali." in response.content.decode()
    assert response.context["page"].items == []
    assert FeedEntry.objects.filter(community=world.community_a, post_id=entry.post_id).exists()
    assert post_in(world.community_a, entry.post_id).status == "published"
    actions = ModerationEvent.objects.filter(post_id=entry.post_id).values_list("action", flat=True)
    assert list(actions)[-2:] == ["take_down", "restore"]


def test_the_taken_down_tab_shows_only_posts_still_down(world, client_for, published_entry):
    down = published_entry(world.community_a, title="Masih diturunkan")
    back = published_entry(world.community_a, title="Sudah kembali")
    client = client_for(user=world.editor_a)
    for entry in (down, back):
        client.post(f"/moderasi/tayang/{entry.pk}/turunkan/", {"reason": "Periksa ulang"})
    client.post(f"/moderasi/tulisan/{world.community_a.pk}/{back.post_id}/tayangkan-kembali/")

    listed = client.get("/moderasi/diturunkan/").context["page"].items
    other = client_for(user=world.editor_b).get("/moderasi/diturunkan/").context["page"].items

    assert [event.title for event in listed] == ["Masih diturunkan"]
    assert other == []


def test_another_regencys_editor_cannot_take_down_or_restore(world, client_for, published_entry):
    entry = published_entry(world.community_a)
    client_for(user=world.editor_a).post(f"/moderasi/tayang/{entry.pk}/turunkan/", {"reason": "Hoaks"})
    other = published_entry(world.community_a, title="Tulisan lain")
    client = client_for(user=world.editor_b)

    take_down = client.post(f"/moderasi/tayang/{other.pk}/turunkan/", {"reason": "Hoaks"})
    restore = client.post(f"/moderasi/tulisan/{world.community_a.pk}/{entry.post_id}/tayangkan-kembali/")

    assert take_down.status_code == 404 and restore.status_code == 404
    assert FeedEntry.objects.filter(pk=other.pk).exists()
    assert post_in(world.community_a, entry.post_id).status == "taken_down"


def test_restoring_a_post_that_is_not_down_says_so(world, client_for, published_entry):
    entry = published_entry(world.community_a)

    response = client_for(user=world.editor_a).post(
        f"/moderasi/tulisan/{world.community_a.pk}/{entry.post_id}/tayangkan-kembali/", follow=True
    )

    assert "Hanya tulisan yang diturunkan yang bisa ditayangkan kembali." in response.content.decode()


def test_take_down_and_restore_are_post_only(world, client_for, published_entry):
    entry = published_entry(world.community_a)
    client = client_for(user=world.editor_a)

    assert client.get(f"/moderasi/tayang/{entry.pk}/turunkan/").status_code == 405
    assert (
        client.get(f"/moderasi/tulisan/{world.community_a.pk}/{entry.post_id}/tayangkan-kembali/").status_code
        == 405
    )


def take_down(client_for, world, entry):
    response = client_for(user=world.editor_a).post(
        f"/moderasi/tayang/{entry.pk}/turunkan/", {"reason": "Hoaks"}
    )
    assert response.status_code == 302


def test_a_withdrawn_fix_leaves_a_taken_down_post_down_restorable_and_undeletable(
    world, client_for, published_entry
):
    entry = published_entry(world.community_a, title="Diturunkan lalu diperbaiki")
    take_down(client_for, world, entry)
    author = client_for(world.community_a, world.member_a)
    editor = client_for(user=world.editor_a)

    author.post(f"/kelola/tulisan/{entry.post_id}/kirim/")  # the fix waits in the queue, not in the tab
    assert editor.get("/moderasi/diturunkan/").context["page"].items == []
    author.post(f"/kelola/tulisan/{entry.post_id}/tarik/")
    refused = author.post(f"/kelola/tulisan/{entry.post_id}/hapus/", follow=True)
    assert "Hapus draf ini" not in author.get(f"/kelola/tulisan/{entry.post_id}/").content.decode()

    assert post_in(world.community_a, entry.post_id).status == "taken_down"
    assert "Hanya draf yang belum pernah tayang yang dapat dihapus." in refused.content.decode()
    listed = editor.get("/moderasi/diturunkan/").context["page"].items
    assert [(event.title, event.action, event.reason) for event in listed] == [
        ("Diturunkan lalu diperbaiki", "take_down", "Hoaks")
    ]
    editor.post(f"/moderasi/tulisan/{world.community_a.pk}/{entry.post_id}/tayangkan-kembali/")
    assert post_in(world.community_a, entry.post_id).status == "published"


def test_a_rejected_fix_leaves_a_taken_down_post_down_and_restorable(world, client_for, published_entry):
    entry = published_entry(world.community_a, title="Perbaikan yang ditolak")
    take_down(client_for, world, entry)
    client_for(world.community_a, world.member_a).post(f"/kelola/tulisan/{entry.post_id}/kirim/")
    fix = Submission.objects.get(community=world.community_a, post_id=entry.post_id, state="pending")
    editor = client_for(user=world.editor_a)

    editor.post(f"/moderasi/kiriman/{fix.pk}/tolak/", {"reject-note": "Masih hoaks", "reject-confirm": "on"})

    assert Submission.objects.get(pk=fix.pk).state == "rejected"
    assert post_in(world.community_a, entry.post_id).status == "taken_down"
    assert [event.title for event in editor.get("/moderasi/diturunkan/").context["page"].items] == [
        "Perbaikan yang ditolak"
    ]
    editor.post(f"/moderasi/tulisan/{world.community_a.pk}/{entry.post_id}/tayangkan-kembali/")
    assert post_in(world.community_a, entry.post_id).status == "published"


def test_closing_reports_while_a_fix_waits_keeps_the_post_out_of_the_taken_down_tab(
    world, client_for, published_entry
):
    entry = published_entry(world.community_a, title="Dilaporkan lalu diperbaiki")
    client_for(entry.community, REMOTE_ADDR="10.0.0.9").post(
        f"/berita/{entry.slug}/laporkan/", {"reason": "hoaks"}
    )
    take_down(client_for, world, entry)
    client_for(world.community_a, world.member_a).post(f"/kelola/tulisan/{entry.post_id}/kirim/")
    editor = client_for(user=world.editor_a)

    editor.post(f"/moderasi/laporan/{world.community_a.pk}/{entry.post_id}/selesai/")

    assert editor.get("/moderasi/diturunkan/").context["page"].items == []  # its fix is in the queue
    closed = ModerationEvent.objects.filter(post_id=entry.post_id, action="reports_closed").get()
    assert closed.to_status == "submitted"
