from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.staticfiles import versioned_static
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kpu_pages import fragments
from kpu_pages.models import Pemilu, Wilayah


class WilayahViewSet(SnippetViewSet):
    model = Wilayah
    icon = "site"
    menu_label = _("Wilayah")
    list_display = ["kode", "nama", "jenis"]
    list_filter = ["jenis"]
    search_fields = ["nama", "kode"]


class PemiluViewSet(SnippetViewSet):
    model = Pemilu
    icon = "date"
    menu_label = _("Pemilu")
    list_display = ["nama", "jenis", "tahun", "tanggal_pemungutan"]
    list_filter = ["jenis", "tahun"]


class ReferensiGroup(SnippetViewSetGroup):
    items = (WilayahViewSet, PemiluViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Referensi")
    menu_name = "referensi"


register_snippet(ReferensiGroup)


@hooks.register("insert_editor_js")
def name_rich_text_editors():
    """Draftail's editable areas get an accessible name (static/js/admin-a11y.js)."""
    return format_html('<script src="{}" defer></script>', versioned_static("js/admin-a11y.js"))


@hooks.register("before_serve_page", order=-1)
def keep_route(page, request, serve_args, serve_kwargs):
    """The page a public path routed to, kept per worker until the next public change
    (kpu_pages.fragments): pickled here, before anything is added to it while serving."""
    fragments.keep_route(page, request)


@hooks.register("before_serve_page")
def share_site_root_paths(page, request, serve_args, serve_kwargs):
    """Let ``page.full_url`` (canonical link, share tags) use the root paths the request already has
    (kpu_pages.fragments.SiteMiddleware) instead of reading them from Redis once more."""
    root_paths = getattr(request, "_wagtail_cached_site_root_paths", None)
    if root_paths is not None:
        page._wagtail_cached_site_root_paths = root_paths
