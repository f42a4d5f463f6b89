"""Inviting people by email or by link, and accepting on the main domain."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from communities import services
from communities.models import Invitation, Membership
from kimportal.errors import ActionRefused
from tests.conftest import PASSWORD

INVITATIONS = "/kelola/komunitas/undangan/"
NEW_PASSWORD = "kabar-desa-2026"


@pytest.fixture
def invite(world, client_for, django_capture_on_commit_callbacks):
    """invite(email="", role="member") -> the response of admin_a's invitation form (mail sent)."""

    def post(email: str = "", role: str = "member"):
        client = client_for(world.community_a, world.admin_a)
        if email:
            data = {"kind": "email", "email-email": email, "email-role": role}
        else:
            data = {"kind": "link", "link-role": role}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(INVITATIONS, data)

    return post


def path_of(invitation: Invitation) -> str:
    return f"/undangan/{invitation.token}/"


def signup(email: str = "", name: str = "Ani Baru", password: str = NEW_PASSWORD, again: str | None = None):
    return {
        "email": email,
        "full_name": name,
        "password1": password,
        "password2": password if again is None else again,
    }


def test_an_email_invitation_ends_with_a_new_member_on_the_community_site(world, invite, client_for):
    response = invite("Ani.Baru@Example.id")

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ani.baru@example.id"]
    assert "KIM Kraton Kidul" in message.subject
    assert "Budi Pengelola mengundang Anda bergabung dengan KIM Kraton Kidul" in message.body
    link = re.search(r"http://kim\.localhost/undangan/[\w-]+/", message.body).group(0)

    visitor = client_for()
    page = visitor.get(urlsplit(link).path).content.decode()
    assert "Buat akun baru" in page
    assert 'value="ani.baru@example.id"' in page and "disabled" in page
    assert "next=/undangan/" in page.replace("%2F", "/")  # "sign in" comes back here

    # A disabled field ignores what is posted: the account gets the invited address.
    response = visitor.post(urlsplit(link).path, signup(email="lain@example.id"))

    assert response.status_code == 302
    assert response["Location"] == "http://kratonkidul.kim.localhost/"
    user = User.objects.get(email="ani.baru@example.id")
    assert user.full_name == "Ani Baru" and user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user, community=world.community_a).role == Membership.Role.MEMBER
    assert not User.objects.filter(email="lain@example.id").exists()
    home = visitor.get("/", HTTP_HOST=world.community_a.host).content.decode()
    assert "Selamat bergabung dengan KIM Kraton Kidul" in home
    assert "Anda terdaftar di komunitas ini sebagai Anggota" in home


def test_a_link_invitation_is_accepted_by_a_signed_in_user(world, invite, client_for):
    response = invite(role="admin")
    invitation = Invitation.objects.get(community=world.community_a)
    assert invitation.email == "" and len(mail.outbox) == 0
    page = client_for(world.community_a, world.admin_a).get(response["Location"]).content.decode()
    assert f"http://kim.localhost{path_of(invitation)}" in page  # the link to copy

    outsider = client_for(user=world.outsider)
    confirm = outsider.get(path_of(invitation)).content.decode()
    assert "Terima undangan" in confirm and "warga@example.id" in confirm
    assert not Membership.objects.filter(user=world.outsider).exists()  # a GET changes nothing

    response = outsider.post(path_of(invitation))

    assert response["Location"] == "http://kratonkidul.kim.localhost/"
    assert Membership.objects.get(user=world.outsider).role == Membership.Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.accepted_by == world.outsider and invitation.accepted_at


def test_an_invitation_never_demotes_an_admin(world, invite, client_for):
    invite(role="member")
    invitation = Invitation.objects.get(community=world.community_a)

    client_for(user=world.admin_a).post(path_of(invitation))

    assert Membership.objects.get(user=world.admin_a).role == Membership.Role.ADMIN


def test_an_email_invitation_needs_the_invited_account(world, invite, client_for):
    invite("ani.baru@example.id")
    invitation = Invitation.objects.get(community=world.community_a)
    outsider = client_for(user=world.outsider)

    page = outsider.get(path_of(invitation)).content.decode()
    assert "Undangan ini untuk ani.baru@example.id, sedangkan Anda masuk sebagai warga@example.id" in page
    assert "Terima undangan" not in page

    response = outsider.post(path_of(invitation))

    assert response.status_code == 200
    assert not Membership.objects.filter(user=world.outsider).exists()
    assert Invitation.objects.get(pk=invitation.pk).is_open


def test_an_invited_address_with_an_account_is_sent_to_sign_in(world, invite, client_for):
    invite("warga@example.id")
    invitation = Invitation.objects.get(community=world.community_a)

    page = client_for().get(path_of(invitation)).content.decode()

    assert "warga@example.id sudah punya akun" in page
    assert "Buat akun baru" not in page
    login_links = re.findall(r'href="/akun/masuk/\?([^"]+)"', page)
    assert [parse_qs(query)["next"] for query in login_links] == [[path_of(invitation)]]

    # After signing in, the same page offers to accept.
    signed_in = client_for()
    signed_in.post("/akun/masuk/", {"username": "warga@example.id", "password": PASSWORD})
    assert signed_in.post(path_of(invitation)).status_code == 302
    assert Membership.objects.filter(user=world.outsider, community=world.community_a).exists()


def test_signup_explains_mistakes_and_keeps_what_was_typed(world, invite, client_for):
    invite()
    invitation = Invitation.objects.get(community=world.community_a)
    visitor = client_for()

    mismatch = visitor.post(
        path_of(invitation), signup("ani@example.id", again="lain-lain-2026")
    ).content.decode()
    assert "Kedua kata sandi tidak sama" in mismatch
    assert 'value="ani@example.id"' in mismatch and 'value="Ani Baru"' in mismatch

    weak = visitor.post(path_of(invitation), signup("ani@example.id", password="12345678")).content.decode()
    assert "terlalu umum" in weak or "seluruhnya angka" in weak  # Django's password validators, in Indonesian

    taken = visitor.post(path_of(invitation), signup("anggota.b@example.id")).content.decode()
    assert "Email ini sudah terdaftar" in taken

    assert not User.objects.filter(email="ani@example.id").exists()
    assert Invitation.objects.get(pk=invitation.pk).is_open


def test_a_used_invitation_cannot_be_used_again(world, invite, client_for):
    invite()
    invitation = Invitation.objects.get(community=world.community_a)
    client_for(user=world.outsider).post(path_of(invitation))

    response = client_for(user=world.member_b).get(path_of(invitation))
    again = client_for().post(path_of(invitation), signup("ani@example.id"))

    assert response.status_code == 410 and again.status_code == 410
    assert "Undangan ini sudah dipakai" in response.content.decode()
    assert not Membership.objects.filter(user=world.member_b, community=world.community_a).exists()
    assert not User.objects.filter(email="ani@example.id").exists()


def test_an_expired_invitation_gets_a_clear_page(world, invite, client_for):
    invite()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    invitation = Invitation.objects.get(community=world.community_a)

    response = client_for(user=world.outsider).post(path_of(invitation))

    assert response.status_code == 410
    assert "Undangan ini sudah kedaluwarsa" in response.content.decode()
    assert "Minta pengelola KIM Kraton Kidul mengirim undangan baru" in response.content.decode()
    assert not Membership.objects.filter(user=world.outsider).exists()


def test_an_unknown_token_gets_a_clear_page(world, client_for):
    response = client_for().get("/undangan/tidak-ada-undangan-seperti-ini/")

    assert response.status_code == 404
    assert "Undangan ini tidak ditemukan" in response.content.decode()


def test_invitations_are_invisible_on_a_community_subdomain(world, invite, client_for):
    invite()
    invitation = Invitation.objects.get(community=world.community_a)

    assert client_for(world.community_a, world.outsider).get(path_of(invitation)).status_code == 404


def test_inviting_an_address_again_replaces_the_older_invitation(world, invite, client_for):
    invite("ani.baru@example.id")
    invite("ani.baru@example.id", role="admin")

    first, second = Invitation.objects.order_by("created_at", "pk")
    assert first.state == Invitation.State.REVOKED and second.is_open
    assert len(mail.outbox) == 2
    assert first.token in mail.outbox[0].body and second.token in mail.outbox[1].body
    assert client_for().get(path_of(first)).status_code == 410
    page = client_for(world.community_a, world.admin_a).get(INVITATIONS).content.decode()
    assert path_of(second) in page and path_of(first) not in page


def test_an_admin_revokes_an_open_invitation(world, invite, client_for):
    invite()
    invitation = Invitation.objects.get(community=world.community_a)

    response = client_for(world.community_a, world.admin_a).post(
        f"{INVITATIONS}{invitation.pk}/batalkan/", follow=True
    )

    assert "Undangan dibatalkan" in response.content.decode()
    page = client_for(user=world.outsider).get(path_of(invitation))
    assert page.status_code == 410 and "sudah dibatalkan" in page.content.decode()


def test_another_communitys_admin_cannot_revoke(world, invite, client_for):
    invite()
    invitation = Invitation.objects.get(community=world.community_a)

    response = client_for(world.community_b, world.admin_b).post(f"{INVITATIONS}{invitation.pk}/batalkan/")

    assert response.status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).is_open


def test_it_explains_inviting_someone_who_is_already_a_member(world, invite):
    response = invite("anggota.a@example.id")

    html = response.content.decode()
    assert response.status_code == 200
    assert "anggota.a@example.id sudah menjadi anggota komunitas ini" in html
    assert 'value="anggota.a@example.id"' in html
    assert not Invitation.objects.exists() and not mail.outbox


def test_it_explains_a_mistyped_email(world, invite):
    response = invite("ani.baru@example")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="errors"' in html and 'value="ani.baru@example"' in html
    assert not Invitation.objects.exists()


def test_an_invitation_is_only_for_its_own_community(world, invite, client_for):
    invite()
    invitation = Invitation.objects.get(community=world.community_a)

    client_for(user=world.admin_b).post(path_of(invitation))

    assert set(Membership.objects.filter(user=world.admin_b).values_list("community__slug", flat=True)) == {
        "tembalang",
        "kratonkidul",
    }
    page = client_for(world.community_b, world.admin_b).get(INVITATIONS).content.decode()
    assert invitation.token not in page


def test_services_refuse_to_use_an_invitation_twice(world):
    invitation = services.invitation_create(
        community=world.community_a, invited_by=world.admin_a, role=Membership.Role.MEMBER
    )
    services.invitation_accept(invitation=invitation, user=world.outsider)

    with pytest.raises(ActionRefused):
        services.invitation_accept(invitation=invitation, user=world.member_b)


def test_invitation_mails_are_limited_per_address_and_per_admin(world, invite, settings):
    for _ in range(3):
        invite("ani@example.id")
    refused = invite("ani@example.id").content.decode()
    assert "Terlalu banyak undangan lewat email. Coba lagi dalam" in refused
    assert len(mail.outbox) == 3

    settings.INVITATION_EMAIL_LIMITS = [(5, 3600, "client"), (3, 24 * 3600, "account")]
    for i in range(2):
        invite(f"orang{i}@example.id")
    assert "Terlalu banyak undangan lewat email" in invite("orang9@example.id").content.decode()
    assert len(mail.outbox) == 5
    # A shareable link sends no mail and can still be made.
    assert invite().status_code == 302
    assert Invitation.objects.filter(community=world.community_a, email="").count() == 1
