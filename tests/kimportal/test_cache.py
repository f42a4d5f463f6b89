"""The Redis cache backend keeps one redis-py client per connection pool (kimportal/cache.py).

Building a client does not connect, so no Redis server is needed here.
"""

from kimportal.cache import RedisCache


def test_cache_calls_reuse_one_client_per_pool():
    cache = RedisCache("redis://127.0.0.1:6379/1", {"KEY_PREFIX": "test"})
    client = cache._cache.get_client("a", write=True)

    assert cache._cache.get_client("b", write=True) is client
    assert cache._cache.get_client("c") is cache._cache.get_client("d")
    assert client.connection_pool is cache._cache._get_connection_pool(True)
