"""Django's Redis cache, made to survive Redis being down (config/settings/base.py uses it when
REDIS_URL is set; docs/deploy.md, "When Redis is down").

Django's own RedisCache raises redis' ConnectionError or TimeoutError from every call when Redis
is stopped or unreachable, which makes every cached page, every login (its rate limits) and much
of Wagtail a 500. This subclass catches them, and while Redis does not answer:

- the cache answers as if it were empty and drops what it is given, so every page is rendered
  afresh from the database (slower, never stale: a process never keeps a page that another
  process's change could not make stale);
- counters whose key starts with one of LOCAL_KEY_PREFIXES (the rate limits', "ratelimit:") are
  kept in this process's memory instead, so each process goes on counting alone: a limit of N
  becomes at most N per web process, rather than no limit (the login path open to guessing) or
  no access (everyone locked out for the outage);
- invalidations (delete and delete_many, which is how website/page_cache.py makes pages stale,
  and incr) are remembered, and sent first when Redis answers again, so that a Redis that comes
  back with what it held (restored from a snapshot, or after a network fault) does not serve
  pages that a change made meanwhile made stale. A value set meanwhile is dropped, not sent
  later: a cache user that makes things stale by overwriting a key rather than deleting or
  incrementing it is not covered;
- after a failure, Redis is tried again at most every RETRY_SECONDS (default 5) per process, so a
  Redis that does not answer at all costs one request one socket timeout now and then, not every
  call of every request a timeout. Set socket_connect_timeout and socket_timeout in OPTIONS (the
  settings do): redis' default is 5 seconds (none before redis-py 8).

The start and the end of an outage are logged once per process (a warning each), not per request.

Why not django-redis (its IGNORE_EXCEPTIONS): it keeps trying Redis on every call, so a Redis
that does not answer costs each cache call its timeout; its incr() answers None while Redis is
down, which the rate limits cannot count with; it logs every ignored error, one line per call;
and it would replace Django's own client. This is Django's backend with the failure handling only."""

import logging
import threading
import time
from contextlib import suppress
from functools import partial

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# What redis-py raises when the server cannot be reached or does not answer in time (including
# a server still loading its data, or refusing our password: both ConnectionError subclasses).
REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

# Invalidations remembered per process while Redis is down, at most this many keys (an outage
# that long has outlived the pages it would make stale: PAGE_CACHE_SECONDS).
MAX_PENDING_KEYS = 10_000


class Outage:
    """Whether one Redis (one LOCATION) answers, shared by every thread of the process (Django
    makes a cache object per thread): since when it has not, why, when to try it again, and the
    invalidations to send it when it answers."""

    def __init__(self, location: str):
        self.location = location
        self.lock = threading.Lock()
        self.since: float | None = None
        self.reason = ""
        self.retry_at = 0.0
        # (key, version) pairs.
        self.deletes: set[tuple] = set()
        self.increments: dict[tuple, int] = {}
        self.dropped = 0
        # The counters kept while Redis is down; shared by this process's threads.
        self.counters = LocMemCache(f"website.cache.outage:{location}", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

    @property
    def down(self) -> bool:
        return self.since is not None

    def began(self, error: Exception, retry_seconds: float) -> None:
        with self.lock:
            self.retry_at = time.monotonic() + retry_seconds
            self.reason = type(error).__name__
            if self.since is not None:
                return
            self.since = time.monotonic()
        logger.warning(
            "Redis cache %s is unreachable (%s): pages are rendered without the cache and rate "
            "limits are counted per process until it answers again.",
            self.location,
            error,
        )

    def ended(self) -> None:
        with self.lock:
            if self.since is None:
                return
            lasted = time.monotonic() - self.since
            self.since = None
            self.reason = ""
            dropped, self.dropped = self.dropped, 0
        self.counters.clear()
        logger.warning(
            "Redis cache %s answers again after %.0f seconds; the cache is in use again.%s",
            self.location,
            lasted,
            f" {dropped} invalidations made meanwhile were too many to keep: cached pages may be "
            "stale until they expire."
            if dropped
            else "",
        )

    def should_try(self) -> bool:
        return self.since is None or time.monotonic() >= self.retry_at

    def remember(self, *, deletes=(), increments=None) -> None:
        with self.lock:
            for key in deletes:
                if len(self.deletes) + len(self.increments) < MAX_PENDING_KEYS:
                    self.deletes.add(key)
                else:
                    self.dropped += 1
            for key, delta in (increments or {}).items():
                if key in self.increments or len(self.deletes) + len(self.increments) < MAX_PENDING_KEYS:
                    self.increments[key] = self.increments.get(key, 0) + delta
                else:
                    self.dropped += 1

    def take_pending(self) -> tuple[set[tuple], dict[tuple, int]]:
        with self.lock:
            deletes, self.deletes = self.deletes, set()
            increments, self.increments = self.increments, {}
        return deletes, increments


outages: dict[str, Outage] = {}
outages_lock = threading.Lock()


def outage_of(location: str) -> Outage:
    with outages_lock:
        return outages.setdefault(location, Outage(location))


class OutageTolerantRedisCache(RedisCache):
    """RedisCache that keeps the site up while Redis is down (see the module's docstring).
    OPTIONS, besides redis' own: RETRY_SECONDS (5), LOCAL_KEY_PREFIXES (["ratelimit:"])."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        self.local_key_prefixes = tuple(options.pop("LOCAL_KEY_PREFIXES", ["ratelimit:"]))
        super().__init__(server, {**params, "OPTIONS": options})
        self.outage = outage_of(server if isinstance(server, str) else ",".join(server))

    def attempt(self, call, fallback):
        """call() on Redis, or fallback() while it does not answer. The first call after an
        outage sends the invalidations made meanwhile before anything else."""
        outage = self.outage
        if not outage.should_try():
            return fallback()
        was_down = outage.down
        try:
            if was_down:
                self.send_pending()
            result = call()
        except REDIS_UNREACHABLE as error:
            outage.began(error, self.retry_seconds)
            return fallback()
        if was_down:
            outage.ended()
        return result

    def send_pending(self) -> None:
        deletes, increments = self.outage.take_pending()
        try:
            by_version = {}
            for key, version in deletes:
                by_version.setdefault(version, []).append(key)
            for version, keys in by_version.items():
                super().delete_many(keys, version=version)
            for (key, version), delta in increments.items():
                with suppress(ValueError):  # gone meanwhile: nothing cached under it to make stale
                    super().incr(key, delta, version=version)
        except REDIS_UNREACHABLE:
            self.outage.remember(deletes=deletes, increments=increments)
            raise

    def local(self, key) -> bool:
        """Whether the key is a counter this process keeps itself while Redis is down."""
        return str(key).startswith(self.local_key_prefixes)

    def available(self) -> tuple[bool, str]:
        """Whether Redis answers (asked now, unless it failed within RETRY_SECONDS), and if not,
        why: the error's kind, not its text (which names the host; /healthz is public)."""
        self.attempt(partial(super().has_key, "website.cache:probe"), lambda: None)
        return (not self.outage.down, self.outage.reason)

    # The cache's calls: Redis's answer, or while it is down, the local counters' for their keys
    # and an empty cache's for the rest.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        counters = self.outage.counters
        return self.attempt(
            partial(super().add, key, value, timeout, version),
            lambda: self.local(key) and counters.add(key, value, timeout, version),
        )

    def get(self, key, default=None, version=None):
        counters = self.outage.counters
        return self.attempt(
            partial(super().get, key, default, version),
            lambda: counters.get(key, default, version) if self.local(key) else default,
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        counters = self.outage.counters

        def keep_locally():
            if self.local(key):
                counters.set(key, value, timeout, version)

        self.attempt(partial(super().set, key, value, timeout, version), keep_locally)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        counters = self.outage.counters
        return self.attempt(
            partial(super().touch, key, timeout, version),
            lambda: self.local(key) and counters.touch(key, timeout, version),
        )

    def delete(self, key, version=None):
        counters = self.outage.counters

        def delete_later():
            if self.local(key):
                return counters.delete(key, version)
            self.outage.remember(deletes=[(key, version)])
            return False

        return self.attempt(partial(super().delete, key, version), delete_later)

    def get_many(self, keys, version=None):
        counters = self.outage.counters
        keys = list(keys)
        return self.attempt(
            partial(super().get_many, keys, version),
            lambda: counters.get_many([key for key in keys if self.local(key)], version),
        )

    def has_key(self, key, version=None):
        counters = self.outage.counters
        return self.attempt(
            partial(super().has_key, key, version),
            lambda: self.local(key) and counters.has_key(key, version),
        )

    def incr(self, key, delta=1, version=None):
        counters = self.outage.counters

        def count_locally():
            if self.local(key):
                return counters.incr(key, delta, version)
            # Remembered for when Redis is back; meanwhile the key
            # is unknown, as in an empty cache.
            self.outage.remember(increments={(key, version): delta})
            raise ValueError(f"Key '{key}' not found (Redis is unreachable).")

        return self.attempt(partial(super().incr, key, delta, version), count_locally)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        counters = self.outage.counters

        def keep_locally():
            local = {key: value for key, value in data.items() if self.local(key)}
            counters.set_many(local, timeout, version)
            return [key for key in data if key not in local]

        return self.attempt(partial(super().set_many, data, timeout, version), keep_locally)

    def delete_many(self, keys, version=None):
        counters = self.outage.counters
        keys = list(keys)

        def delete_later():
            counters.delete_many([key for key in keys if self.local(key)], version)
            self.outage.remember(deletes=[(key, version) for key in keys if not self.local(key)])

        self.attempt(partial(super().delete_many, keys, version), delete_later)

    def clear(self):
        self.outage.counters.clear()
        return self.attempt(
            partial(
                super().clear,
            ),
            lambda: False,
        )
