"""Editors' labels on posts and take-downs, and the posts an official clarification answers."""

import pytest

from feed.models import FeedEntry
from kimportal.errors import ActionRefused
from moderation import labels
from moderation.models import ModerationEvent
from notices.models import ClarifiedPost, Notice


@pytest.fixture
def clarification(notice):
    def make(title="Hoaks: bantuan sosial lewat tautan berantai", **more):
        return notice(title, kind=Notice.Kind.CLARIFICATION, **more)

    return make


def test_an_editor_labels_a_published_post(world, client_for, published_entry):
    entry = published_entry(world.community_a, title="Kabar bantuan sosial")
    client = client_for(user=world.editor_a)

    response = client.post(
        f"/moderasi/tulisan/{world.community_a.pk}/{entry.post_id}/label/",
        {"label": "disinformasi", "back": "tayang"},
        follow=True,
    )

    assert "Label disimpan." in response.content.decode()
    event = ModerationEvent.objects.filter(post_id=entry.post_id, action="label").get()
    assert (event.label, event.actor, event.to_status) == ("disinformasi", world.editor_a, "published")
    assert "Disinformasi" in client.get("/moderasi/tayang/").content.decode()
    assert "Disinformasi" in client_for(user=world.province_admin).get("/moderasi/log/").content.decode()


def test_a_label_must_be_one_of_the_categories(world, client_for, published_entry):
    entry = published_entry(world.community_a)

    response = client_for(user=world.editor_a).post(
        f"/moderasi/tulisan/{world.community_a.pk}/{entry.post_id}/label/", {"label": "palsu"}, follow=True
    )

    assert "Pilih" in response.content.decode()
    assert not ModerationEvent.objects.filter(action="label").exists()


def test_an_editor_cannot_label_another_kotas_post(world, client_for, published_entry):
    entry = published_entry(world.community_a)

    response = client_for(user=world.editor_b).post(
        f"/moderasi/tulisan/{world.community_a.pk}/{entry.post_id}/label/", {"label": "hoaks"}
    )

    assert response.status_code == 404
    with pytest.raises(ActionRefused):
        labels.post_label(
            community=world.community_a, post_id=entry.post_id, editor=world.editor_b, label="hoaks"
        )
    assert not ModerationEvent.objects.filter(action="label").exists()


def test_a_take_down_carries_its_label_and_the_clarification_answering_it(
    world, client_for, published_entry, clarification
):
    entry = published_entry(world.community_a, title="Daftar bansos lewat tautan ini")
    answer = clarification()
    client = client_for(user=world.editor_a)

    response = client.post(
        f"/moderasi/tayang/{entry.pk}/turunkan/",
        {"reason": "Hoaks yang sudah diluruskan", "label": "hoaks", "clarification": answer.pk},
        follow=True,
    )

    assert "diturunkan" in response.content.decode()
    take_down = ModerationEvent.objects.get(post_id=entry.post_id, action="take_down")
    assert take_down.label == "hoaks"
    assert "Hoaks" in client.get("/moderasi/diturunkan/").content.decode()
    link = ClarifiedPost.objects.get(notice=answer)
    assert (link.community, link.post_id, link.title) == (
        world.community_a,
        entry.post_id,
        "Daftar bansos lewat tautan ini",
    )
    page = client_for().get(answer.get_absolute_url()).content.decode()
    assert "Tulisan yang diluruskan" in page and "Daftar bansos lewat tautan ini" in page
    assert "sudah diturunkan" in page and entry.canonical_url not in page  # its page is gone
    assert list(answer.events.values_list("action", flat=True)) == ["publish", "link"]


def test_a_clarification_links_a_published_post(world, client_for, published_entry, clarification):
    entry = published_entry(world.community_a, title="Warga diminta waspada tautan")
    answer = clarification()

    client_for(user=world.editor_a).post(
        f"/moderasi/tulisan/{world.community_a.pk}/{entry.post_id}/label/",
        {"label": "hoaks", "clarification": answer.pk, "back": "tayang"},
    )

    page = client_for().get(answer.get_absolute_url()).content.decode()
    assert f'href="{entry.canonical_url}"' in page


def test_a_clarification_for_another_area_cannot_answer_the_post(
    world, client_for, published_entry, clarification
):
    entry = published_entry(world.community_a)
    elsewhere = clarification(regency=world.regency_b)

    labels.post_label(
        community=world.community_a, post_id=entry.post_id, editor=world.province_admin, label="hoaks"
    )
    with pytest.raises(ActionRefused, match="wilayah lain"):
        labels.post_clarify(
            community=world.community_a,
            post_id=entry.post_id,
            editor=world.province_admin,
            clarification=elsewhere,
        )
    # Through the form, one the editor may not link to is not offered, and a guessed id is ignored.
    response = client_for(user=world.editor_a).post(
        f"/moderasi/tayang/{entry.pk}/turunkan/", {"reason": "Keliru", "clarification": elsewhere.pk}
    )
    assert response.status_code == 302
    assert not ClarifiedPost.objects.exists()
    assert not FeedEntry.objects.filter(pk=entry.pk).exists()


def test_the_console_unlinks_a_post(world, client_for, published_entry, clarification):
    entry = published_entry(world.community_a, title="Ditautkan keliru")
    answer = clarification()
    labels.post_clarify(
        community=world.community_a, post_id=entry.post_id, editor=world.province_admin, clarification=answer
    )
    link = ClarifiedPost.objects.get()

    client_for(user=world.province_admin).post(f"/moderasi/info/{answer.pk}/tautan/{link.pk}/lepas/")

    assert not ClarifiedPost.objects.exists()
    assert "Ditautkan keliru" not in client_for().get(answer.get_absolute_url()).content.decode()
    assert list(answer.events.values_list("action", flat=True))[-1] == "unlink"
