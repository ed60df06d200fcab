"""A worker that answers readers loads nothing of Wagtail's admin until an editor comes.

Readers are nearly every request, and the admin's URL conf is most of a worker's memory that readers
never use: Django REST framework, pydantic, requests and hundreds of admin view modules, 15-20 MB in
every gunicorn worker (docs/performance.md, "Memory, seventh measurement"). Two things keep them out:

- ``ReaderURLConfMiddleware`` gives a request outside ``/admin/`` (and Wagtail's front-end login,
  whose lockout page is the admin's) that carries no session cookie (an anonymous reader: a
  signed-in editor always has one) ``kpu_site.urls_readers``, the site's public URLs without the
  admin's. Django supports this per request (``request.urlconf``) and uses it for everything in that
  request: resolving, ``reverse()``, ``{% url %}``, APPEND_SLASH, error pages. An editor's request,
  and every ``/admin/`` request, uses ``kpu_site.urls`` (all of it).
- Wagtail serves a page only after importing every app's ``wagtail_hooks``; its images and documents
  hooks import their admin API view sets at module level, for one hook (``construct_admin_api``) that
  runs when the admin's URL conf is loaded. ``search_hooks_without_admin_api()`` imports the hooks with
  those two modules as stand-ins whose view set is a ``_LaterClass``: the real class, imported the first
  time anything touches it. ``kpu_site.urls`` puts the real classes in place before it loads the
  admin's URLs (``with_admin_api_views()``), so the admin API registers Wagtail's own view sets.

A worker that has served an editor holds the admin as before; docs/deployment.md shows how to send
``/admin/`` to workers of its own so that the readers' workers stay small.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module

from django.conf import settings
from django.urls import set_urlconf

from kpu_site.wagtail_apps import modules_standing_in

SITE_URLCONF = "kpu_site.urls"
READER_URLCONF = "kpu_site.urls_readers"
ADMIN_PREFIX = "/admin/"
#: paths whose pages are the admin's, or drawn with its templates: the admin itself, and Wagtail's
#: front-end login (private pages and documents send there; its lockout page is the admin's)
EDITOR_PATHS = (ADMIN_PREFIX, "/_util/login/")

#: the admin API view modules Wagtail's hooks import: module -> (the hooks module, the class it imports)
ADMIN_API_VIEWS = {
    "wagtail.images.api.admin.views": ("wagtail.images.wagtail_hooks", "ImagesAdminAPIViewSet"),
    "wagtail.documents.api.admin.views": ("wagtail.documents.wagtail_hooks", "DocumentsAdminAPIViewSet"),
}


class _LaterClass:
    """Stands for a class not imported yet; any use imports it and is passed on to it."""

    def __init__(self, module: str, name: str) -> None:
        self._module = module
        self._name = name

    def real(self) -> type:
        return getattr(import_module(self._module), self._name)

    def __getattr__(self, attribute: str):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(self.real(), attribute)

    def __call__(self, *args, **kwargs):
        return self.real()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<{self._module}.{self._name}, imported when first used>"


def search_hooks_without_admin_api() -> bool:
    """Import every app's ``wagtail_hooks`` with the admin API view sets left for later (see above).

    Does nothing (returns False) if the hooks or the view sets are already imported: then the admin
    is loaded in this process anyway.
    """
    from wagtail import hooks

    hook_modules = [hooks_module for hooks_module, _ in ADMIN_API_VIEWS.values()]
    if any(name in sys.modules for name in [*ADMIN_API_VIEWS, *hook_modules]):
        return False
    stand_ins = {}
    for module_name, (_, class_name) in ADMIN_API_VIEWS.items():
        stand_ins[module_name] = types.ModuleType(module_name)
        setattr(stand_ins[module_name], class_name, _LaterClass(module_name, class_name))
    with modules_standing_in(stand_ins):
        hooks.search_for_hooks()
    return True


def with_admin_api_views() -> None:
    """Give the hooks the real admin API view sets (before the admin's URL conf is imported)."""
    for module_name, (hooks_module, class_name) in ADMIN_API_VIEWS.items():
        module = sys.modules.get(hooks_module)
        if module is not None and isinstance(getattr(module, class_name, None), _LaterClass):
            setattr(module, class_name, getattr(import_module(module_name), class_name))


def is_reader_request(request) -> bool:
    """Outside the admin and its login, without a session: nobody signed in, nothing of the admin."""
    if request.path_info.startswith(EDITOR_PATHS):
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


class ReaderURLConfMiddleware:
    """Readers' requests use the public URLs only. First in ``MIDDLEWARE``: an error raised by a later
    middleware (a forged Host header, answered 400) is drawn with the readers' URL conf too, and
    LocaleMiddleware and CommonMiddleware (APPEND_SLASH) read ``request.urlconf``."""

    def __init__(self, get_response):
        self.get_response = get_response
        search_hooks_without_admin_api()

    def __call__(self, request):
        # (only in place of the site's own URL conf: a test that sets another one gets it)
        if settings.ROOT_URLCONF == SITE_URLCONF and is_reader_request(request):
            request.urlconf = READER_URLCONF
            # Django resolves with request.urlconf, but an error page drawn before that uses the
            # thread's URL conf; Django sets it back at the start and end of every request.
            set_urlconf(READER_URLCONF)
        return self.get_response(request)
