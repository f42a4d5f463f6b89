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
