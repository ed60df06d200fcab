"""Wagtail's own app configs, without registering routers on an API this site never mounts.

Wagtail 8's images, documents, snippets and redirects apps end their ``ready()`` by adding their
routers to ``wagtail.api.v3.api.api``, whether or not the ``wagtail.api.v3`` app is installed and its
URLs mounted (Wagtail's users app already asks ``apps.is_installed("wagtail.api.v3")`` first). The
routers import django-ninja and pydantic and build a schema for every page, image, document and
snippet model: 20-25 MB in every process, for URLs that do not exist here (docs/performance.md,
"Memory, sixth measurement").

Each config below runs Wagtail's ``ready()`` unchanged, with one difference: while it runs, the
modules that only serve the API (listed in ``API_MODULES``) are stand-ins whose functions do nothing.
Everything else ``ready()`` registers (permission policies, signal handlers, choosers, the reference
index, snippets) is Wagtail's own code, so an upgrade that adds a registration keeps it. The stand-ins
are removed afterwards; if ``wagtail.api.v3`` is ever installed, the real API is registered as usual.
"""

import sys
import types
from contextlib import contextmanager

from django.apps import apps

from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig
from wagtail.documents.apps import WagtailDocsAppConfig
from wagtail.images.apps import WagtailImagesAppConfig
from wagtail.snippets.apps import WagtailSnippetsAppConfig

API_APP = "wagtail.api.v3"
# What each app's ready() imports for the API: Wagtail's API object and the app's own API modules.
API_MODULES = ("wagtail.api.v3.api", "{app}.api.v3", "{app}.api.v3.registry", "{app}.api.v3.router")


class _Nothing:
    """Any attribute of it is itself, and calling it does nothing: ``api.add_router(...)``, ``router``."""

    def __getattr__(self, name):
        return self

    def __call__(self, *args, **kwargs):
        return None


class _StandIn(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Nothing()


@contextmanager
def modules_standing_in(stand_ins: dict[str, types.ModuleType]):
    """While inside, each module not imported yet is ``stand_ins[name]``; afterwards it is not imported
    (a later import gets the real one). Also used by ``kpu_site.readers``."""
    added = {name: module for name, module in stand_ins.items() if name not in sys.modules}
    sys.modules.update(added)
    try:
        yield
    finally:
        for name, module in added.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


@contextmanager
def without_unmounted_api(app_name: str):
    """While inside, ``app_name``'s API modules and Wagtail's API object are stand-ins (see above)."""
    if apps.is_installed(API_APP) or API_MODULES[0] in sys.modules:
        # the real API is in use (or already imported by another app): register with it as usual
        yield
        return
    names = [pattern.format(app=app_name) for pattern in API_MODULES]
    with modules_standing_in({name: _StandIn(name) for name in names}):
        yield


class WithoutUnmountedAPI:
    """Runs the app config's own ``ready()`` inside ``without_unmounted_api``."""

    def ready(self):
        with without_unmounted_api(self.name):
            super().ready()


class ImagesConfig(WithoutUnmountedAPI, WagtailImagesAppConfig):
    pass


class DocumentsConfig(WithoutUnmountedAPI, WagtailDocsAppConfig):
    pass


class SnippetsConfig(WithoutUnmountedAPI, WagtailSnippetsAppConfig):
    pass


class RedirectsConfig(WithoutUnmountedAPI, WagtailRedirectsAppConfig):
    pass
