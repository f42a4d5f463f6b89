"""django-tenants' PostgreSQL backend, with a health check that needs no round trip.

Django's health check (CONN_HEALTH_CHECKS) sends ``SELECT 1`` before the first query of every request
on a persistent connection: one more round trip for every page, a third of the feed's. A connection
that the server has closed (a restart, ``pg_terminate_backend``, an idle timeout) has something to
read: the server's goodbye, or the end of the stream. So when the connection sits outside any
transaction and its socket has nothing waiting, it is healthy without asking; otherwise Django's own
check runs, which reads what came and closes the connection if it is dead.

What this cannot see is a server that vanished without closing (its host crashed, or a failover
moved its address): the next query on each such connection fails, as the requests in flight at that
moment do, and Django then replaces it. TCP keepalives (settings) find such a peer on an idle
connection within about half a minute.

Measured (this overrides a private method of Django's, so it stays only while it pays): under wrk,
py-spy put 12 % of the cold province feed's samples in Django's check, and the feed went from
224-292 to 242-324 requests/s (commit a29db5a). In-process, `python bench/fastpaths.py`
times the poll at 0.002-0.004 ms against 0.06-0.10 ms for ``SELECT 1`` on loopback; a remote
database server adds its network round trip to every page.
"""

import select

from django.conf import settings
from django_tenants.postgresql_backend import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    """Also recycles a persistent connection once it has used more than DB_SCHEMAS_PER_CONNECTION
    schemas: a PostgreSQL backend keeps the definitions of every table it has touched until it ends
    (docs/operations.md measures how much), so a connection that wanders through many communities'
    schemas (member pages, jobs) would otherwise grow without limit. The count is checked where Django
    checks CONN_MAX_AGE, between requests (and between a worker's jobs), never inside a transaction."""

    schemas_used: set[str]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.schemas_used = set()

    def _handle_search_path(self, cursor=None):
        super()._handle_search_path(cursor)
        self.schemas_used.add(self.schema_name)

    def close(self):
        self.schemas_used = set()
        super().close()

    def close_if_unusable_or_obsolete(self):
        limit = getattr(settings, "DB_SCHEMAS_PER_CONNECTION", 0)
        if (
            limit
            and len(self.schemas_used) > limit
            and self.connection is not None
            and not self.in_atomic_block
        ):
            self.close()
            return
        super().close_if_unusable_or_obsolete()

    def close_if_health_check_failed(self) -> None:
        if self.health_check_enabled and not self.health_check_done and self._idle_and_quiet():
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _idle_and_quiet(self) -> bool:
        """Whether the connection is open, between transactions, and the server has sent nothing."""
        connection = self.connection
        if connection is None or connection.closed or not hasattr(select, "poll"):  # poll: not on Windows
            return False
        if connection.info.transaction_status != TransactionStatus.IDLE:
            return False
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
        return not poller.poll(0)  # POLLHUP and POLLERR are reported whatever was asked
