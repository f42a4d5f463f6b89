"""The database backend's health check: no round trip while the connection is healthy, and a
connection the server has closed is replaced before the next request uses it."""

import select
import time

import pytest
from django.db import connection


@pytest.fixture
def other_connection():
    """A second persistent connection, checked at each request start as the one serving pages is."""
    other = connection.copy()
    other.settings_dict["CONN_HEALTH_CHECKS"] = True
    other.ensure_connection()
    yield other
    other.close()


def _next_request(db_connection) -> None:
    """What Django does to a persistent connection between two requests, then the first query."""
    db_connection.close_if_unusable_or_obsolete()
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT 1")


@pytest.mark.django_db
def test_a_healthy_connection_is_not_pinged(other_connection, monkeypatch):
    pings = []
    real_check = type(other_connection).is_usable
    monkeypatch.setattr(type(other_connection), "is_usable", lambda self: pings.append(1) or real_check(self))
    pid = other_connection.connection.info.backend_pid

    _next_request(other_connection)
    _next_request(other_connection)

    assert pings == []
    assert other_connection.connection.info.backend_pid == pid


@pytest.mark.django_db
def test_a_connection_the_server_closed_is_replaced_before_the_next_query(other_connection):
    old_pid = other_connection.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [old_pid])
    poller = select.poll()
    poller.register(other_connection.connection.fileno(), select.POLLIN)
    deadline = time.monotonic() + 5
    while not poller.poll(50) and time.monotonic() < deadline:
        pass  # the server's goodbye arrives within milliseconds

    _next_request(other_connection)  # would raise OperationalError without the check

    assert other_connection.connection.info.backend_pid != old_pid


def _page_of(db_connection, tenant) -> int:
    """A request that reads one community's tables on this connection; returns the backend's pid."""
    db_connection.close_if_unusable_or_obsolete()
    db_connection.set_tenant(tenant)
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM posts_post")
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_connection_that_used_too_many_schemas_is_replaced_between_requests(
    world, other_connection, settings
):
    """Each schema a backend touches stays in its memory: past the bound, the next request gets a
    fresh backend instead of a bigger one."""
    settings.DB_SCHEMAS_PER_CONNECTION = 1
    first = _page_of(other_connection, world.community_a)
    assert _page_of(other_connection, world.community_a) == first  # one schema: within the bound
    assert _page_of(other_connection, world.community_b) == first  # a second one, in this request
    fresh = _page_of(other_connection, world.community_b)  # the request after it: over the bound
    assert fresh != first
    assert _page_of(other_connection, world.community_a) == fresh  # counting starts again


@pytest.mark.django_db
def test_without_a_bound_the_connection_is_kept(world, other_connection, settings):
    settings.DB_SCHEMAS_PER_CONNECTION = 0
    pids = {_page_of(other_connection, community) for community in (world.community_a, world.community_b) * 2}
    assert len(pids) == 1
