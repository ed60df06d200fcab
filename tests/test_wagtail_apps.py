"""Wagtail's images, documents, snippets and redirects apps, without the unmounted v3 API's routers."""

import json
import sys
import types

import pytest

from django.apps import apps

from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.redirects.signal_handlers import autocreate_redirects_on_page_move
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.widgets import AdminImageChooser
from wagtail.models.reference_index import ReferenceIndex
from wagtail.permissions import policy_registry
from wagtail.signals import post_page_move
from wagtail.snippets.models import get_snippet_models

from kpu_pages.models.news import BeritaPage
from kpu_site import wagtail_apps
from tests.test_settings import REALISTIC_PRODUCTION_ENV, manage

# What a gunicorn worker has loaded once it has served a page: the apps, the URL conf, every hook.
WORKER_IMPORTS = """
import json, sys
from django.urls import get_resolver
from wagtail import hooks
get_resolver().url_patterns
hooks.get_hooks("before_serve_page")
API = ("ninja", "wagtail.api.v3.api", "wagtail.images.api.v3.router")
loaded = {name: name in sys.modules for name in API}
from wagtail.api.v3.api import api
print(json.dumps({"loaded": loaded, "api": type(api).__name__}))
"""


def test_a_worker_never_imports_the_unmounted_v3_api_and_the_real_one_is_still_importable():
    result = manage("shell", "--no-imports", "-c", WORKER_IMPORTS, env=REALISTIC_PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["loaded"] == dict.fromkeys(
        ("ninja", "wagtail.api.v3.api", "wagtail.images.api.v3.router"), False
    )
    # No stand-in was left behind: importing the API afterwards gives Wagtail's own object.
    assert report["api"] == "NinjaAPI"


@pytest.mark.django_db
def test_everything_else_the_apps_register_is_still_registered():
    image_model, document_model = get_image_model(), get_document_model()
    # images and documents: their own permission policies (by collection), not the plain fallback
    for model in (image_model, document_model):
        policy = policy_registry.get_by_type(model, fallback=False)
        assert type(policy).__name__ == "CollectionOwnershipPermissionPolicy"
    assert policy_registry.get_by_type(Redirect, fallback=False) is not None
    assert ReferenceIndex.is_indexed(image_model)
    assert ReferenceIndex.is_indexed(document_model)
    # an image field in a page's edit form is Wagtail's image chooser
    form = BeritaPage.get_edit_handler().get_form_class()()
    assert isinstance(form.fields["feature_image"].widget, AdminImageChooser)
    # redirects: a moved page leaves a redirect behind
    assert autocreate_redirects_on_page_move in [receiver[1]() for receiver in post_page_move.receivers]
    # snippets: the site's snippets are registered with the admin
    assert any(model._meta.app_label == "kpu_pages" for model in get_snippet_models())
    # the apps keep Wagtail's labels (migrations, permissions and content types depend on them)
    labels = {type(config): config.label for config in apps.get_app_configs()}
    assert labels[wagtail_apps.ImagesConfig] == "wagtailimages"
    assert labels[wagtail_apps.DocumentsConfig] == "wagtaildocs"
    assert labels[wagtail_apps.SnippetsConfig] == "wagtailsnippets"
    assert labels[wagtail_apps.RedirectsConfig] == "wagtailredirects"


def test_with_the_v3_api_installed_the_real_modules_are_used(monkeypatch):
    monkeypatch.setattr(wagtail_apps, "API_APP", "kpu_pages")  # an installed app stands for wagtail.api.v3
    with wagtail_apps.without_unmounted_api("wagtail.images"):
        assert not isinstance(sys.modules.get("wagtail.api.v3.api"), wagtail_apps._StandIn)
    monkeypatch.setattr(wagtail_apps, "API_APP", "wagtail.api.v3")
    with wagtail_apps.without_unmounted_api("wagtail.images"):
        stand_in = sys.modules["wagtail.images.api.v3.router"]
        assert isinstance(stand_in, wagtail_apps._StandIn)
        assert stand_in.router.anything("/x/") is None
    assert not isinstance(sys.modules.get("wagtail.images.api.v3.router"), wagtail_apps._StandIn)
    # another app already imported the real API object (wagtail.locales does): it gets the real routers
    monkeypatch.setitem(sys.modules, "wagtail.api.v3.api", types.ModuleType("wagtail.api.v3.api"))
    with wagtail_apps.without_unmounted_api("wagtail.images"):
        assert not isinstance(sys.modules.get("wagtail.images.api.v3.router"), wagtail_apps._StandIn)
