"""Admin hooks of the SOP compliance report ("Kepatuhan SOP"), under Wagtail's Reports menu."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sop_workflow.reports import KepatuhanSOPView, may_view_report


class KepatuhanSOPMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_view_report(request.user)


@hooks.register("register_admin_urls")
def register_compliance_report_urls():
    return [
        path("reports/kepatuhan-sop/", KepatuhanSOPView.as_view(), name="sop_kepatuhan"),
        path(
            "reports/kepatuhan-sop/results/",
            KepatuhanSOPView.as_view(results_only=True),
            name="sop_kepatuhan_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_compliance_report_menu_item():
    return KepatuhanSOPMenuItem(
        _("Kepatuhan SOP"), reverse("sop_kepatuhan"), name="kepatuhan-sop", icon_name="time", order=1100
    )
