"""Who is asking: the reader's network address, behind the deploy's own reverse proxies."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; or, when that is one of TRUSTED_PROXIES, the rightmost X-Forwarded-For entry
    that is not. Each proxy appends the address it was reached from, so that is the address the
    outermost of ours saw; entries further left are whatever the client chose to send."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_proxy(_parse(remote)):
        return remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(entry)
        if address is None:  # not written by a proxy of ours
            return remote
        if not _is_proxy(address):
            return str(address)
    return remote


def _is_proxy(address: Address | None) -> bool:
    return address is not None and any(address in network for network in _proxies())


def _proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(network, strict=False) for network in settings.TRUSTED_PROXIES]


def _parse(entry: str) -> Address | None:
    """An address as proxies write it: "203.0.113.7", "203.0.113.7:51234", "[2001:db8::1]:443"."""
    entry = entry.strip()
    if entry.startswith("["):
        entry = entry[1:].partition("]")[0]
    elif entry.count(":") == 1:
        entry = entry.partition(":")[0]
    try:
        return ipaddress.ip_address(entry)
    except ValueError:
        return None


def client_network(request: HttpRequest) -> str:
    """The client as rate limits count it: an IPv4 address, or the /64 of an IPv6 one (a home, a
    phone or a server gets a whole /64, and picks any address in it at will)."""
    remote = client_address(request)
    address = _parse(remote)
    if address is None:
        return remote[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
