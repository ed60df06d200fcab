"""Panduan SOP: the admin's help menu opens this Indonesian guide instead of Wagtail's English one.

It is drawn from the SOP's declaration (sop.py), so its steps, roles and time standards are the ones
the workflow runs.
"""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sop_workflow.sop import AUTHORING_STANDARD_MINUTES, CHAINS, ROLES, SOP_IDENTITY, STEPS, Chain


def guide_view(request):
    chains = [
        {"name": CHAINS[chain].workflow_name, "steps": [STEPS[key] for key in CHAINS[chain].steps]}
        for chain in (Chain.LONG, Chain.SHORT)
    ]
    steps = [
        {"step": step, "role": ROLES[step.role].group_name, "username": ROLES[step.role].demo_username}
        for step in STEPS.values()
    ]
    return TemplateResponse(
        request,
        "sop_workflow/guide.html",
        {
            "identity": SOP_IDENTITY,
            "chains": chains,
            "steps": steps,
            "authoring_minutes": AUTHORING_STANDARD_MINUTES,
        },
    )


@hooks.register("construct_help_menu")
def guide_in_indonesian(request, menu_items):
    """The help menu's editor guide is Wagtail's, in English: ours explains the SOP in Indonesian."""
    english = ("editor-guide", "whats-new-in-wagtail-")
    menu_items[:] = [item for item in menu_items if not item.name.startswith(english)]
    menu_items.append(
        MenuItem(_("Panduan SOP"), reverse("sop_run:guide"), name="panduan-sop", icon_name="help")
    )
