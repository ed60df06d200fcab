"""The request's Wagtail ``Site`` and its root page, kept per worker until the next public change.

PRIVATE API, the only one of this package: Wagtail caches the request's site as
``request._wagtail_site`` and ``Site.find_for_request`` reads it first; nothing public lets a project
hand it over (Wagtail's own site cache, wagtail/wagtail#4142, was never merged), and the lookup is the
costliest query of a page render. Only plain values are kept;
each request gets fresh instances (the root page in full for the home page, else its tree fields
only). ``tests/kpu_pages/test_fragments.py`` fails if Wagtail stops reading the attribute.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import router
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from wagtail.models import Site

from kpu_site.caching import fragments

#: Wagtail's own cache of the request's site (``Site.find_for_request``): private, see above
SITE_ATTRIBUTE = "_wagtail_site"
#: the root page's fields kept: its place in the tree and what routing reads; only publishing,
#: moving or deleting changes them, which bumps the generation
ROOT_FIELDS = (
    "id",
    "path",
    "depth",
    "url_path",
    "slug",
    "live",
    "content_type_id",
    "locale_id",
    "translation_key",
    "alias_of_id",
)
EXCLUDED_PREFIXES = ("/admin/",)


def _values(site: Site) -> tuple:
    """The plain values kept for a site found by Wagtail: ``()`` when none (Wagtail's lookup then)."""
    root = site.root_page
    model = root.specific_class
    if model is None:
        return ()
    site_row = tuple((field.attname, getattr(site, field.attname)) for field in Site._meta.concrete_fields)
    root_row = tuple((name, getattr(root, name)) for name in ROOT_FIELDS)
    return (site_row, model._meta.label, root_row)


def _from_values(model, values: dict):
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(router.db_for_read(model), names, [values[name] for name in names])


def build(request: HttpRequest, kept: tuple) -> Site | None:
    """Fresh instances of the site and its root page from the kept values."""
    site_row, label, root_row = kept
    site = _from_values(Site, dict(site_row))
    model = apps.get_model(label)
    if request.path_info.strip("/"):
        values = dict(root_row)
        values[model._meta.pk.attname] = values["id"]  # the specific table's link to the page row
        site.root_page = _from_values(model, values)
    else:  # the home page itself is served: all of it
        root = model._default_manager.filter(pk=site.root_page_id).first()
        if root is None:
            return None
        site.root_page = root
    return site


class SiteMiddleware:
    """Hand Wagtail the request's site from what this worker keeps (after ``CommonMiddleware``,
    which has checked the host against ``ALLOWED_HOSTS``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(EXCLUDED_PREFIXES) and fragments.in_force(request):
            key = ("site", split_domain_port(request.get_host())[0], request.get_port())
            kept = fragments.kept(request, key)
            if kept is None:
                site = Site.find_for_request(request)  # Wagtail's lookup; it keeps the site itself
                fragments.keep(request, key, _values(site) if site is not None else ())
            elif kept:
                site = build(request, kept)
                if site is not None:
                    setattr(request, SITE_ATTRIBUTE, site)
        return self.get_response(request)
