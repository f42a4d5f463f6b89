"""The community admin lists members, changes roles and removes people; a community keeps an admin."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import services
from communities.models import Membership

MEMBERS = "/kelola/komunitas/anggota/"


def membership(user) -> Membership:
    return Membership.objects.get(user=user)


def role_url(m: Membership) -> str:
    return f"{MEMBERS}{m.pk}/peran/"


def remove_url(m: Membership) -> str:
    return f"{MEMBERS}{m.pk}/keluarkan/"


def test_it_lists_the_communitys_members_only(world, client_for):
    html = client_for(world.community_a, world.admin_a).get(MEMBERS).content.decode()

    assert "Siti Anggota" in html and "anggota.a@example.id" in html
    assert "Budi Pengelola" in html
    assert "Dewi Anggota" not in html and "Agus Pengelola" not in html


def queries_of(client, path: str) -> list[str]:
    """The statements a request runs, without django-tenants' "SET search_path" (how many of those
    run depends on TENANT_LIMIT_SET_CALLS, not on the page)."""
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in context.captured_queries if not q["sql"].startswith("SET search_path")]


def test_the_member_list_runs_a_fixed_number_of_queries(world, client_for):
    client = client_for(world.community_a, world.admin_a)
    client.get(MEMBERS)  # warm the host cache
    # Session, user, the admin's membership, the member list (with the accounts joined), the menu.
    assert len(queries_of(client, MEMBERS)) == 5

    for n in range(6):
        user = services.user_get_or_create(email=f"warga{n}@example.id", full_name=f"Warga {n}")
        services.membership_set(user=user, community=world.community_a)
    assert len(queries_of(client, MEMBERS)) == 5
    assert "Warga 5" in client.get(MEMBERS).content.decode()


def test_it_makes_a_member_an_admin(world, client_for):
    member = membership(world.member_a)

    response = client_for(world.community_a, world.admin_a).post(
        role_url(member), {"role": "admin"}, follow=True
    )

    assert response.redirect_chain == [(MEMBERS, 302)]
    assert "Peran Siti Anggota sekarang: Pengelola." in response.content.decode()
    assert membership(world.member_a).role == Membership.Role.ADMIN
    assert client_for(world.community_a, world.member_a).get(MEMBERS).status_code == 200


def test_it_refuses_an_unknown_role(world, client_for):
    member = membership(world.member_a)

    response = client_for(world.community_a, world.admin_a).post(
        role_url(member), {"role": "raja"}, follow=True
    )

    assert "Pilih salah satu peran" in response.content.decode()
    assert membership(world.member_a).role == Membership.Role.MEMBER


def test_the_last_admin_cannot_demote_themselves(world, client_for):
    admin = membership(world.admin_a)

    response = client_for(world.community_a, world.admin_a).post(
        role_url(admin), {"role": "member"}, follow=True
    )

    assert "Komunitas harus punya setidaknya satu pengelola" in response.content.decode()
    assert membership(world.admin_a).role == Membership.Role.ADMIN


def test_the_last_admin_cannot_remove_themselves(world, client_for):
    admin = membership(world.admin_a)

    response = client_for(world.community_a, world.admin_a).post(remove_url(admin), follow=True)

    assert "Komunitas harus punya setidaknya satu pengelola" in response.content.decode()
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_the_page_explains_instead_of_offering_to_demote_the_last_admin(world, client_for):
    html = client_for(world.community_a, world.admin_a).get(MEMBERS).content.decode()

    assert "Satu-satunya pengelola" in html
    assert remove_url(membership(world.admin_a)) not in html
    assert remove_url(membership(world.member_a)) in html


def test_an_admin_may_step_down_when_another_admin_remains(world, client_for):
    services.membership_set(user=world.member_a, community=world.community_a, role=Membership.Role.ADMIN)
    client = client_for(world.community_a, world.admin_a)

    response = client.post(role_url(membership(world.admin_a)), {"role": "member"})

    assert response["Location"] == "/"  # no longer allowed on the management pages
    assert membership(world.admin_a).role == Membership.Role.MEMBER
    assert client.get(MEMBERS).status_code == 404


def test_it_asks_before_removing_a_member_then_removes(world, client_for):
    client = client_for(world.community_a, world.admin_a)
    member = membership(world.member_a)

    confirm = client.get(remove_url(member)).content.decode()
    assert "Keluarkan anggota?" in confirm and "Siti Anggota" in confirm
    assert Membership.objects.filter(pk=member.pk).exists()

    response = client.post(remove_url(member), follow=True)
    assert "Siti Anggota sudah dikeluarkan dari komunitas." in response.content.decode()
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert client_for(world.community_a, world.member_a).get("/").status_code == 200  # the account stays


def test_it_never_touches_another_communitys_members(world, client_for):
    other = membership(world.member_b)
    client = client_for(world.community_a, world.admin_a)

    assert client.post(role_url(other), {"role": "admin"}).status_code == 404
    assert client.post(remove_url(other)).status_code == 404
    assert client.get(remove_url(other)).status_code == 404
    assert membership(world.member_b).role == Membership.Role.MEMBER
