"""A Redis cache that fails open: when Redis is unreachable the site keeps serving.

Django's ``RedisCache`` raises ``redis.ConnectionError`` (or ``TimeoutError``) from every call when
Redis is down, which turns each page into a 500. Nothing this site keeps in the cache is the only
copy of anything (sessions use ``cached_db``: the database holds them), so here an unreachable
Redis counts as an empty cache: reads miss, writes and deletes do nothing, and the error is logged.

When Redis answers again after an outage, whatever it still holds may be stale: while it was
unreachable, writes and deletes were dropped (a publication's page-cache generation bump, a logout's
session delete, Wagtail's own invalidations). A Redis that hung or was cut off by the network comes
back with all its old keys, so on the first call that reaches it again the backend drops every key
under its ``KEY_PREFIX`` (SCAN + UNLINK, never FLUSHDB: the Redis may be shared) before doing
anything else. Everything is rebuilt from the database: sessions are read again from it, pages are
rendered again. Outages are rare; a cold cache after one is the price of never serving a stale page
or reviving a session that was ended.

To keep a dead Redis cheap, the socket timeouts are short (``OPTIONS``) and after one failure the
backend does not try Redis again for ``RETRY_AFTER`` seconds in this process: a page that makes ten
cache calls pays for at most one failed connection attempt.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` (and its table of ~170 reply callbacks) for
    every cache call, about a third of a millisecond each: a page cache hit paid more for that than
    for its Redis round trip. A ``redis.Redis`` over a connection pool is thread-safe: keep one."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    """``RedisCache`` that treats an unreachable Redis as a cache miss."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5.0))
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient
        self._down_until = 0.0
        #: an outage was seen: what Redis holds may be stale until it is dropped
        self._stale = False
        self._lock = threading.Lock()

    # --- the circuit ---------------------------------------------------------------------
    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, operation: str, exc: Exception) -> None:
        with self._lock:
            first = self._available()
            self._down_until = time.monotonic() + self.retry_after
            self._stale = True
        if first:
            logger.warning(
                "Redis unavailable during cache %s (%s); serving without cache for %.0f s",
                operation,
                exc,
                self.retry_after,
            )

    def _call(self, operation: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._available():
            return default
        try:
            if self._stale:
                self._drop_stale_entries()
            return getattr(super(), operation)(*args, **kwargs)
        except UNAVAILABLE as exc:
            self._failed(operation, exc)
            return default

    def _drop_stale_entries(self) -> None:
        """Redis is back after an outage: delete every key of this site (see the module docstring)."""
        client = self._cache.get_client(write=True)
        dropped = 0
        batch: list[bytes] = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                dropped += client.unlink(*batch)
                batch = []
        if batch:
            dropped += client.unlink(*batch)
        self._stale = False
        logger.warning("Redis answers again: dropped %d cached entries that may be stale", dropped)

    # --- the cache API: reads miss, writes do nothing ---------------------------------------
    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call("incr", missing, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return result
