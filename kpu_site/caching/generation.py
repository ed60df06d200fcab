"""The site-wide generation number every cached page and fragment is keyed by.

One number, stored in the cache (a watched key of the Redis backend: each worker knows it without a
round trip). Any change that can alter a public page bumps it (``invalidation``), which orphans
every entry at once: an entry is served only if its generation is the one in force. It starts from
the clock, never from 1, so a Redis that lost its keys can never bring back entries of an old
generation. A bump that cannot reach Redis (outage) is not lost either: when Redis answers again the
backend drops every key it holds, generation included (``backend``).
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

from kpu_site.caching.purge import purge_frontend_cache

GENERATION_KEY = "page-cache:generation"


def new_generation() -> int:
    """A generation above every earlier one: the wall clock in nanoseconds (never a frozen test
    clock: freezegun does not reach ``clock_gettime_ns``)."""
    return time.clock_gettime_ns(time.CLOCK_REALTIME)


def current_generation() -> int | None:
    """The generation in force; None when the cache cannot tell (Redis down): then nothing is cached."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, new_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return int(generation) if generation is not None else None


def bump_generation() -> None:
    """Orphan every cached page and fragment now, and purge the reverse proxy if there is one."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # never set, evicted, or Redis unreachable
        cache.set(GENERATION_KEY, new_generation(), timeout=None)
    purge_frontend_cache()


def schedule_bump() -> None:
    """Bump when the current transaction commits (at once outside a transaction): a render that read
    the generation before the bump may store the old page under the old generation, which no reader
    uses any more.

    A tree delete bumps once per page: an increment each, cheap enough not to need de-duplication
    (which would have to be right about savepoints rolled back).
    """
    transaction.on_commit(bump_generation, robust=True)
