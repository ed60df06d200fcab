"""The SOP's one entry point into Wagtail's admin: it imports each area, whose hooks live with it.

Registered here: the routing hooks kpu_pages declares, the SOP's admin CSS, and the ``sop_run`` URLs
(guide, history, ending a run) that emails link to, kept in one namespace.
"""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html

from wagtail import hooks

# Each area registers its own hooks when imported (their order does not matter: no two act on the same
# request in ways that depend on each other).
from sop_workflow import media  # noqa: F401 - documents of unpublished pages are not served
from sop_workflow.admin import (  # noqa: F401
    archive,  # "Arsip Persetujuan"
    clock,  # holidays
    compliance,  # "Kepatuhan SOP"
    dashboard,  # the clock panels and what a decision led to
    editor,  # the editor's menus, checks and the author's request-for-changes note; the chooser
    guide,  # "Panduan SOP"
    history,  # "Riwayat SOP"
    publish,  # only the chain publishes; "Terbitkan di luar SOP…" with a reason; refusals
    run_end,  # withdraw / cancel / restart with a reason, instead of Wagtail's one-tap buttons
)
from sop_workflow.permissions import SOPPagePermissionTester
from sop_workflow.routing import workflow_for_page


# The routing hook kpu_pages declares (``kpu_pages.models.base.SitePage``).
@hooks.register("kpu_page_workflow")
def chain_of_kind(page):
    """A page takes its content kind's chain, wherever it sits in the tree."""
    return workflow_for_page(page)


@hooks.register("kpu_page_permission_tester")
def sop_permission_tester(page, user):
    """What a user may publish is the SOP's rule."""
    return SOPPagePermissionTester(user, page)


@hooks.register("insert_global_admin_css")
def sop_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/sop_admin.css"))


@hooks.register("register_admin_urls")
def register_run_urls():
    urls = [
        path("panduan/", guide.guide_view, name="guide"),
        path("<int:page_id>/riwayat/", history.history_view, name="history"),
        path("<int:page_id>/<slug:ending>/", run_end.end_run_view, name="end"),
    ]
    return [path("sop/alur/", include((urls, "sop_run"), namespace="sop_run"))]
