"""An operator edits a community in the Django admin: a move to another kabupaten/kota takes its queue,
reports and feed along; a new name reaches the feed; the slug stays."""

import re

from django_tenants.utils import tenant_context

from accounts.models import User
from communities.models import Community
from communities.services import community_move
from moderation import services
from moderation.models import Report, Submission
from tests.factories import make_post


def test_a_moved_community_is_reviewed_and_listed_by_its_new_kabupaten_kota(
    world, client_for, submit, published_entry
):
    submit(world.community_a, title="Menunggu pemeriksaan")
    live = published_entry(world.community_a, title="Sudah tayang")
    services.report_create(
        community=world.community_a, post_id=live.post_id, reason="hoaks", note="", client_key="203.0.113.7"
    )

    response = change_in_admin(client_for, world.community_a, regency=world.regency_b.pk)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Community.objects.get(pk=world.community_a.pk).regency == world.regency_b
    queue_a = client_for(user=world.editor_a).get("/moderasi/").content.decode()
    queue_b = client_for(user=world.editor_b).get("/moderasi/").content.decode()
    assert "Menunggu pemeriksaan" not in queue_a and "Menunggu pemeriksaan" in queue_b
    assert Report.objects.get().regency == world.regency_b
    main = client_for()
    assert "Sudah tayang" in main.get(f"/kabupaten/{world.regency_b.slug}/").content.decode()
    assert "Sudah tayang" not in main.get(f"/kabupaten/{world.regency_a.slug}/").content.decode()


def test_a_name_changed_in_the_admin_reaches_the_feed_and_the_slug_stays(world, client_for, published_entry):
    published_entry(world.community_a, title="Sudah tayang")

    response = change_in_admin(client_for, world.community_a, name="KIM Kraton Kidul Baru", slug="lain")

    assert response.status_code == 302
    assert Community.objects.get(pk=world.community_a.pk).slug == "kratonkidul"
    html = client_for().get("/").content.decode()  # the province feed: cards carry the name
    assert "KIM Kraton Kidul Baru" in html


def change_in_admin(client_for, community, **changes):
    """POST the Django admin's change form for `community` as it renders, with `changes`."""
    operator = User.objects.create_superuser(email="operator@example.id", password="x", full_name="Operator")
    admin = client_for(user=operator)
    url = f"/admin/communities/community/{community.pk}/change/"
    page = admin.get(url)
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None and k != "logo"}
    data.update(_inline_management(page.content.decode()), **changes)
    return admin.post(url, data)


def _inline_management(html: str) -> dict:
    """The domains inline's management form and rows, as the admin page renders them."""
    fields = re.findall(r'<input type="(?:hidden|text|number)" name="(domains-[^"]+)" value="([^"]*)"', html)
    return dict(fields)


def test_work_filed_through_a_cached_community_goes_to_its_new_kabupaten_kota(world, published_entry):
    live = published_entry(world.community_a, title="Sudah tayang")
    cached = Community.objects.get(pk=world.community_a.pk)  # as a worker's host cache holds it
    community_move(community=Community.objects.get(pk=world.community_a.pk), regency=world.regency_b)

    report = services.report_create(
        community=cached, post_id=live.post_id, reason="hoaks", note="", client_key="203.0.113.7"
    )
    with tenant_context(cached):  # a member's next submission, on a request that found `cached`
        post = make_post(cached, world.member_a, title="Kiriman baru", submit=True)

    assert report.regency == world.regency_b
    assert Submission.objects.get(community=cached, post_id=post.pk).regency == world.regency_b
