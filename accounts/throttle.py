"""Rate limits counted in the database (no Redis needed): how long a client must wait before an
attempt at an account, and the record of attempts.

Sign-in is limited three ways (settings `LOGIN_LIMITS`): per (account, client), the tight limit that
stops a guesser; per client across accounts, which stops one network spraying many accounts; and a
short per-account window across clients, which slows a guesser with many addresses while letting the
real owner in again within about a minute. A refused attempt is not recorded, so hammering never
lengthens the wait, and a client blocked on one account can still sign in to another. A client is
an IPv4 address or an IPv6 /64 (kimportal.clients.client_network).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from .models import ThrottleEvent


@dataclass(frozen=True)
class Limit:
    count: int  # attempts allowed within `seconds`; the next one waits
    seconds: int
    per: str  # "account+client", "client" or "account"

    def matches(self, account: str, client: str) -> Q:
        return {
            "account+client": Q(account=account, client=client),
            "client": Q(client=client),
            "account": Q(account=account),
        }[self.per]


def limits_from(setting: list[tuple[int, int, str]]) -> tuple[Limit, ...]:
    return tuple(Limit(count, seconds, per) for count, seconds, per in setting)


def wait_seconds(scope: str, *, account: str, client: str, limits: tuple[Limit, ...]) -> int:
    """0 when the attempt may go ahead; else how long until every limit allows it again. One query."""
    now = timezone.now()
    longest = max(limit.seconds for limit in limits)
    aggregates: dict[str, Count | Min] = {}
    for i, limit in enumerate(limits):
        inside = limit.matches(account, client) & Q(at__gte=now - timedelta(seconds=limit.seconds))
        aggregates[f"n{i}"] = Count("pk", filter=inside)
        aggregates[f"first{i}"] = Min("at", filter=inside)
    found = (
        ThrottleEvent.objects.filter(scope=scope, at__gte=now - timedelta(seconds=longest))
        .filter(Q(account=account) | Q(client=client))
        .aggregate(**aggregates)
    )
    waits = [
        (found[f"first{i}"] + timedelta(seconds=limit.seconds) - now).total_seconds()
        for i, limit in enumerate(limits)
        if found[f"n{i}"] >= limit.count
    ]
    return max(1, round(max(waits))) if waits else 0


def record(scope: str, *, account: str, client: str, keep_seconds: int) -> None:
    """Count one attempt; rows older than any limit's window are dropped on the way."""
    now = timezone.now()
    ThrottleEvent.objects.filter(scope=scope, at__lt=now - timedelta(seconds=keep_seconds)).delete()
    ThrottleEvent.objects.create(scope=scope, account=account, client=client, at=now)


def forget(scope: str, *, account: str, client: str) -> None:
    """After a success: this client's earlier failures at this account no longer count."""
    ThrottleEvent.objects.filter(scope=scope, account=account, client=client).delete()
