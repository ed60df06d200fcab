"""Django's Redis cache, made fail-safe: a dead or unreachable Redis slows nothing and breaks nothing.

Django's own ``RedisCache`` raises on every call while Redis is down, and Wagtail reads the cache on
every page request (``Site.get_site_root_paths``), so the whole public site would answer 500. This
backend turns each failed call into a cache miss (``get`` returns the default, ``set`` and ``add``
do nothing, ``incr`` raises ``ValueError`` as for a missing key) and logs one warning. After a
failure it leaves Redis alone for ``RETRY_AFTER`` seconds (per process), so a Redis that hangs
instead of refusing costs one socket timeout per process every few seconds, not one per call.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from redis.exceptions import RedisError

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

#: seconds during which a process skips Redis after a failure
RETRY_AFTER = 5.0


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _call(self, operation: Callable[[], Any], default: Any) -> Any:
        if time.monotonic() < self._down_until:
            return default
        try:
            return operation()
        except (RedisError, OSError) as exc:
            with self._lock:
                if time.monotonic() >= self._down_until:
                    logger.warning("Redis cache unavailable, going without for %ss: %s", RETRY_AFTER, exc)
                self._down_until = time.monotonic() + RETRY_AFTER
            return default

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: super(FailSafeRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._call(lambda: super(FailSafeRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(lambda: super(FailSafeRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: super(FailSafeRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._call(lambda: super(FailSafeRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._call(lambda: super(FailSafeRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._call(lambda: super(FailSafeRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call(lambda: super(FailSafeRedisCache, self).incr(key, delta, version), missing)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (Redis unavailable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        failed = list(data)
        return self._call(lambda: super(FailSafeRedisCache, self).set_many(data, timeout, version), failed)

    def delete_many(self, keys, version=None):
        self._call(lambda: super(FailSafeRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._call(lambda: super(FailSafeRedisCache, self).clear(), False)
