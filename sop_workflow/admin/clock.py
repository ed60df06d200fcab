"""The SOP clock's office calendar in the admin: holidays ("Hari libur") as a snippet.

The working week (``JamKerja``) is a Wagtail setting, registered with its model.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from sop_workflow.models import HariLibur


class HolidayViewSet(SnippetViewSet):
    model = HariLibur
    icon = "date"
    menu_label = gettext_lazy("Hari libur")
    menu_name = "hari-libur"
    add_to_admin_menu = False
    list_display = ["tanggal", "nama", "jenis"]
    list_filter = ["jenis"]
    ordering = ["tanggal"]


register_snippet(HolidayViewSet)
