"""Parts of pages that every request would otherwise rebuild, kept until the next public change.

The header menu and the home page's sections change only when public content does, so each worker
keeps them as plain values tagged with the site-wide ``generation`` and drops them all when it
changes; they also expire after ``FRAGMENT_CACHE_SECONDS`` (off without Redis, which the generation
needs). The ``<head>`` and ``<main>`` of each page are kept in Redis instead (docs/caching.md).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kpu_site.caching.generation import current_generation

#: attribute of the request holding the generation read for it (set by the page cache too)
REQUEST_ATTRIBUTE = "_kpu_generation"
_UNKNOWN = object()


class WorkerLRU:
    """Values kept in this worker until they expire, least recently used out once their summed
    ``weight`` passes the ``capacity`` given with each ``put``. Reads take no lock and tolerate
    another thread (gthread workers) evicting meanwhile. Used for the page cache's hits
    (``middleware.LocalPages``)."""

    def __init__(self) -> None:
        #: key -> (value, weight, monotonic time it expires)
        self._items: OrderedDict[Any, tuple[Any, int, float]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        item = self._items.get(key)
        if item is None or item[2] <= time.monotonic():
            return None
        with contextlib.suppress(KeyError):  # dropped by another thread meanwhile
            self._items.move_to_end(key)
        return item[0]

    def put(self, key: Any, value: Any, *, seconds: float, capacity: int, weight: int = 1) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._weight -= old[1]
            self._items[key] = (value, weight, time.monotonic() + seconds)
            self._weight += weight
            while self._weight > capacity and self._items:
                _, (_, dropped, _) = self._items.popitem(last=False)
                self._weight -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._weight = 0

    def __contains__(self, key: Any) -> bool:
        return key in self._items

    def __iter__(self):
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)


_entries: dict[Any, tuple[float, Any]] = {}
_generation: list[int | None] = [None]


def fragment_seconds() -> int:
    return int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0) or 0)


def request_generation(request: HttpRequest | None) -> int | None:
    """The generation in force for this request, read once per request."""
    if request is None:
        return current_generation()
    generation = getattr(request, REQUEST_ATTRIBUTE, _UNKNOWN)
    if generation is _UNKNOWN:
        generation = current_generation()
        setattr(request, REQUEST_ATTRIBUTE, generation)
    return generation


def clear() -> None:
    _entries.clear()
    _generation[0] = None


def in_force(request: HttpRequest | None) -> bool:
    """Whether what this process keeps may be used now; drops it all when the generation moved on."""
    if fragment_seconds() <= 0:
        return False
    generation = request_generation(request)
    if generation is None:  # the cache cannot tell (Redis down): keep nothing
        return False
    if generation != _generation[0]:
        clear()
        _generation[0] = generation
    return True


def kept(request: HttpRequest | None, key: Any) -> Any:
    """The value kept under ``key`` for the generation in force, or None."""
    if not in_force(request):
        return None
    entry = _entries.get(key)
    return entry[1] if entry is not None and entry[0] > time.monotonic() else None


def keep(request: HttpRequest | None, key: Any, value: Any) -> None:
    """Keep ``value`` (a plain value) until the generation changes or it expires."""
    if in_force(request):
        _entries[key] = (time.monotonic() + fragment_seconds(), value)


def fragment(request: HttpRequest | None, key: Any, build: Callable[[], Any]) -> Any:
    """``build()``'s value (a plain value: text, numbers, tuples of them; never a model instance),
    kept in this process until the generation changes or it expires."""
    if not in_force(request):
        return build()
    seconds = fragment_seconds()
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = build()
    _entries[key] = (now + seconds, value)
    return value
