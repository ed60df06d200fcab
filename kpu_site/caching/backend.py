"""A Redis cache that fails open: when Redis is unreachable the site keeps serving.

Nothing this site caches is the only copy of anything (sessions are ``cached_db``), so an unreachable
Redis counts as an empty cache instead of turning every page into a 500, and what it holds when it
answers again is dropped as possibly stale. Keys read on nearly every request (``WATCHED_KEYS``) are
kept in each process and renewed over Redis pub/sub. Public APIs only: Django's ``BaseCache``, redis-py.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


#: a watched key's value is not known in this process: ask Redis
UNKNOWN = object()
#: Redis holds no such key
ABSENT = object()


def dumps(value: Any) -> int | bytes:
    """Integers as such (``INCR`` needs them; ``type`` so that ``True`` stays pickled), else pickled."""
    if type(value) is int:
        return value
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> Any:
    try:
        return int(data)
    except ValueError:
        return pickle.loads(data)  # noqa: S301 - only this backend writes under its prefix


class KeyWatcher:
    """One key's value, kept in this process and read again whenever a process announces a change.

    One per process and key (``watcher_for``), whatever the number of threads and backend instances.
    The thread also reads the key every ``REFRESH_SECONDS``, so a lost message or a half-dead
    connection leaves a value at most that old; while it is not subscribed, the key is read from Redis.
    Its thread stops after ``IDLE_SECONDS`` without a reader and starts again on the next read.
    """

    REFRESH_SECONDS = 1.0
    RETRY_SECONDS = 1.0
    IDLE_SECONDS = 300.0

    def __init__(self, client: redis.Redis, key: str) -> None:
        self.client = client
        self.key = key
        self.channel = f"{key}:changed"
        self._value: Any = UNKNOWN
        self._writes = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._last_read = time.monotonic()
        self._stop = threading.Event()

    # --- readers and writers --------------------------------------------------------------
    def value(self) -> Any:
        """The key's value, ``ABSENT``, or ``UNKNOWN`` while this process is not subscribed."""
        self._last_read = time.monotonic()
        thread = self._thread
        if thread is None or self._pid != os.getpid() or not thread.is_alive():
            self._start()
        return self._value

    def written(self, value: Any = UNKNOWN) -> None:
        """This process wrote the key: take ``value`` (if known) at once and tell every process."""
        with self._lock:
            self._writes += 1
            if self._value is not UNKNOWN:  # subscribed: the new value is known here at once
                self._value = value
        try:
            self.client.publish(self.channel, b"1")
        except UNAVAILABLE as exc:  # the others read it again within a second anyway
            logger.warning("Could not announce a change of %s (%s)", self.key, exc)

    # --- the subscribed thread ------------------------------------------------------------
    def stop(self) -> None:
        """Let the thread end (at its next wake-up) and forget the value; a read starts a new one."""
        with self._lock:
            self._stop.set()
            self._thread = None
            self._value = UNKNOWN

    def _start(self) -> None:
        with self._lock:
            thread = self._thread
            if thread is not None and self._pid == os.getpid() and thread.is_alive():
                return
            self._pid = os.getpid()
            self._value = UNKNOWN  # a forked child must not trust its parent's copy
            self._last_read = time.monotonic()
            self._stop = threading.Event()
            self._thread = threading.Thread(
                target=self._run, args=(self._stop,), name=f"watch {self.key}", daemon=True
            )
            self._thread.start()

    def _refresh(self, stop: threading.Event) -> None:
        writes = self._writes
        data = self.client.get(self.key)
        value = ABSENT if data is None else loads(data)
        with self._lock:
            if writes == self._writes and not stop.is_set():  # no write of this process raced the read
                self._value = value

    def forget(self) -> None:
        """Ask Redis again until the thread has read the key afresh."""
        with self._lock:
            self._writes += 1  # a read in flight must not bring the old value back
            self._value = UNKNOWN

    def _forget(self, stop: threading.Event) -> None:
        with self._lock:
            if not stop.is_set():  # a stopped thread leaves its successor's value alone
                self._value = UNKNOWN

    def _run(self, stop: threading.Event) -> None:
        pubsub = None
        try:
            while not stop.is_set() and time.monotonic() - self._last_read < self.IDLE_SECONDS:
                try:
                    if pubsub is None:
                        pubsub = self.client.pubsub()
                        pubsub.subscribe(self.channel)
                        confirmed = pubsub.get_message(timeout=self.RETRY_SECONDS)
                        if not confirmed or confirmed["type"] != "subscribe":
                            raise RedisConnectionError("subscription not confirmed")
                    else:
                        pubsub.get_message(ignore_subscribe_messages=True, timeout=self.REFRESH_SECONDS)
                    # subscribed first, read second: a change after the read is announced to us
                    self._refresh(stop)
                except Exception as exc:  # noqa: BLE001 - any failure: back to reading from Redis
                    self._forget(stop)
                    logger.debug("Watching %s stopped (%s); reading it from Redis", self.key, exc)
                    if pubsub is not None:
                        with contextlib.suppress(Exception):
                            pubsub.close()
                        pubsub = None
                    stop.wait(self.RETRY_SECONDS)
        finally:
            self._forget(stop)
            if pubsub is not None:
                with contextlib.suppress(Exception):
                    pubsub.close()


#: what this process keeps per Redis (whatever the number of threads and backend instances)
_watchers: dict[tuple[str, str], KeyWatcher] = {}
_clients: dict[tuple[str, tuple], redis.Redis] = {}
_registry_lock = threading.Lock()


def client_for(url: str, options: dict[str, Any]) -> redis.Redis:
    """This process's client of the Redis at ``url``: one connection pool, shared by every thread
    (a ``redis.Redis`` is thread-safe; building one per call costs more than a round trip)."""
    key = (url, tuple(sorted(options.items())))
    found = _clients.get(key)
    if found is None:
        with _registry_lock:
            found = _clients.get(key)
            if found is None:
                found = _clients[key] = redis.Redis.from_url(url, **options)
    return found


def watcher_for(client: redis.Redis, server: str, key: str) -> KeyWatcher:
    """This process's watcher of ``key`` (a full key, prefix and version included) on ``server``."""
    found = _watchers.get((server, key))
    if found is None:
        with _registry_lock:
            found = _watchers.setdefault((server, key), KeyWatcher(client, key))
    return found


def watchers_on(server: str, prefix: str) -> list[KeyWatcher]:
    """This process's watchers of the keys under ``prefix`` on ``server`` (any version)."""
    start = f"{prefix}:"
    return [w for (found, key), w in list(_watchers.items()) if found == server and key.startswith(start)]


def stop_watchers() -> None:
    """Stop every watcher of this process (tests that stop their Redis)."""
    with _registry_lock:
        watchers = list(_watchers.values())
        _watchers.clear()
    for watcher in watchers:
        watcher.stop()


class Circuit:
    """A process's view of one Redis: paused after a failure, and stale until cleaned."""

    def __init__(self) -> None:
        self.down_until = 0.0
        #: an outage was seen: what Redis holds may be stale until it is dropped
        self.stale = False
        self.lock = threading.Lock()


_circuits: dict[str, Circuit] = {}


def circuit_for(name: str) -> Circuit:
    found = _circuits.get(name)
    if found is None:
        with _registry_lock:
            found = _circuits.setdefault(name, Circuit())
    return found


class FailOpenRedisCache(BaseCache):
    """A Redis cache (``LOCATION``: the server, then any read replicas, comma-separated) that treats
    an unreachable Redis as a cache miss."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        # after one failure, no Redis call for RETRY_AFTER seconds: a page making many cache calls
        # pays for one failed connection attempt, not one each
        self.retry_after = float(options.pop("RETRY_AFTER", 5.0))
        self.watched_keys = frozenset(options.pop("WATCHED_KEYS", ()))
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        self.servers = re.split("[;,]", server) if isinstance(server, str) else list(server)
        self._clients = [client_for(url, options) for url in self.servers]
        self._watching: dict[tuple[str, int | None], KeyWatcher] = {}
        # Django makes one backend per thread: the circuit is the process's, shared by its threads
        self._circuit = circuit_for(f"{server} {self.key_prefix}")

    def _client(self, *, write: bool = False) -> redis.Redis:
        """The first server for writes; a replica, if there are any, for reads (as Django's)."""
        if write or len(self._clients) == 1:
            return self._clients[0]
        return random.choice(self._clients[1:])  # noqa: S311 - load spreading, not security

    def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT) -> int | None:
        """Seconds for Redis: None keeps the key for ever, 0 or less deletes it (as Django's)."""
        if timeout == DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return None if timeout is None else max(0, int(timeout))

    # --- the circuit ---------------------------------------------------------------------
    def _available(self) -> bool:
        return time.monotonic() >= self._circuit.down_until

    def _failed(self, operation: str, exc: Exception) -> None:
        with self._circuit.lock:
            first = self._available()
            self._circuit.down_until = time.monotonic() + self.retry_after
            self._circuit.stale = True
        for watcher in watchers_on(self.servers[0], self.key_prefix):  # may be outdated now
            watcher.forget()
        if first:
            logger.warning(
                "Redis unavailable during cache %s (%s); serving without cache for %.0f s",
                operation,
                exc,
                self.retry_after,
            )

    def _call(self, operation: str, default: Any, function: Callable[..., Any], *args: Any) -> Any:
        if not self._available():
            return default
        try:
            if self._circuit.stale:
                self._drop_stale_entries()
            return function(*args)
        except UNAVAILABLE as exc:
            self._failed(operation, exc)
            return default

    def _drop_stale_entries(self) -> None:
        """Redis is back after an outage: delete every key of this site.

        While Redis was unreachable, writes and deletes were dropped (a generation bump, a logout's
        session delete, Wagtail's invalidations), and a Redis that hung or was cut off comes back with
        its old keys. SCAN + UNLINK under ``KEY_PREFIX``, never FLUSHDB: the Redis may be shared. A cold
        cache after a rare outage is the price of never serving a stale page or reviving an ended
        session.
        """
        client = self._client(write=True)
        dropped = 0
        batch: list[bytes] = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                dropped += client.unlink(*batch)
                batch = []
        if batch:
            dropped += client.unlink(*batch)
        self._circuit.stale = False
        self._announce_all()
        logger.warning("Redis answers again: dropped %d cached entries that may be stale", dropped)

    def _announce_all(self) -> None:
        """Every watched key may have changed (all keys dropped): tell every process."""
        for key in self.watched_keys:
            self._watcher(key, None)  # the default version's, even if this process never read it
        if self._available():
            for watcher in watchers_on(self.servers[0], self.key_prefix):
                watcher.written(ABSENT)

    # --- watched keys ------------------------------------------------------------------------
    def _watcher(self, key: str, version: int | None) -> KeyWatcher | None:
        if key not in self.watched_keys:
            return None
        watcher = self._watching.get((key, version))
        if watcher is None:
            full_key = self.make_and_validate_key(key, version=version)
            watcher = watcher_for(self._client(write=True), self.servers[0], full_key)
            self._watching[(key, version)] = watcher
        return watcher

    def _local(self, key: str, version: int | None) -> Any:
        """The watched key's value from this process's memory, ``ABSENT``, or ``UNKNOWN``.

        Never during or after an outage until Redis has been cleaned (``_call``): a write this
        process lost then is not in what the watcher reads back from Redis."""
        watcher = self._watcher(key, version)
        if watcher is None or self._circuit.stale or not self._available():
            return UNKNOWN
        return watcher.value()

    def _written(self, key: str, version: int | None, value: Any = UNKNOWN) -> None:
        watcher = self._watcher(key, version)
        if watcher is not None and self._available():
            watcher.written(value)

    # --- Redis commands (keys already made) ----------------------------------------------------
    def _read(self, key: str, default: Any) -> Any:
        data = self._client().get(key)
        return default if data is None else loads(data)

    def _read_many(self, keys: dict[str, Any]) -> dict[Any, Any]:
        """``keys``: full key -> the caller's key."""
        values = self._client().mget(list(keys))
        return {keys[full]: loads(data) for full, data in zip(keys, values, strict=True) if data is not None}

    def _write(self, key: str, value: Any, timeout: int | None, only_new: bool = False) -> bool:
        client = self._client(write=True)
        if timeout == 0:
            written = bool(client.set(key, dumps(value), nx=True)) if only_new else True
            client.delete(key)
            return written
        return bool(client.set(key, dumps(value), ex=timeout, nx=only_new))

    def _write_many(self, data: dict[str, Any], timeout: int | None) -> None:
        pipeline = self._client(write=True).pipeline()
        if timeout == 0:
            pipeline.delete(*data)
        else:
            pipeline.mset({key: dumps(value) for key, value in data.items()})
            if timeout is not None:
                for key in data:
                    pipeline.expire(key, timeout)
        pipeline.execute()

    def _touch(self, key: str, timeout: int | None) -> bool:
        client = self._client(write=True)
        return bool(client.persist(key) if timeout is None else client.expire(key, timeout))

    def _delete(self, keys: Iterable[str]) -> int:
        return self._client(write=True).delete(*keys)

    def _incr(self, key: str, delta: int) -> int:
        client = self._client(write=True)
        if not client.exists(key):
            raise ValueError(f"Key '{key}' not found.")
        return client.incr(key, delta)

    def _key(self, key: str, version: int | None) -> str:
        return self.make_and_validate_key(key, version=version)

    # --- the cache API: reads miss, writes do nothing ---------------------------------------
    def get(self, key, default=None, version=None):
        local = self._local(key, version)
        if local is not UNKNOWN:
            return default if local is ABSENT else local
        return self._call("get", default, self._read, self._key(key, version), default)

    def get_many(self, keys, version=None):
        found, remote = {}, {}
        for key in keys:
            local = self._local(key, version)
            if local is UNKNOWN:
                remote[self._key(key, version)] = key
            elif local is not ABSENT:
                found[key] = local
        if remote:
            found.update(self._call("get_many", {}, self._read_many, remote))
        return found

    def has_key(self, key, version=None):
        full = self._key(key, version)
        return self._call("has_key", False, lambda: bool(self._client().exists(full)))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        timeout = self.get_backend_timeout(timeout)
        added = self._call("add", False, self._write, self._key(key, version), value, timeout, True)
        if added:
            self._written(key, version)
        return added

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        timeout = self.get_backend_timeout(timeout)
        self._call("set", None, self._write, self._key(key, version), value, timeout)
        self._written(key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        full = {self._key(key, version): value for key, value in data.items()}
        failed = self._call("set_many", list(data), self._write_many, full, self.get_backend_timeout(timeout))
        for key in data:
            self._written(key, version)
        return failed or []

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        timeout = self.get_backend_timeout(timeout)
        return self._call("touch", False, self._touch, self._key(key, version), timeout)

    def delete(self, key, version=None):
        deleted = bool(self._call("delete", 0, self._delete, [self._key(key, version)]))
        self._written(key, version, ABSENT)
        return deleted

    def delete_many(self, keys, version=None):
        keys = list(keys)
        if not keys:
            return
        self._call("delete_many", None, self._delete, [self._key(key, version) for key in keys])
        for key in keys:
            self._written(key, version, ABSENT)

    def clear(self):
        cleared = self._call("clear", False, lambda: bool(self._client(write=True).flushdb()))
        self._announce_all()
        return cleared

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call("incr", missing, self._incr, self._key(key, version), delta)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        self._written(key, version, result)
        return result
