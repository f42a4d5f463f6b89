"""An operator moves a community to another kabupaten/kota: its queue, reports and feed go with it."""

import re

from accounts.models import User
from communities.models import Community
from moderation import services
from moderation.models import Report


def test_a_moved_community_is_reviewed_and_listed_by_its_new_kabupaten_kota(
    world, client_for, submit, publish
):
    submit(world.community_a, title="Menunggu pemeriksaan")
    live = publish(world.community_a, title="Sudah tayang")
    services.report_create(
        community=world.community_a, post_id=live.post_id, reason="hoaks", note="", client_key="203.0.113.7"
    )
    operator = User.objects.create_superuser(email="operator@example.id", password="x", full_name="Operator")
    admin = client_for(user=operator)
    change_url = f"/admin/communities/community/{world.community_a.pk}/change/"
    form = admin.get(change_url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "logo"}
    data.update(_inline_management(admin.get(change_url).content.decode()), regency=world.regency_b.pk)

    response = admin.post(change_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Community.objects.get(pk=world.community_a.pk).regency == world.regency_b
    queue_a = client_for(user=world.editor_a).get("/moderasi/").content.decode()
    queue_b = client_for(user=world.editor_b).get("/moderasi/").content.decode()
    assert "Menunggu pemeriksaan" not in queue_a and "Menunggu pemeriksaan" in queue_b
    assert Report.objects.get().regency == world.regency_b
    main = client_for()
    assert "Sudah tayang" in main.get(f"/kabupaten/{world.regency_b.slug}/").content.decode()
    assert "Sudah tayang" not in main.get(f"/kabupaten/{world.regency_a.slug}/").content.decode()


def _inline_management(html: str) -> dict:
    """The domains inline's management form and rows, as the admin page renders them."""
    fields = re.findall(r'<input type="(?:hidden|text|number)" name="(domains-[^"]+)" value="([^"]*)"', html)
    return dict(fields)
