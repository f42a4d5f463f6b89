"""Province admins choose the editors' picks that lead the province feed."""

import pytest

from feed.models import FeedEntry
from kimportal.errors import ActionRefused
from moderation import services
from moderation.models import ModerationEvent


@pytest.mark.usefixtures("no_page_cache")
def test_a_province_admin_features_a_post_on_the_province_feed(world, client_for, published_entry):
    entry = published_entry(world.community_a, title="Festival batik Kraton Kidul")
    admin = client_for(user=world.province_admin)

    response = admin.post(f"/moderasi/tayang/{entry.pk}/pilihan/", {"featured": "1"}, follow=True)

    assert "kini berita pilihan" in response.content.decode()
    home = client_for().get("/")
    assert [e.title for e in home.context["featured"]] == ["Festival batik Kraton Kidul"]
    assert ModerationEvent.objects.filter(
        post_id=entry.post_id, action="feature", actor=world.province_admin
    ).exists()

    admin.post(f"/moderasi/tayang/{entry.pk}/pilihan/", {"featured": "0"})
    assert client_for().get("/").context["featured"] == []


def test_a_regency_editor_cannot_choose_picks(world, client_for, published_entry):
    entry = published_entry(world.community_a, title="Kabar biasa")

    response = client_for(user=world.editor_a).post(
        f"/moderasi/tayang/{entry.pk}/pilihan/", {"featured": "1"}, follow=True
    )

    assert "Hanya admin Diskominfo provinsi" in response.content.decode()
    assert not FeedEntry.objects.get(pk=entry.pk).featured
    assert (
        "Jadikan pilihan redaksi"
        not in client_for(user=world.editor_a).get("/moderasi/tayang/").content.decode()
    )


def test_an_editor_of_another_regency_gets_404(world, client_for, published_entry):
    entry = published_entry(world.community_a, title="Kabar Pekalongan")

    response = client_for(user=world.editor_b).post(
        f"/moderasi/tayang/{entry.pk}/pilihan/", {"featured": "1"}
    )

    assert response.status_code == 404


def test_featuring_a_post_taken_down_meanwhile_is_refused(world, client_for, published_entry):
    entry = published_entry(world.community_a, title="Diturunkan saat dipilih")
    shown = FeedEntry.objects.select_related("community").get(pk=entry.pk)  # what the admin's page had
    services.post_take_down(
        community=world.community_a, post_id=entry.post_id, editor=world.editor_a, reason="x"
    )

    with pytest.raises(ActionRefused, match="sedang tidak tayang"):
        services.feed_entry_feature(entry=shown, admin=world.province_admin, featured=True)

    assert not ModerationEvent.objects.filter(post_id=entry.post_id, action="feature").exists()
    tab = client_for(user=world.editor_a).get("/moderasi/diturunkan/").context["page"].items
    assert [event.title for event in tab] == ["Diturunkan saat dipilih"]


def test_picks_have_a_label_in_the_audit_log(world, client_for, published_entry):
    entry = published_entry(world.community_a, title="Pilihan redaksi")
    services.feed_entry_feature(entry=entry, admin=world.province_admin, featured=True)

    html = client_for(user=world.province_admin).get("/moderasi/log/").content.decode()

    assert "Dijadikan pilihan redaksi" in html and "<strong>feature</strong>" not in html


def test_a_pick_taken_down_and_restored_is_a_pick_again(world, client_for, published_entry):
    picked = published_entry(world.community_a, title="Pilihan yang dipulihkan")
    plain = published_entry(world.community_a, title="Bukan pilihan")
    services.feed_entry_feature(entry=picked, admin=world.province_admin, featured=True)
    for entry in (picked, plain):
        services.post_take_down(
            community=world.community_a, post_id=entry.post_id, editor=world.editor_a, reason="x"
        )
        services.post_restore(community=world.community_a, post_id=entry.post_id, editor=world.editor_a)

    featured = FeedEntry.objects.filter(community=world.community_a, featured=True)
    assert [e.title for e in featured] == ["Pilihan yang dipulihkan"]
