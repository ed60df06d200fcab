"""Admission to search: so that a flood of searches cannot take every worker from other pages.

Search is the public page that reaches the database for every new query. A search runs only if its
client address is within ``SEARCH_RATE_LIMIT`` per window (a counter in Redis shared by every app
server; else 429) and one of this server's ``SEARCH_CONCURRENCY`` slots is free (else 503). When
Redis or the slot directory cannot be used, searches are allowed; nginx keeps its own limit in front.
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import logging
import math
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from axes.helpers import get_client_ip_address

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

#: the search page's path (``kpu_site.urls``, name "search")
SEARCH_PATH = "/cari/"
KEY_PREFIX = "search-rate"
#: what the "busy" page asks a reader to wait, in seconds
BUSY_RETRY_AFTER = 3


# --- who is asking -----------------------------------------------------------------------------
def client_address(request: HttpRequest) -> str:
    """The client's address as the login lockout finds it, as the key of its counter.

    django-axes' address (django-ipware with ``FORWARDED_FOR_PROXIES``) trusts X-Forwarded-For only
    when it has exactly as many entries as there are proxies. A longer header (the client sent its
    own, forged or from a proxy of its own) makes ipware answer with the proxy's address: every such
    client would then share one counter, and one of them could use it up for all. So a longer
    header is counted under the entry our first proxy appended (``FORWARDED_FOR_PROXIES`` from the
    right), the one address in it that the client cannot choose. An IPv6 client is counted by its
    /64 network, which one subscriber holds whole.
    """
    address = get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.FORWARDED_FOR_PROXIES
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and header:
        entries = [entry.strip() for entry in header.split(",")]
        if len(entries) > proxies:
            address = entries[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


# --- 1. searches per client address -------------------------------------------------------------
#: counters this process has seen over the limit, with the end of their window: a count only grows
#: within its window, so until then this process refuses that address without asking Redis
_over_limit: dict[str, float] = {}
OVER_LIMIT_KEPT = 10_000


def seconds_to_wait(request: HttpRequest) -> int:
    """Count one search for the request's client; 0 if it may run, else seconds until it may.

    Every request counts, run or refused, so one client cannot keep the search to itself.
    """
    limit, window = settings.SEARCH_RATE_LIMIT, settings.SEARCH_RATE_WINDOW
    if limit <= 0 or window <= 0:
        return 0
    now = time.time()
    slot = int(now // window)
    key = f"{KEY_PREFIX}:{client_address(request)}:{slot}:{limit}"
    ends = (slot + 1) * window
    if key not in _over_limit:
        if _increment(key, window) <= limit:
            return 0
        if len(_over_limit) >= OVER_LIMIT_KEPT:
            _over_limit.clear()
        _over_limit[key] = ends
    return max(1, math.ceil(ends - now))


def _increment(key: str, window: int) -> int:
    """INCR on an existing counter (Django's ``incr`` raises ValueError when there is none)."""
    try:
        return cache.incr(key)
    except ValueError:
        pass
    if cache.add(key, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(key)  # another worker created it in between
    except ValueError:
        return 1  # the cache is unavailable: allow the search


# --- 2. searches running at once in this server ------------------------------------------------
@contextlib.contextmanager
def search_slot() -> Iterator[bool]:
    """Hold one of ``SEARCH_CONCURRENCY`` slots while the block runs; yields False if none is free.

    Each slot is an exclusive, non-blocking ``flock`` on a file of ``SEARCH_SLOT_DIR`` named after
    the parent process (gunicorn's master: its workers share the slots, another server on the same
    machine has its own), taken on a descriptor of its own (so threads of one process exclude each
    other too) and released by closing it, or by the kernel if the process dies.
    """
    slots = settings.SEARCH_CONCURRENCY
    if slots <= 0:
        yield True
        return
    directory = Path(settings.SEARCH_SLOT_DIR)
    held = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for number in range(slots):
            descriptor = os.open(directory / f"{os.getppid()}-{number}", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            held = descriptor
            break
    except OSError as exc:  # the directory cannot be used: no cap rather than no search
        logger.warning("Search slots unavailable in %s (%s); searching without them", directory, exc)
        yield True
        return
    try:
        yield held is not None
    finally:
        if held is not None:
            os.close(held)


# --- the pages ----------------------------------------------------------------------------------
def refusal(request: HttpRequest, status: int, seconds: int, busy: bool) -> HttpResponse:
    """The 429 or 503 page: static, like the 500 page, so that refusing costs little."""
    context = {"retry_after": seconds, "busy": busy, "again": request.get_full_path()}
    body = loader.get_template("kpu_pages/search_limited.html").render(context)
    response = HttpResponse(body, status=status)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def has_query(request: HttpRequest) -> bool:
    from kpu_pages.search import SearchParams

    return bool(SearchParams.from_request(request).q)


class SearchLimitMiddleware:
    """Searches with a query run only in a free slot and within the client's budget (placed right
    after ``PageCacheMiddleware``, so cached answers are served before it and cost nothing here)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != SEARCH_PATH or request.method not in ("GET", "HEAD") or not has_query(request):
            return self.get_response(request)
        wait = seconds_to_wait(request)
        if wait:
            return refusal(request, 429, wait, busy=False)
        with search_slot() as free:
            if not free:
                return refusal(request, 503, BUSY_RETRY_AFTER, busy=True)
            return self.get_response(request)
