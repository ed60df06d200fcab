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

from django.db.models import Exists, IntegerField, OuterRef, Q
from django.db.models.functions import Cast

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import UserObjectsInWorkflowModerationPanel, WorkflowObjectsToModeratePanel
from wagtail.models import Page, WorkflowState, get_default_page_content_type

from sop_workflow import dashboard, progress

#: rows a dashboard panel shows before its "Lihat semua" link (the most urgent first)
DASHBOARD_ROWS = 20


def row_limit(request: Any, panel: str) -> int | None:
    """``DASHBOARD_ROWS``, or None (every row) when the reader asked for all (``?semua=<panel>``)."""
    return None if request.GET.get("semua") == panel else DASHBOARD_ROWS


def more_link(steps: list, total: int, panel: str) -> dict[str, Any]:
    return {"total": total, "hidden": max(total - len(steps), 0), "show_all_url": f"?semua={panel}"}


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
        steps, total = progress.awaiting_review_ranked(request.user, row_limit(request, "tinjauan"))
        context["steps"] = [{"step": step, "actions": step.task.reviewer_actions()} for step in steps]
        context.update(more_link(steps, total, "tinjauan"))
        return context


class MyPagesInModerationPanel(UserObjectsInWorkflowModerationPanel):
    """Wagtail's "your pages in a workflow" panel, with each item's time left or how late it is.

    Wagtail's query, limited to the ``DASHBOARD_ROWS`` most recently moved items unless the author
    asks for all (``?semua=diajukan``): an author with hundreds of drafts in moderation still gets
    the dashboard quickly.
    """

    template_name = "sop_workflow/panels/my_pages_in_moderation.html"

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        request = parent_context["request"]
        if request.GET.get("semua") == "diajukan":
            context = super().get_context_data(parent_context)
            workflow_states, more = list(context["workflow_states"]), {}
        else:
            context = Component.get_context_data(self, parent_context)
            context["request"] = request
            owned = Page.objects.filter(owner=request.user, id=Cast(OuterRef("object_id"), IntegerField()))
            mine = WorkflowState.objects.active().filter(
                (Q(base_content_type_id=get_default_page_content_type().id) & Exists(owned))
                | Q(requested_by=request.user)
            )
            total = mine.count()
            workflow_states = [
                state
                for state in mine.prefetch_related("content_object", "content_object__latest_revision")
                .select_related("current_task_state", "current_task_state__task")
                .order_by("-current_task_state__started_at")[:DASHBOARD_ROWS]
                if state.content_object
            ]
            more = more_link(workflow_states, total, "diajukan")
        running = [state.current_task_state_id for state in workflow_states if state.current_task_state_id]
        steps = {
            step.task_state.pk: step
            for step in progress.load(progress.in_progress_states().filter(pk__in=running))
        }
        for state in workflow_states:
            state.sop_step = steps.get(state.current_task_state_id)
        context["workflow_states"] = workflow_states
        context.update(more)
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
        steps, total = progress.overdue_ranked(row_limit(request, "terlambat"))
        context["steps"] = [
            {"step": step, "can_open": user.is_superuser or step.is_reviewer(user, group_ids)}
            for step in steps
        ]
        context.update(more_link(steps, total, "terlambat"))
        return context


@hooks.register("construct_homepage_panels")
def add_sop_clock_panels(request: Any, panels: list) -> None:
    replaced = (WorkflowObjectsToModeratePanel, UserObjectsInWorkflowModerationPanel)
    panels[:] = [panel for panel in panels if not isinstance(panel, replaced)]
    done = dashboard.panel_for(request)
    if done is not None:
        panels.insert(0, done)
    panels.append(AwaitingReviewPanel())
    panels.append(MyPagesInModerationPanel())
    if progress.oversees_sop(request.user):
        panels.append(OverduePanel())
