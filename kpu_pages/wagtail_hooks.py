from django.contrib import messages
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.staticfiles import versioned_static
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kpu_pages.admin_forms import UNREADABLE_MESSAGE, UNUSABLE_NEXT_MESSAGE, unreadable_field, unusable_next
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


def _refuse_unreadable(request, model, back_to: str, *args):
    """Data the editor's script never sends is refused before Wagtail reads it (admin_forms.py)."""
    if request.method != "POST":
        return None
    if unusable_next(request):
        messages.error(request, gettext(UNUSABLE_NEXT_MESSAGE))
        return redirect(back_to, *args)
    field = unreadable_field(model, request.POST, request.FILES, request.user)
    if field is None:
        return None
    messages.error(request, gettext(UNREADABLE_MESSAGE) % {"field": field})
    return redirect(back_to, *args)


@hooks.register("before_create_page")
def refuse_unreadable_new_page(request, parent_page, page_class):
    meta = page_class._meta
    return _refuse_unreadable(
        request, page_class, "wagtailadmin_pages:add", meta.app_label, meta.model_name, parent_page.pk
    )


@hooks.register("before_edit_page")
def refuse_unreadable_page_edit(request, page):
    return _refuse_unreadable(request, page.specific_class, "wagtailadmin_pages:edit", page.pk)
