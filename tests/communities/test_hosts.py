import pytest

from kimportal.hosts import get_subdomain_from_hostname


@pytest.mark.parametrize(
    ("hostname", "expected"),
    [
        ("kim.id", ""),
        ("KIM.ID", ""),
        ("kim.id.", ""),
        ("kim.id:8000", ""),
        ("kratonkidul.kim.id", "kratonkidul"),
        ("KratonKidul.kim.id:443", "kratonkidul"),
        ("a.b.kim.id", None),
        ("evilkim.id", None),
        ("kim.id.evil.com", None),
        ("example.com", None),
        (".kim.id", None),
    ],
)
def test_it_maps_hostnames_to_subdomains(hostname, expected):
    assert get_subdomain_from_hostname(hostname, "kim.id") == expected
