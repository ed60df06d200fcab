"""The SOP clock on the dashboard: "Menunggu tinjauan Anda" and "Terlambat di seluruh SOP".

"Menunggu tinjauan Anda" replaces Wagtail's own "awaiting your review" panel: the same rows and action
dropdown (approve / request changes, through Wagtail's workflow-action views and script), plus each
item's kind, step and time left or how late, most urgent first, in a fixed number of queries. The
author's "your pages in a workflow" panel gains the same clock. The edit
screen shows the same clock through templates/wagtailadmin/.../page_edit_header.html and the status side
panel (``{% sop_step_clock %}``).
"""

from __future__ import annotations

from typing import Any

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import UserObjectsInWorkflowModerationPanel, WorkflowObjectsToModeratePanel

from sop_workflow import progress

#: rows a dashboard panel shows before its "Lihat semua" link (the most urgent first)
DASHBOARD_ROWS = 20


def shown_rows(request: Any, rows: list, panel: str) -> tuple[list, dict[str, Any]]:
    """The first ``DASHBOARD_ROWS`` rows, or all when the reader asked for them (``?semua=<panel>``)."""
    show_all = request.GET.get("semua") == panel
    shown = rows if show_all else rows[:DASHBOARD_ROWS]
    return shown, {
        "total": len(rows),
        "hidden": len(rows) - len(shown),
        "show_all_url": f"?semua={panel}",
    }


class AwaitingReviewPanel(Component):
    """The steps the user can act on (member of the step's role, never the author), most urgent first."""

    name = "workflow_objects_to_moderate"
    template_name = "sop_workflow/panels/awaiting_review.html"
    order = 220

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        context["request"] = request
        context["csrf_token"] = parent_context.get("csrf_token")
        steps, more = shown_rows(request, progress.awaiting_review(request.user), "tinjauan")
        context["steps"] = [{"step": step, "actions": step.task.reviewer_actions()} for step in steps]
        context.update(more)
        return context


class MyPagesInModerationPanel(UserObjectsInWorkflowModerationPanel):
    """Wagtail's "your pages in a workflow" panel, with each item's time left or how late it is."""

    template_name = "sop_workflow/panels/my_pages_in_moderation.html"

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        workflow_states = list(context["workflow_states"])
        running = [state.current_task_state_id for state in workflow_states if state.current_task_state_id]
        steps = {
            step.task_state.pk: step
            for step in progress.load(progress.in_progress_states().filter(pk__in=running))
        }
        for state in workflow_states:
            state.sop_step = steps.get(state.current_task_state_id)
        context["workflow_states"] = workflow_states
        return context


class OverduePanel(Component):
    """Every step across the SOP past its standard: for Web Admin, Kabag HTH, Sekretaris, superusers."""

    name = "sop_overdue"
    template_name = "sop_workflow/panels/overdue.html"
    order = 210

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        user = request.user
        group_ids = set(user.groups.values_list("id", flat=True))
        steps, more = shown_rows(request, progress.overdue(), "terlambat")
        context["steps"] = [
            {"step": step, "can_open": user.is_superuser or step.is_reviewer(user, group_ids)}
            for step in steps
        ]
        context.update(more)
        return context


@hooks.register("construct_homepage_panels")
def add_sop_clock_panels(request: Any, panels: list) -> None:
    replaced = (WorkflowObjectsToModeratePanel, UserObjectsInWorkflowModerationPanel)
    panels[:] = [panel for panel in panels if not isinstance(panel, replaced)]
    panels.append(AwaitingReviewPanel())
    panels.append(MyPagesInModerationPanel())
    if progress.oversees_sop(request.user):
        panels.append(OverduePanel())
