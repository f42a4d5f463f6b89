"""Deleting an account in the Django admin (main domain): refused, with the reason and what to do
instead, when posts, photos or audit records point to it; allowed for an account that left nothing;
deactivating keeps the account and its posts but keeps its owner out."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry

from accounts.models import User
from communities.models import Membership
from tests.conftest import PASSWORD
from tests.factories import make_post

REFUSED = "tidak dapat dihapus"
DEACTIVATE = "hapus centang «Aktif», lalu simpan"
CHANGELIST = "/admin/accounts/user/"
CONFIRMATION = "Hapus beberapa objek sekaligus"  # the bulk deletion's confirmation page


@pytest.fixture
def root(world) -> User:
    return User.objects.create_superuser(email="root@example.id", password=PASSWORD, full_name="Root")


@pytest.fixture
def admin(client_for, root):
    return client_for(user=root)


def delete_url(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/delete/"


def change_url(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def bulk_delete(admin, users, *, confirmed: bool, **extra):
    data = {"action": "delete_selected", "_selected_action": [u.pk for u in users]}
    return admin.post(CHANGELIST, {**data, "post": "yes"} if confirmed else data, follow=True, **extra)


def assert_refused_on_the_accounts_page(response, user: User) -> None:
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == change_url(user)  # where «Aktif» is
    html = response.content.decode()
    assert f"Akun {user.email} {REFUSED}" in html
    assert "penulis berita, pengunggah foto, atau dalam riwayat moderasi dan audit" in html
    assert DEACTIVATE in html


def test_it_refuses_to_delete_the_author_of_a_published_post_and_says_why(world, client_for, admin, publish):
    post = publish(world.community_a, world.member_a, "Panen raya di Kraton")

    assert_refused_on_the_accounts_page(admin.get(delete_url(world.member_a), follow=True), world.member_a)
    assert_refused_on_the_accounts_page(
        admin.post(delete_url(world.member_a), {"post": "yes"}, follow=True), world.member_a
    )

    assert User.objects.filter(pk=world.member_a.pk).exists()
    assert Membership.objects.filter(user=world.member_a).exists()
    assert client_for(world.community_a).get(f"/berita/{post.slug}/").status_code == 200


def test_it_refuses_an_account_whose_only_trace_is_a_draft_in_a_community(world, admin):
    # Nothing in the public schema points to them: the community schema's foreign key refuses.
    make_post(world.community_a, world.member_a, title="Masih draf")

    response = admin.post(delete_url(world.member_a), {"post": "yes"}, follow=True)

    assert_refused_on_the_accounts_page(response, world.member_a)
    assert User.objects.filter(pk=world.member_a.pk).exists()


def test_it_refuses_an_editor_whose_decisions_are_in_the_audit_trail(world, admin, publish):
    publish(world.community_a, world.member_a, "Panen raya di Kraton")  # approved by editor_a

    response = admin.post(delete_url(world.editor_a), {"post": "yes"}, follow=True)

    assert_refused_on_the_accounts_page(response, world.editor_a)
    assert User.objects.filter(pk=world.editor_a.pk).exists()


def test_it_refuses_an_account_with_a_history_in_the_django_admin(world, admin, root):
    staff = User.objects.create_user(email="staf@example.id", full_name="Staf", is_staff=True)
    LogEntry.objects.log_actions(user_id=staff.pk, queryset=[world.community_a], action_flag=CHANGE)

    response = admin.post(delete_url(staff), {"post": "yes"}, follow=True)

    assert_refused_on_the_accounts_page(response, staff)
    assert LogEntry.objects.filter(user=staff).exists()


def test_the_bulk_action_refuses_them_all_and_names_those_that_must_stay(world, admin, publish):
    publish(world.community_a, world.member_a, "Panen raya di Kraton")
    selected = [world.member_a, world.outsider]

    for confirmed in (False, True):
        response = bulk_delete(admin, selected, confirmed=confirmed)

        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == CHANGELIST
        html = response.content.decode()
        assert f"Akun {world.member_a.email} {REFUSED}" in html and DEACTIVATE in html
        assert world.outsider.email + " " + REFUSED not in html  # the outsider left nothing
        assert CONFIRMATION not in html
    assert User.objects.filter(pk__in=[u.pk for u in selected]).count() == 2
    assert not LogEntry.objects.filter(object_id=str(world.outsider.pk)).exists()


def test_the_refusal_speaks_english_to_an_english_admin(world, admin, publish):
    publish(world.community_a, world.member_a, "Panen raya di Kraton")

    html = bulk_delete(admin, [world.member_a], confirmed=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"The account {world.member_a.email} cannot be deleted" in html
    assert "Deactivate it instead" in html


def test_it_deletes_an_account_that_left_nothing_with_its_memberships(world, admin):
    membership = Membership.objects.create(user=world.outsider, community=world.community_b, role="member")

    confirmation = admin.get(delete_url(world.outsider))
    assert confirmation.status_code == 200
    assert "KIM Tembalang" in confirmation.content.decode()  # the membership that goes with it
    response = admin.post(delete_url(world.outsider), {"post": "yes"}, follow=True)

    assert response.status_code == 200 and response.redirect_chain[-1][0] == CHANGELIST
    assert not User.objects.filter(pk=world.outsider.pk).exists()
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_bulk_action_deletes_accounts_that_left_nothing(world, admin):
    spare = User.objects.create_user(email="cadangan@example.id", full_name="Akun Cadangan")

    confirmation = bulk_delete(admin, [world.outsider, spare], confirmed=False)
    assert confirmation.status_code == 200 and CONFIRMATION in confirmation.content.decode()
    response = bulk_delete(admin, [world.outsider, spare], confirmed=True)

    assert response.status_code == 200
    assert not User.objects.filter(pk__in=[world.outsider.pk, spare.pk]).exists()


def test_deactivating_keeps_the_account_and_its_posts_and_keeps_its_owner_out(
    world, client_for, admin, publish
):
    post = publish(world.community_a, world.member_a, "Panen raya di Kraton")
    members_phone = client_for(world.community_a, world.member_a)
    assert members_phone.get("/kelola/").status_code == 200
    user = world.member_a
    form = {
        "email": user.email,
        "full_name": user.full_name,
        # "is_active" left out: the box unticked
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }

    response = admin.post(change_url(user), form, follow=True)

    assert response.status_code == 200 and response.redirect_chain[-1][0] == CHANGELIST
    user.refresh_from_db()
    assert not user.is_active
    assert members_phone.get("/kelola/").status_code == 302  # signed out where they were signed in
    signing_in = client_for().post("/akun/masuk/", {"username": user.email, "password": PASSWORD})
    assert signing_in.status_code == 200 and "_auth_user_id" not in signing_in.client.session
    assert client_for(world.community_a).get(f"/berita/{post.slug}/").status_code == 200
