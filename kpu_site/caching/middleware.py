"""Whole-page cache for anonymous readers, in Django's cache (Redis in production).

Stores the finished answer to an anonymous ``GET`` of a public URL (search results included: on
election night many readers type the same words), keyed to the site-wide ``generation`` so that a
publication reaches every reader at once; hits are also kept in each worker. Off unless ``REDIS_URL``
is set: a per-process cache would not see another process's publication. See docs/caching.md.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re, patch_cache_control
from django.utils.translation import get_language_from_request

from kpu_site.caching.fragments import REQUEST_ATTRIBUTE, WorkerLRU
from kpu_site.caching.generation import GENERATION_KEY, current_generation

HEADER = "X-Cache"
#: path prefixes never served from or stored in the cache
EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/media/", "/static/")
CACHEABLE_STATUSES = {200, 301, 404}
#: ``Vary`` values the key already covers (no cookie at all; the request's language)
ALLOWED_VARY = {"cookie", "accept-language"}
#: longer URLs are answered but not stored, so made-up URLs cannot fill the cache
MAX_URL_LENGTH = 512


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


# --- Request and response rules -----------------------------------------------------------------
def request_is_eligible(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(EXCLUDED_PREFIXES):
        return False
    return not any(name != settings.CSRF_COOKIE_NAME for name in request.COOKIES)


def response_is_storable(response: HttpResponse) -> bool:
    if response.status_code not in CACHEABLE_STATUSES or response.streaming or response.cookies:
        return False
    directives = response.get("Cache-Control", "").split(",")
    cache_control = {part.split("=")[0].strip().lower() for part in directives}
    if cache_control & {"private", "no-cache", "no-store"}:
        return False
    vary = {value.strip().lower() for value in cc_delim_re.split(response.get("Vary", "")) if value.strip()}
    return vary <= ALLOWED_VARY


def cache_key(request: HttpRequest) -> str:
    """The URL's key; the entry stored under it says which generation it belongs to."""
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    language = get_language_from_request(request)
    digest = hashlib.sha256(f"{language} {url}".encode()).hexdigest()
    return f"page-cache:{digest}"


def read(key: str) -> tuple[int | None, tuple | None]:
    """The generation in force and the entry stored for ``key``, in one Redis round trip (MGET).

    The entry is returned only if it belongs to the generation in force. Generation None means the
    cache cannot tell (Redis down): then nothing is served from it nor stored.
    """
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        return current_generation(), None
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return int(generation), entry
    return int(generation), None


# --- Hits kept in the worker ---------------------------------------------------------------------
#: how long a worker serves a hit from its own memory before asking the shared cache again; what
#: changes with the clock alone (an announcement past its end date) is late by at most this more
LOCAL_SECONDS = 60


class LocalPages:
    """Entries of the generation in force, kept in this process for ``LOCAL_SECONDS`` at most: least
    recently used out beyond ``max_bytes`` of content; an entry over an eighth of that is not kept
    (the whole JDIHN list)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._kept = WorkerLRU()
        self._generation: int | None = None
        self._lock = threading.Lock()

    def get(self, key: str, generation: int | None) -> tuple | None:
        entry = self._kept.get(key)
        return entry if entry is not None and entry[0] == generation else None

    def put(self, key: str, entry: tuple, seconds: int) -> None:
        size = len(entry[3])
        if size > self.max_bytes // 8:
            return
        with self._lock:
            if self._generation is not None and entry[0] < self._generation:
                return  # rendered before the latest bump this worker has seen
            if entry[0] != self._generation:  # a new generation: every kept entry is an orphan
                self._kept.clear()
                self._generation = entry[0]
        self._kept.put(key, entry, seconds=min(seconds, LOCAL_SECONDS), capacity=self.max_bytes, weight=size)

    def __contains__(self, key: str) -> bool:
        return key in self._kept


_local_pages: list[LocalPages] = []


def local_pages() -> LocalPages | None:
    """This worker's copy of hits, or None when ``PAGE_CACHE_LOCAL_BYTES`` is 0."""
    max_bytes = int(getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 8 * 1024 * 1024) or 0)
    if max_bytes <= 0:
        return None
    if not _local_pages or _local_pages[0].max_bytes != max_bytes:
        _local_pages[:] = [LocalPages(max_bytes)]
    return _local_pages[0]


def respond(entry: tuple) -> HttpResponse:
    _, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[HEADER] = "HIT"
    return response


class PageCacheMiddleware:
    """Serve and store anonymous public pages (placed after whitenoise, before sessions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = cache_seconds()
        if seconds <= 0:
            return self.get_response(request)
        if not request_is_eligible(request):
            response = self.get_response(request)
            response[HEADER] = "BYPASS"
            return response
        key = cache_key(request)
        local = local_pages()
        if local is not None and key in local:
            # the generation in force is in the worker's memory with Redis (a watched key)
            kept = local.get(key, current_generation())
            if kept is not None:
                return respond(kept)
        generation, entry = read(key)
        setattr(request, REQUEST_ATTRIBUTE, generation)  # for the fragments: no second read
        if entry is not None:
            if local is not None:
                local.put(key, entry, seconds)
            return respond(entry)
        response = self.get_response(request)
        if (
            generation is not None
            and request.method == "GET"
            and len(request.get_full_path()) <= MAX_URL_LENGTH
            and response_is_storable(response)
        ):
            # browsers revalidate every time; a purged reverse proxy may keep it as long as we do
            patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
            headers = [(name, value) for name, value in response.items() if name != HEADER]
            entry = (generation, response.status_code, headers, response.content)
            cache.set(key, entry, seconds)
            if local is not None:
                local.put(key, entry, seconds)
        response[HEADER] = "MISS"
        return response
