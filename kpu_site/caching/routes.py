"""Where each public path led, kept per worker as plain values until the next public change.

Wagtail routes a URL by walking the tree from the site's root, a few queries per level. The root
page's ``route`` (Wagtail's documented override point) asks this module first: a path already routed
under the generation in force loads its page by id and lets it route the rest. Only ids, the model
and a depth are kept, never a model instance; view restrictions stay Wagtail's, checked every request
(without a query where nothing restricts: ``restrictions``).
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
        # the page routes the rest itself (routable pages: feeds, downloads); one no longer live
        # answers 404 as in Wagtail's own routing
        page = apps.get_model(label).objects.get(pk=page_id)
        return page.route(request, components[consumed:])
    result = default(request, components)
    page = result[0]  # a RouteResult (page, args, kwargs); a made-up URL raised 404 before this
    fragments.keep(request, key, (page.pk, page._meta.label, page.depth - root.depth))
    return result
