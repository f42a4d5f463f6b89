"""Django's Redis cache backend, keeping one redis-py client per connection pool.

Django builds a new ``redis.Redis`` for every cache call, and redis-py fills a table of ~200 response
callbacks in each one: ~25 us, about a tenth of a cached page's Python time, and on every community
page the host's lookup paid it once more. A client is only a view of its pool, so one per pool is
enough. Each thread has its own cache object (Django's ``caches`` is thread-local), so nothing here
is shared between threads.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
