"""The province admin's audit log: every transition in the province, newest first."""

from moderation import services


def test_it_lists_the_provinces_transitions_newest_first(world, client_for, submit, published_entry):
    entry = published_entry(world.community_a, title="Pasar murah")
    services.post_take_down(
        community=world.community_a, post_id=entry.post_id, editor=world.editor_a, reason="Harga keliru"
    )
    submit(world.community_b, title="Bazar UMKM")

    response = client_for(user=world.province_admin).get("/moderasi/log/")

    events = response.context["page"].items
    assert [(e.action, e.title) for e in events] == [
        ("submit", "Bazar UMKM"),
        ("take_down", "Pasar murah"),
        ("approved", "Pasar murah"),
        ("submit", "Pasar murah"),
    ]
    html = response.content.decode()
    assert "Harga keliru" in html and "Rina Editor" in html and "Tayang → Diturunkan" in html


def test_it_filters_by_regency_and_ignores_a_bad_filter(world, client_for, submit):
    submit(world.community_a, title="Dari Pekalongan")
    submit(world.community_b, title="Dari Semarang")
    client = client_for(user=world.province_admin)

    only_b = client.get("/moderasi/log/", {"regency": world.regency_b.pk}).context["page"].items
    bad = client.get("/moderasi/log/", {"regency": "semua"})

    assert [e.title for e in only_b] == ["Dari Semarang"]
    assert bad.status_code == 200 and len(bad.context["page"].items) == 2
    assert "Filter yang tidak dikenal diabaikan: Kabupaten/kota." in bad.content.decode()


def test_editors_and_members_do_not_see_it(world, client_for):
    assert client_for(user=world.editor_a).get("/moderasi/log/").status_code == 404
    assert client_for(user=world.member_a).get("/moderasi/log/").status_code == 404
