"""Password reset: limited per address and client, and as slow for an unknown address as for a
known one."""

import time

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

CLIENT = "203.0.113.7"
SMTP_SECONDS = 0.1  # a slow SMTP server: what made known addresses stand out (136 ms vs 19 ms)


class SlowSMTPBackend(EmailBackend):
    def send_messages(self, messages):
        time.sleep(SMTP_SECONDS)
        return super().send_messages(messages)


def ask_reset(client, email, address=CLIENT):
    return client.post("/akun/kata-sandi/lupa/", {"email": email}, REMOTE_ADDR=address)


def test_it_mails_a_known_address_and_answers_the_same_for_an_unknown_one(world, main_client):
    known = ask_reset(main_client, world.member_a.email)
    unknown = ask_reset(main_client, "tidak-ada@example.id")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/akun/kata-sandi/lupa/terkirim/"
    assert [m.to for m in mail.outbox] == [[world.member_a.email]]


def test_reset_mails_are_limited_per_address(world, client_for):
    for _ in range(3):
        assert ask_reset(client_for(), world.member_a.email).status_code == 302
    refused = ask_reset(client_for(), world.member_a.email)
    assert refused.status_code == 429
    assert (
        "Terlalu banyak permintaan atur ulang kata sandi. Coba lagi dalam 60 menit."
        in refused.content.decode()
    )
    # Another client gets two more, then the address's own limit holds from anywhere.
    for i in range(2):
        assert ask_reset(client_for(), world.member_a.email, f"198.51.100.{i}").status_code == 302
    assert ask_reset(client_for(), world.member_a.email, "192.0.2.1").status_code == 429
    assert len(mail.outbox) == 5
    # Unknown addresses are limited alike: the limit tells nothing about who has an account.
    for _ in range(3):
        ask_reset(client_for(), "tidak-ada@example.id", "192.0.2.9")
    assert ask_reset(client_for(), "tidak-ada@example.id", "192.0.2.9").status_code == 429


def test_one_client_cannot_mail_many_addresses(world, client_for):
    for i in range(10):
        assert ask_reset(client_for(), f"orang{i}@example.id").status_code == 302
    assert ask_reset(client_for(), world.member_b.email).status_code == 429
    assert not mail.outbox


def timings(client, email_of, runs: int) -> dict[str, list[float]]:
    """Seconds per reset request, known and unknown address interleaved (so load hits both alike)."""
    found: dict[str, list[float]] = {"known": [], "unknown": []}
    for i in range(runs):
        for kind in ("known", "unknown"):
            started = time.perf_counter()
            response = ask_reset(client, email_of[kind], f"192.0.2.{i}")
            found[kind].append(time.perf_counter() - started)
            assert response.status_code == 302
    return found


def test_known_and_unknown_addresses_take_the_same_time(settings, world, main_client):
    settings.EMAIL_BACKEND = f"{__name__}.SlowSMTPBackend"
    settings.PASSWORD_RESET_LIMITS = [(1000, 3600, "account")]
    email_of = {"known": world.member_a.email, "unknown": "tidak-ada@example.id"}

    # Load on the machine only ever adds delay, so the fastest answer of each kind shows the work it
    # needs. Without padding, the slow SMTP server gives known addresses away...
    settings.PASSWORD_RESET_SECONDS = 0
    bare = timings(main_client, email_of, runs=5)
    assert min(bare["known"]) - min(bare["unknown"]) > SMTP_SECONDS / 2

    # ... and with it, the fastest answers differ by less than a fifth of the SMTP time, either way.
    settings.PASSWORD_RESET_SECONDS = SMTP_SECONDS * 1.5
    padded = timings(main_client, email_of, runs=9)
    assert abs(min(padded["known"]) - min(padded["unknown"])) < SMTP_SECONDS / 5, padded
