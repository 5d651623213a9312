"""What the site keeps in Redis as traffic grows (docs/deploy.md, "Redis memory"): compose.yaml's
Redis is bounded and, when full, drops the least recently used keys (allkeys-lru). Whatever grows
with traffic (cached pages, rate-limit counters) must also have an expiry, so that a quiet Redis
empties itself; the keys without one (the page cache's tag versions) must stay as few as the
site's products, batches, codes and pages, however many addresses, query strings and clients
come. Run on the Redis on loopback (skipped, with the reason
printed, where there is none), under a key prefix of its own."""

import os
import secrets

import pytest

from django.test import override_settings

from tests.traceability.conftest import area, batch, make_batch, product  # noqa: F401 (fixtures)

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_cache():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        print(f"skipped: needs Redis on loopback ({REDIS_URL}): {error}")
        pytest.skip(f"needs Redis on loopback ({REDIS_URL}): {error}")
    prefix = f"test-redis-memory-{secrets.token_hex(4)}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches, RATE_LIMITS_ENABLED=True):
        try:
            yield client, prefix
        finally:
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)
            client.close()


def keys_by_expiry(client, prefix) -> tuple[set, set]:
    """(keys with an expiry, keys without one) under this test's prefix."""
    expiring, lasting = set(), set()
    for key in client.scan_iter(f"{prefix}:*"):
        (lasting if client.ttl(key) == -1 else expiring).add(key)
    return expiring, lasting


def visit(client, traced, round_number: int, clients: int):
    """The trace page, the home page and unknown codes, from `clients` addresses, each with a
    made-up query string of this round."""
    for n in range(clients):
        address = f"198.51.100.{round_number * clients + n + 1}"
        query = f"?utm_source=round{round_number}-{n}"
        for path in [f"/t/{traced.short_code}", "/", f"/t/NOSUCH{round_number}{n}"]:
            response = client.get(path + query, REMOTE_ADDR=address)
            assert response.status_code in (200, 404), (path, response.status_code)


def test_what_grows_with_traffic_in_redis_has_an_expiry(client, batch, redis_cache):  # noqa: F811
    redis, prefix = redis_cache

    visit(client, batch, 0, clients=1)
    expiring_before, lasting_before = keys_by_expiry(redis, prefix)
    visit(client, batch, 1, clients=20)
    expiring_after, lasting_after = keys_by_expiry(redis, prefix)

    # The traffic did store things (rate-limit counters, at least) ...
    assert len(expiring_after) > len(expiring_before)
    # ... and none of them without an expiry.
    assert lasting_after == lasting_before
