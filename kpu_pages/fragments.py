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

Routes too: Wagtail finds the page for a URL by walking the tree from the site's root (a query per
level, then the page's own table) and then reads the view restrictions of the page and its
ancestors (two more), on every request. ``SiteMiddleware`` keeps, per worker and per generation, the
page each public path routed to, pickled as it came from the database (about 2 KB; unpickling takes
tens of microseconds where those six queries took milliseconds), and hands Wagtail's ``serve`` a
fresh copy of it as the request's route. Only pages without view restrictions are kept (a
restriction saved or deleted bumps the generation like any other change), only paths that routed
to a page (a made-up URL is never kept), and at most ``MAX_ROUTES`` of them, least recently used
first out.

Off (everything rebuilt each request) when ``FRAGMENT_CACHE_SECONDS`` is 0, which is the default
without ``REDIS_URL``: the generation must be shared by every process for this to be right.
Memory stays bounded: one generation at a time, a handful of keys per site, ``MAX_ROUTES`` routes.
"""

from __future__ import annotations

import contextlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest

#: attribute of the request holding the generation read for it (set by the page cache too)
REQUEST_ATTRIBUTE = "_kpu_generation"
_UNKNOWN = object()

#: attribute of the request holding the key its route is kept under, set when the route was not kept
ROUTE_ATTRIBUTE = "_kpu_route_key"
#: routes kept per worker (pages of about 2 KB each)
MAX_ROUTES = 2000


class WorkerLRU:
    """Values kept in this worker until they expire, least recently used out once their summed
    ``weight`` passes the ``capacity`` given with each ``put``. Reads take no lock and tolerate
    another thread (gthread workers) evicting meanwhile. Used for routes here and for the page
    cache's hits (``kpu_pages.page_cache.LocalPages``)."""

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
#: key -> (pickled page, path parts that led to it)
_routes = WorkerLRU()
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
    _routes.clear()
    _generation[0] = None


def _in_force(request: HttpRequest | None) -> bool:
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


def fragment(request: HttpRequest | None, key: Any, build: Callable[[], Any]) -> Any:
    """``build()``'s value, kept in this process until the generation changes or it expires."""
    if not _in_force(request):
        return build()
    seconds = fragment_seconds()
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = build()
    _entries[key] = (now + seconds, value)
    return value


# --- Routes ---------------------------------------------------------------------------------------
def _no_view_restrictions():
    from wagtail.models import PageViewRestriction

    return PageViewRestriction.objects.none()


def _kept_route(request: HttpRequest, key: Any):
    """Wagtail's route result for the request, from what this process keeps, or None."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.url_routing import RouteResult

    entry = _routes.get(key)
    if entry is None:
        return None
    pickled, consumed = entry
    page = pickle.loads(pickled)  # noqa: S301 - bytes this process pickled itself
    page.get_view_restrictions = _no_view_restrictions  # it had none; a new one bumps the generation
    page._wagtail_cached_site_root_paths = request._wagtail_cached_site_root_paths
    if not isinstance(page, RoutablePageMixin):
        return RouteResult(page)
    # Routable pages route the rest of the path themselves (a feed, a download): as Wagtail does.
    rest = [part for part in request.path_info.split("/") if part][consumed:]
    match = page.resolve_subpage("/" + "".join(part + "/" for part in rest))
    request.routable_resolver_match = match
    return RouteResult(page, args=(match.func, match.args, match.kwargs))


def keep_route(page, request: HttpRequest) -> None:
    """Keep the page a public path routed to (called by the ``before_serve_page`` hook)."""
    key = getattr(request, ROUTE_ATTRIBUTE, None)
    if key is None or not _in_force(request) or page.get_view_restrictions().exists():
        return
    site = request._wagtail_site
    consumed = page.depth - site.root_page.depth  # path parts that led to the page
    pickled = pickle.dumps(page, pickle.HIGHEST_PROTOCOL)
    _routes.put(key, (pickled, consumed), seconds=fragment_seconds(), capacity=MAX_ROUTES)


class SiteMiddleware:
    """Find the request's Wagtail ``Site``, the sites' root paths and the page's route once per generation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        from django.utils.translation import get_language

        from wagtail.models import Site

        if fragment_seconds() > 0 and not request.path.startswith("/admin/"):
            key = ("site", request.get_host())
            request._wagtail_site = fragment(request, key, lambda: Site.find_for_request(request))
            # what every page URL is built from (Wagtail reads it from Redis otherwise, twice a page)
            request._wagtail_cached_site_root_paths = fragment(
                request, "site-root-paths", Site.get_site_root_paths
            )
            site = request._wagtail_site
            if site is not None and request.method in ("GET", "HEAD") and _in_force(request):
                key = ("route", site.pk, get_language(), request.path_info)
                route = _kept_route(request, key)
                if route is None:
                    setattr(request, ROUTE_ATTRIBUTE, key)  # keep_route stores what Wagtail finds
                else:
                    request._wagtail_route_for_request = route
        return self.get_response(request)
