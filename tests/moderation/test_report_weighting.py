"""Reports hide a post only when they come from enough distinct networks: one client, one IPv6 /64
or one account cannot multiply its report."""

import pytest

from feed.models import FeedEntry
from moderation.models import Report


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.REPORT_HIDE_THRESHOLD = 3


def report(client_for, entry, ip, user=None):
    client = client_for(entry.community, user, REMOTE_ADDR=ip)
    return client.post(f"/berita/{entry.slug}/laporkan/", {"reason": "hoaks", "note": ""}).content.decode()


def is_live(entry) -> bool:
    return FeedEntry.objects.filter(pk=entry.pk).exists()


def test_addresses_of_one_ipv6_64_report_a_post_once(world, client_for, published_entry):
    entry = published_entry(world.community_a)
    assert "Terima kasih" in report(client_for, entry, "2001:db8:5:6::1")
    for address in ("2001:db8:5:6::2", "2001:db8:5:6:abcd::3"):
        assert "Anda sudah melaporkan tulisan ini" in report(client_for, entry, address)
    assert is_live(entry) and Report.objects.count() == 1

    report(client_for, entry, "2001:db8:5:7::1")
    assert is_live(entry)
    report(client_for, entry, "203.0.113.20")
    assert not is_live(entry)


def test_a_signed_in_reader_reports_a_post_once_from_anywhere(world, client_for, published_entry):
    entry = published_entry(world.community_a)
    assert "Terima kasih" in report(client_for, entry, "203.0.113.1", world.outsider)
    assert "Anda sudah melaporkan tulisan ini" in report(client_for, entry, "198.51.100.1", world.outsider)
    assert Report.objects.count() == 1


def test_many_accounts_on_one_network_count_once(world, client_for, published_entry):
    entry = published_entry(world.community_a)
    for user in (world.outsider, world.member_b, world.admin_b):
        assert "Terima kasih" in report(client_for, entry, "203.0.113.1", user)
    assert Report.objects.count() == 3
    assert is_live(entry), "three accounts behind one address are one network"

    report(client_for, entry, "198.51.100.1")
    report(client_for, entry, "192.0.2.1", world.editor_b)
    assert not is_live(entry)
