"""Parts of pages that every request would otherwise rebuild, kept per worker process.

The site (Wagtail's ``Site`` for the request's host), the header menu and the home page's sections
cost a dozen database queries and a template render on every request, yet change only when the
public content changes. They are kept in a small dictionary in each worker, tagged with the page
cache's site-wide generation number (``kpu_pages.page_cache``): every request reads the generation
(one Redis ``GET``, shared with the page cache when it is on) and a worker whose entries belong to
an older generation drops them all. So a publish, unpublish, move or delete (or a snippet, image,
document, redirect or site change) shows on the very next request, in every worker.

Entries also expire after ``FRAGMENT_CACHE_SECONDS``, for what changes with the clock alone (an
announcement past its end date leaves the home page at most that late, as with the page cache).

Off (everything rebuilt each request) when ``FRAGMENT_CACHE_SECONDS`` is 0, which is the default
without ``REDIS_URL``: the generation must be shared by every process for this to be right.
Memory stays bounded: one generation at a time, a handful of keys per site.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest

#: attribute of the request holding the generation read for it (set by the page cache too)
REQUEST_ATTRIBUTE = "_kpu_generation"
_UNKNOWN = object()

_entries: dict[Any, tuple[float, Any]] = {}
_generation: list[int | None] = [None]


def fragment_seconds() -> int:
    return int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0) or 0)


def request_generation(request: HttpRequest | None) -> int | None:
    """The generation in force for this request, read once per request."""
    from kpu_pages.page_cache import current_generation

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


def fragment(request: HttpRequest | None, key: Any, build: Callable[[], Any]) -> Any:
    """``build()``'s value, kept in this process until the generation changes or it expires."""
    seconds = fragment_seconds()
    if seconds <= 0:
        return build()
    generation = request_generation(request)
    if generation is None:  # the cache cannot tell (Redis down): keep nothing
        return build()
    if generation != _generation[0]:
        _entries.clear()
        _generation[0] = generation
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = build()
    _entries[key] = (now + seconds, value)
    return value


class SiteMiddleware:
    """Find the request's Wagtail ``Site`` and the sites' root paths once per generation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        from wagtail.models import Site

        if fragment_seconds() > 0 and not request.path.startswith("/admin/"):
            key = ("site", request.get_host())
            request._wagtail_site = fragment(request, key, lambda: Site.find_for_request(request))
            # what every page URL is built from (Wagtail reads it from Redis otherwise, twice a page)
            request._wagtail_cached_site_root_paths = fragment(
                request, "site-root-paths", Site.get_site_root_paths
            )
        return self.get_response(request)
