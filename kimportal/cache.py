"""Django's Redis cache backend, failing open, and keeping one redis-py client per connection pool.

Redis is only a cache here: losing it must cost speed, never availability. Every call that fails
(Redis down, refused, too slow) answers as a miss (`get` gives the default, `set` does nothing), and
opens a circuit breaker: for `BREAKER_SECONDS` no call in this process tries Redis at all, so a
dead Redis costs each request nothing, not a connect timeout. Then one call tries again; while
Redis stays down each trial re-opens the breaker. Short socket timeouts (settings.CACHES) bound
what a trial costs when Redis hangs instead of refusing.

Django builds a new ``redis.Redis`` for every cache call, and redis-py fills a table of ~200 response
callbacks in each one: ~25 us, about a tenth of a cached page's Python time, and on every community
page the host's lookup paid it once more. A client is only a view of its pool, so one per pool is
enough. Each thread has its own cache object (Django's ``caches`` is thread-local), so nothing here
is shared between threads but the breakers, which are plain floats.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from django.core.cache.backends import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BREAKER_SECONDS = 5.0
# Until when (time.monotonic()) each server is left alone, per process: shared by every thread and
# every cache alias that uses the server.
_open_until: dict[str, float] = {}


def breaker_open(server: str) -> bool:
    return _open_until.get(server, 0.0) > time.monotonic()


def breaker_reset() -> None:
    """Forget every failure (tests)."""
    _open_until.clear()


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class _Unavailable(Exception):
    """Redis is down, or its breaker is open: answer as a miss."""


class RedisCache(redis.RedisCache):
    _cache: RedisCacheClient  # Django's cached_property, which django-stubs does not declare

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._server_name = self._servers[0]

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if breaker_open(self._server_name):
            raise _Unavailable
        try:
            return getattr(self._cache, method)(*args, **kwargs)
        except RedisError as error:
            if not breaker_open(self._server_name):
                logger.warning("Cache unavailable, treated as empty for %ss: %s", BREAKER_SECONDS, error)
            _open_until[self._server_name] = time.monotonic() + BREAKER_SECONDS
            raise _Unavailable from error

    def ping(self) -> bool:
        """Whether Redis answers now (the readiness check), breaker or not."""
        try:
            return bool(self._cache.get_client().ping())
        except RedisError:
            return False

    # Each public method of Django's RedisCache, with the key made the same way and a miss on failure.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        try:
            return self._call("add", key, value, self.get_backend_timeout(timeout))
        except _Unavailable:
            return False

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        try:
            return self._call("get", key, default)
        except _Unavailable:
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with contextlib.suppress(_Unavailable):
            self._call("set", key, value, self.get_backend_timeout(timeout))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        try:
            return self._call("touch", key, self.get_backend_timeout(timeout))
        except _Unavailable:
            return False

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        try:
            return self._call("delete", key)
        except _Unavailable:
            return False

    def get_many(self, keys, version=None):
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        try:
            found = self._call("get_many", key_map.keys())
        except _Unavailable:
            return {}
        return {key_map[key]: value for key, value in found.items()}

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        try:
            return self._call("has_key", key)
        except _Unavailable:
            return False

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        try:
            return self._call("incr", key, delta)
        except _Unavailable:
            raise ValueError(f"Key '{key}' not found (cache unavailable).") from None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        safe_data = {self.make_and_validate_key(key, version=version): value for key, value in data.items()}
        try:
            self._call("set_many", safe_data, self.get_backend_timeout(timeout))
        except _Unavailable:
            return list(data)
        return []

    def delete_many(self, keys, version=None):
        if not keys:
            return
        safe_keys = [self.make_and_validate_key(key, version=version) for key in keys]
        with contextlib.suppress(_Unavailable):
            self._call("delete_many", safe_keys)

    def clear(self):
        try:
            return self._call("clear")
        except _Unavailable:
            return False
