"""Who is asking: the reader's network address, behind however many reverse proxies the deploy has."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with TRUSTED_PROXIES reverse proxies in front, the address the outermost of
    them saw: X-Forwarded-For's entry that many from the right. Each proxy appends the address it
    was reached from, so entries further left are whatever the client chose to send."""
    hops = settings.TRUSTED_PROXIES
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= hops and forwarded[-hops]:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")
