"""The SOP on the dashboard: what a decision led to, "Menunggu tinjauan Anda", the author's pages in
moderation and "Terlambat di seluruh SOP", each step with its clock; and the hook that puts them there.

So that a reviewer sees what their decision led to and what waits for them, most urgent first,
without leaving the dashboard. The edit screen shows the same clock (``{% sop_step_clock %}``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import UserObjectsInWorkflowModerationPanel, WorkflowObjectsToModeratePanel
from wagtail.models import TaskState, WorkflowState

from sop_workflow import progress
from sop_workflow.authors import authored_runs
from sop_workflow.models import SOPTaskState
from sop_workflow.models.tasks import DONE_PARAMETER
from sop_workflow.notifications import public_url
from sop_workflow.sop import ROLES, Role


# --- what a decision led to -------------------------------------------------------------------------
def outcome_message(state: SOPTaskState) -> dict[str, str]:
    """What the reviewer's decision led to, as the dashboard tells it."""
    workflow_state = state.workflow_state
    page = workflow_state.content_object.specific
    title = page.get_admin_display_title()
    if state.status == TaskState.STATUS_REJECTED:
        return {"text": _("“%(title)s” dikembalikan kepada penulis untuk diperbaiki.") % {"title": title}}
    if workflow_state.status == WorkflowState.STATUS_APPROVED:
        page.refresh_from_db()
        if page.live:
            return {
                "text": _("“%(title)s” disetujui dan kini terbit di situs.") % {"title": title},
                "link": public_url(page),
                "link_label": _("Lihat halaman publik"),
            }
        return {"text": _("“%(title)s” disetujui dan dijadwalkan terbit.") % {"title": title}}
    current = workflow_state.current_task_state
    if current is None or current.status != TaskState.STATUS_IN_PROGRESS:
        return {"text": _("Keputusan Anda untuk “%(title)s” tersimpan.") % {"title": title}}
    task = current.task.specific
    role = ROLES[Role(task.role)].group_name if getattr(task, "role", "") else ""
    return {
        "text": _("“%(title)s” disetujui. Langkah berikutnya: %(step)s (%(role)s).")
        % {"title": title, "step": task.name, "role": role}
    }


class ActionDonePanel(Component):
    name = "sop_action_done"
    template_name = "sop_workflow/dashboard/action_done.html"
    order = 1

    def __init__(self, state: SOPTaskState):
        self.state = state

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        return {"message": outcome_message(self.state)}


def panel_for(request) -> ActionDonePanel | None:
    """The panel naming what a decision led to, after ``SOPTask.on_action`` sent Wagtail's workflow
    action view back to ``/admin/?selesai=<task state>``; only the person who decided sees it."""
    raw = request.GET.get(DONE_PARAMETER, "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    state = (
        SOPTaskState.objects.filter(pk=int(raw), finished_by=request.user)
        .select_related("workflow_state", "workflow_state__current_task_state__task")
        .first()
    )
    return ActionDonePanel(state) if state is not None else None


# --- the clock panels --------------------------------------------------------------------------
#: rows a dashboard panel shows before its "Lihat semua" link (the most urgent first)
DASHBOARD_ROWS = 20
#: Roles that oversee the whole SOP and see every late step on their dashboard.
OVERSEER_ROLES = (Role.WEB_ADMIN, Role.KABAG_HTH, Role.SEKRETARIS)


def awaiting_review_ranked(user, limit: int | None) -> tuple[list[progress.PendingStep], int]:
    """``progress.awaiting_review`` for the dashboard: the ``limit`` most urgent, and how many in all."""
    if not user.is_authenticated or not user.is_active:
        return [], 0
    user_group_ids = set(user.groups.values_list("id", flat=True))
    if not user_group_ids:
        return [], 0
    steps, total = progress.ranked(progress.reviewable_states(user, user_group_ids), limit=limit)
    return [step for step in steps if step.is_reviewer(user, user_group_ids)], total


def overdue_ranked(limit: int | None) -> tuple[list[progress.PendingStep], int]:
    """Every step past its standard: the ``limit`` latest, and how many are late in all."""
    return progress.ranked(progress.in_progress_states(), limit=limit, late_only=True, with_reviewers=True)


def oversees_sop(user) -> bool:
    """Superusers and members of Web Admin, Kabag HTH or Sekretaris see every late step."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    names = [ROLES[role].group_name for role in OVERSEER_ROLES]
    return user.groups.filter(name__in=names).exists()


def row_limit(request: Any, panel: str) -> int | None:
    """``DASHBOARD_ROWS``, or None (every row) when the reader asked for all (``?semua=<panel>``)."""
    return None if request.GET.get("semua") == panel else DASHBOARD_ROWS


def more_link(steps: list, total: int, panel: str) -> dict[str, Any]:
    return {"total": total, "hidden": max(total - len(steps), 0), "show_all_url": f"?semua={panel}"}


class AwaitingReviewPanel(Component):
    """The steps the user can act on (member of the step's role, never the author), most urgent first.

    Replaces Wagtail's "awaiting your review" panel (same name, rows and action dropdown), adding
    kind, step and time left, in a fixed number of queries.
    """

    name = "workflow_objects_to_moderate"
    template_name = "sop_workflow/dashboard/awaiting_review.html"
    order = 220

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        context["request"] = request
        context["csrf_token"] = parent_context.get("csrf_token")
        steps, total = awaiting_review_ranked(request.user, row_limit(request, "tinjauan"))
        context["steps"] = [{"step": step, "actions": step.task.reviewer_actions()} for step in steps]
        context.update(more_link(steps, total, "tinjauan"))
        return context


class MyPagesInModerationPanel(UserObjectsInWorkflowModerationPanel):
    """Wagtail's "your pages in a workflow" panel, with each item's time left or how late it is.

    Wagtail's query, limited to the ``DASHBOARD_ROWS`` most recently moved items unless the author
    asks for all (``?semua=diajukan``): an author with hundreds of drafts in moderation still gets
    the dashboard quickly.
    """

    template_name = "sop_workflow/dashboard/my_pages_in_moderation.html"

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        request = parent_context["request"]
        if request.GET.get("semua") == "diajukan":
            context = super().get_context_data(parent_context)
            workflow_states, more = list(context["workflow_states"]), {}
        else:
            context = Component.get_context_data(self, parent_context)
            context["request"] = request
            mine = WorkflowState.objects.active().filter(authored_runs(request.user))
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
    template_name = "sop_workflow/dashboard/overdue.html"
    order = 210

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        user = request.user
        group_ids = set(user.groups.values_list("id", flat=True))
        steps, total = overdue_ranked(row_limit(request, "terlambat"))
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
    done = panel_for(request)
    if done is not None:
        panels.insert(0, done)
    panels.append(AwaitingReviewPanel())
    panels.append(MyPagesInModerationPanel())
    if oversees_sop(request.user):
        panels.append(OverduePanel())
