"""Sign-in limits: a guesser is stopped, the real owner is not locked out (accounts/throttle.py)."""

import datetime

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.utils import timezone

from accounts.models import ThrottleEvent
from tests.conftest import PASSWORD

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.9"


@pytest.fixture
def clock(monkeypatch):
    """Time travel: clock.advance(seconds) moves timezone.now() forward."""

    class Clock:
        offset = datetime.timedelta()

        def advance(self, seconds: float) -> None:
            self.offset += datetime.timedelta(seconds=seconds)

    clock = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


@pytest.fixture
def hashes(monkeypatch):
    """How many passwords were checked (each check costs a hash)."""
    counter = {"n": 0}
    verify = MD5PasswordHasher.verify

    def counted(self, password, encoded):
        counter["n"] += 1
        return verify(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", counted)
    return counter


def sign_in(client, email, password, address, path="/akun/masuk/", **extra):
    return client.post(path, {"username": email, "password": password}, REMOTE_ADDR=address, **extra)


def test_100_wrong_passwords_are_throttled_and_the_owner_still_signs_in(world, client_for, clock, hashes):
    email = world.member_a.email
    attacker = client_for()
    answers = [sign_in(attacker, email, f"tebakan-{i}", ATTACKER) for i in range(100)]

    assert [a.status_code for a in answers[:5]] == [200] * 5
    assert "Email atau kata sandi salah" in answers[4].content.decode()
    assert {a.status_code for a in answers[5:]} == {429}
    assert (
        "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit." in answers[5].content.decode()
    )
    assert hashes["n"] == 5, "a refused attempt checks no password"
    # The right password from the guessing client is refused too, until the window has passed.
    assert sign_in(client_for(), email, PASSWORD, ATTACKER).status_code == 429

    # Meanwhile the owner signs in from their own phone.
    assert sign_in(client_for(), email, PASSWORD, OWNER).status_code == 302

    clock.advance(14 * 60)
    assert sign_in(client_for(), email, PASSWORD, ATTACKER).status_code == 429
    clock.advance(60 + 1)  # 15 minutes after the fifth failure
    assert sign_in(client_for(), email, PASSWORD, ATTACKER).status_code == 302


def test_an_ipv6_client_counts_by_its_64(world, client_for):
    email = world.member_a.email
    for i in range(5):
        assert sign_in(client_for(), email, "salah", f"2001:db8:1:2::{i + 1:x}").status_code == 200
    assert sign_in(client_for(), email, PASSWORD, "2001:db8:1:2:ffff::9").status_code == 429
    assert sign_in(client_for(), email, PASSWORD, "2001:db8:1:3::1").status_code == 302


def test_one_client_cannot_spray_many_accounts(world, client_for):
    for i in range(30):
        assert sign_in(client_for(), f"orang{i}@example.id", "salah", ATTACKER).status_code == 200
    assert sign_in(client_for(), world.member_b.email, PASSWORD, ATTACKER).status_code == 429
    assert sign_in(client_for(), world.member_b.email, PASSWORD, OWNER).status_code == 302


def test_many_clients_guess_slowly_and_lock_the_owner_out_for_a_minute_at_most(world, client_for, clock):
    email = world.member_a.email
    for i in range(10):
        assert sign_in(client_for(), email, "salah", f"192.0.2.{i + 1}").status_code == 200
    refused = sign_in(client_for(), email, PASSWORD, OWNER)
    assert refused.status_code == 429
    assert "Coba lagi dalam 1 menit" in refused.content.decode()
    clock.advance(61)
    assert sign_in(client_for(), email, PASSWORD, OWNER).status_code == 302


def test_a_success_clears_the_clients_earlier_mistakes(world, client_for):
    email = world.member_a.email
    for _ in range(4):
        sign_in(client_for(), email, "salah", OWNER)
    assert sign_in(client_for(), email, PASSWORD, OWNER).status_code == 302
    for _ in range(4):
        assert sign_in(client_for(), email, "salah", OWNER).status_code == 200


def test_the_admin_sign_in_is_limited_too(world, client_for):
    for _ in range(5):
        assert (
            sign_in(client_for(), "root@example.id", "salah", ATTACKER, path="/admin/login/").status_code
            == 200
        )
    response = sign_in(client_for(), "root@example.id", "salah", ATTACKER, path="/admin/login/")
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()


def test_a_forwarded_for_header_counts_only_from_a_trusted_proxy(settings, world, client_for):
    email = world.member_a.email
    for i in range(5):  # a client sending made-up X-Forwarded-For headers is still one client
        sign_in(client_for(), email, "salah", ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert (
        sign_in(client_for(), email, PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    )

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]  # behind our proxy, readers are told apart
    behind = {"HTTP_X_FORWARDED_FOR": "192.0.2.50"}
    assert sign_in(client_for(), email, PASSWORD, "10.0.0.2", **behind).status_code == 302


def test_the_limits_need_no_cache(world, client_for, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for _ in range(5):
        sign_in(client_for(), world.member_a.email, "salah", ATTACKER)
    assert ThrottleEvent.objects.filter(scope="login").count() == 5
    assert sign_in(client_for(), world.member_a.email, PASSWORD, ATTACKER).status_code == 429


def test_it_says_so_in_english(world, client_for):
    for _ in range(5):
        sign_in(client_for(), world.member_a.email, "salah", ATTACKER)
    response = sign_in(client_for(), world.member_a.email, "salah", ATTACKER, HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in response.content.decode()


def test_a_browser_that_signed_in_before_is_not_kept_out_by_many_guessers(world, client_for):
    email = world.member_a.email
    phone = client_for()
    assert sign_in(phone, email, PASSWORD, OWNER).status_code == 302
    phone.post("/akun/keluar/")  # signed out; the browser keeps its other cookies
    for i in range(10):
        sign_in(client_for(), email, "salah", f"192.0.2.{i + 1}")

    assert sign_in(client_for(), email, PASSWORD, "198.51.100.77").status_code == 429  # a new browser
    assert sign_in(phone, email, PASSWORD, "198.51.100.77").status_code == 302  # the owner's phone


def test_a_forged_device_cookie_counts_for_nothing(world, client_for):
    email = world.member_a.email
    for i in range(10):
        sign_in(client_for(), email, "salah", f"192.0.2.{i + 1}")
    forged = client_for()
    forged.cookies["kim_device"] = f'["{email}"]'
    assert sign_in(forged, email, PASSWORD, OWNER).status_code == 429
