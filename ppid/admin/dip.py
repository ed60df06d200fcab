"""The overdue periodic DIP items: the dashboard panel for the responsible unit and the PPID.

Superusers and members of the PPID group see every overdue item; a member of a group named as the
responsible unit of a periodic item sees that unit's items; nobody else sees the panel. Each item
links to its DIP page's edit screen when the reader may edit it (the change then goes through the SOP),
else to the public page.
"""

from __future__ import annotations

from typing import Any

from wagtail import hooks
from wagtail.admin.ui.components import Component

from ppid import dip


class OverdueDipPanel(Component):
    """ "Informasi berkala perlu diperbarui": the overdue items the reader is responsible for."""

    name = "ppid_dip_overdue"
    template_name = "ppid/dip/overdue_panel.html"
    order = 215

    def __init__(self, unit_ids: set[int] | None):
        #: None: every item (PPID, superusers); else only these units' items
        self.unit_ids = unit_ids

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        user = request.user
        items = dip.overdue_items(unit_ids=self.unit_ids)
        can_edit: dict[int, bool] = {}
        for item in items:
            if item.page.pk not in can_edit:
                can_edit[item.page.pk] = item.page.permissions_for_user(user).can_edit()
        context["rows"] = [
            {
                "item": item,
                "can_edit": can_edit[item.page.pk],
                "public_url": item.page.get_url(request=request),
            }
            for item in items
        ]
        context["for_every_unit"] = self.unit_ids is None
        return context


def panel_for(user) -> OverdueDipPanel | None:
    if dip.sees_every_item(user):
        return OverdueDipPanel(None)
    unit_ids = dip.responsible_unit_ids(user)
    return OverdueDipPanel(unit_ids) if unit_ids else None


@hooks.register("construct_homepage_panels")
def add_overdue_dip_panel(request: Any, panels: list) -> None:
    panel = panel_for(request.user)
    if panel is not None:
        panels.append(panel)
