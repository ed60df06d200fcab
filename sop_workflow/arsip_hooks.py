"""Admin hooks of the approval archive (Arsip Persetujuan): its menu item and URLs."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sop_workflow import arsip_views

app_name = "sop_arsip"
urlpatterns = [
    path("", arsip_views.ArsipListView.as_view(), name="index"),
    path("results/", arsip_views.ArsipListView.as_view(results_only=True), name="index_results"),
    path("zip/", arsip_views.records_zip, name="zip"),
    path("<int:pk>/", arsip_views.ArsipDetailView.as_view(), name="detail"),
    path("<int:pk>/pdf/", arsip_views.record_pdf, name="pdf"),
    path("<int:pk>/csv/", arsip_views.record_csv, name="csv"),
]


@hooks.register("register_admin_urls")
def register_archive_urls():
    return [path("sop/arsip/", include((urlpatterns, "sop_arsip"), namespace="sop_arsip"))]


class ArchiveMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return arsip_views.can_read_archive(request.user)


@hooks.register("register_admin_menu_item")
def register_archive_menu_item():
    return ArchiveMenuItem(
        _("Arsip Persetujuan"),
        reverse("sop_arsip:index"),
        name="arsip-persetujuan",
        icon_name="clipboard-list",
        order=900,
    )
