"""Province admins choose the editors' picks that lead the province feed."""

from moderation.models import FeedEntry, ModerationEvent
from tests.factories import make_post


def published(world, title):
    from moderation import services
    from moderation.models import Submission

    post = make_post(world.community_a, world.member_a, title=title, submit=True)
    submission = Submission.objects.get(community=world.community_a, post_id=post.pk, state="pending")
    services.submission_approve(submission_id=submission.pk, editor=world.editor_a)
    return FeedEntry.objects.get(community=world.community_a, post_id=post.pk)


def test_a_province_admin_features_a_post_on_the_province_feed(world, client_for, settings):
    settings.PAGE_CACHE = False
    entry = published(world, "Festival batik Kraton Kidul")
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


def test_a_regency_editor_cannot_choose_picks(world, client_for):
    entry = published(world, "Kabar biasa")

    response = client_for(user=world.editor_a).post(
        f"/moderasi/tayang/{entry.pk}/pilihan/", {"featured": "1"}, follow=True
    )

    assert "Hanya admin Diskominfo provinsi" in response.content.decode()
    assert not FeedEntry.objects.get(pk=entry.pk).featured
    assert (
        "Jadikan pilihan redaksi"
        not in client_for(user=world.editor_a).get("/moderasi/tayang/").content.decode()
    )


def test_an_editor_of_another_regency_gets_404(world, client_for):
    entry = published(world, "Kabar Pekalongan")

    response = client_for(user=world.editor_b).post(
        f"/moderasi/tayang/{entry.pk}/pilihan/", {"featured": "1"}
    )

    assert response.status_code == 404
