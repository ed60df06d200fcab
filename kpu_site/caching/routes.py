"""Where each public path led, kept per worker as plain values until the next public change.

Wagtail routes a URL by walking the tree from the site's root page, two queries per level
(``Page.route``). The root page's ``route`` (Wagtail's documented override point) asks this module
first: for a path already routed under the generation in force it loads the page it led to by id
with one query and lets that page route the rest of the path itself (routable pages: feeds,
downloads; a page no longer live answers 404 as Wagtail's own). Only the page's id, its model and
how many path parts led to it are kept (never a model instance), in the fragments' per-worker
dictionary (``fragments.keep``): dropped at the next public change (a move, unpublication or delete
bumps the generation), expired after ``FRAGMENT_CACHE_SECONDS``. Only paths that reached a page
are kept (a made-up URL raises 404 before). View restrictions stay Wagtail's, checked on every
request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.http import HttpRequest

from kpu_site.caching import fragments


def route(root, request: HttpRequest, components: list[str], default: Callable):
    """What ``default(request, components)`` (Wagtail's ``Page.route`` of ``root``) answers."""
    if not components or request.method not in ("GET", "HEAD"):
        return default(request, components)
    key = ("route", root.pk, tuple(components))
    found = fragments.kept(request, key)
    if found is not None:
        page_id, label, consumed = found
        page = apps.get_model(label).objects.get(pk=page_id)
        return page.route(request, components[consumed:])
    result = default(request, components)
    page = result[0]  # a RouteResult (page, args, kwargs)
    fragments.keep(request, key, (page.pk, page._meta.label, page.depth - root.depth))
    return result
