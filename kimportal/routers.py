"""Reads that may go to a PostgreSQL streaming replica (`DATABASE_REPLICA_URL`, the `replica` alias).

Only anonymous readers' public pages read it: `feed.cache.public_page` runs such a view inside
`replica_reads`, once the replica has replayed the page version the page will be cached under (the
lag rule, docs/operations.md). Everything else, every write, and every page of a signed-in user
stays on the primary, so editors and members read their own writes.

Hand-written SQL on those pages asks the routers too (`kimportal.db.connection_for_read`).
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from kimportal.db import connection_named

REPLICA = "replica"
# After the replica failed to answer, this process reads the primary for this long before trying again.
REPLICA_RETRY_SECONDS = 10

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)
_failed_at: float | None = None


class ReplicaRouter:
    """Reads go to the replica inside `replica_reads`; writes always go to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        # The primary said outright too: Django would otherwise follow an object to where it was
        # read, and an object read from the replica may outlive the page (the regions each process
        # keeps), so a signed-in user's related lookup on it would read the replica.
        return REPLICA if _reading_replica.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS  # also for an object read from the replica

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: objects read from either may be related.
        return True if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} else None


def replica_available() -> bool:
    """Whether a replica is configured and has not just failed to answer in this process."""
    return REPLICA in settings.DATABASES and (
        _failed_at is None or time.monotonic() - _failed_at > REPLICA_RETRY_SECONDS
    )


def replica_failed() -> None:
    """The replica could not be reached: read the primary for REPLICA_RETRY_SECONDS."""
    global _failed_at
    _failed_at = time.monotonic()
    connection_named(REPLICA).close()


@contextmanager
def replica_reads(tenant: Any) -> Iterator[None]:
    """Reads inside go to the replica, on `tenant`'s schema: django-tenants sets the search path of
    the default connection only, so the replica's is pointed at the same community (or public)."""
    replica = connection_named(REPLICA)
    if replica.schema_name == tenant.schema_name and replica.search_path_set_schemas:
        replica.tenant = tenant  # already there: no SET search_path (as communities.middleware)
    else:
        replica.set_tenant(tenant)
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)
