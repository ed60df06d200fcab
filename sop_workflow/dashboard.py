"""After a reviewer decides a step from the dashboard, the dashboard says what happened next.

``SOPTask.on_action`` sends Wagtail's workflow action view back to ``/admin/?selesai=<task state>``;
this panel names the next step and its role, or says the content is live with a link to it, or that
the concept went back to its author. Only the person who decided that step sees the message.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from wagtail.admin.ui.components import Component
from wagtail.models import TaskState, WorkflowState

from sop_workflow.models import SOPTaskState
from sop_workflow.models.tasks import DONE_PARAMETER
from sop_workflow.notifications import public_url
from sop_workflow.sop import ROLES, Role


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
    template_name = "sop_workflow/panels/action_done.html"
    order = 1

    def __init__(self, state: SOPTaskState):
        self.state = state

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        return {"message": outcome_message(self.state)}


def panel_for(request) -> ActionDonePanel | None:
    raw = request.GET.get(DONE_PARAMETER, "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    state = (
        SOPTaskState.objects.filter(pk=int(raw), finished_by=request.user)
        .select_related("workflow_state", "workflow_state__current_task_state__task")
        .first()
    )
    return ActionDonePanel(state) if state is not None else None
