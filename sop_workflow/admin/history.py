"""Riwayat SOP: every run of one page's workflow, step by step, for the people who took part.

Wagtail's own workflow history needs edit permission, which a reviewer has only while the page is at
their step; the SOP's emails link here instead, so every recipient gets a screen they may open.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from wagtail.models import Page, WorkflowState

from sop_workflow.archive import DECISIONS, format_datetime, step_entries
from sop_workflow.authors import is_author
from sop_workflow.models import ArsipPersetujuan, SOPTaskState

RUN_STATUSES = {
    WorkflowState.STATUS_IN_PROGRESS: "sedang berjalan",
    WorkflowState.STATUS_NEEDS_CHANGES: "menunggu perbaikan penulis",
    WorkflowState.STATUS_APPROVED: "selesai: diterbitkan",
    WorkflowState.STATUS_CANCELLED: "dibatalkan",
}


def may_read_history(user, page: Page, workflow_states) -> bool:
    """Superusers, the author, and whoever acted on (or may now act on) a step of this page."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or any(is_author(page, user, state) for state in workflow_states):
        return True
    if SOPTaskState.objects.filter(workflow_state__in=workflow_states, finished_by=user).exists():
        return True
    task = page.current_workflow_task
    return bool(task and task.get_actions(page, user))


def history_view(request, page_id: int):
    page = get_object_or_404(Page, pk=page_id).specific
    workflow_states = list(
        WorkflowState.objects.for_instance(page)
        .select_related("workflow", "requested_by")
        .order_by("-created_at")
    )
    if not may_read_history(request.user, page, workflow_states):
        raise PermissionDenied
    records = dict(
        ArsipPersetujuan.objects.filter(workflow_state_id__in=[state.pk for state in workflow_states])
        .order_by("sequence")
        .values_list("workflow_state_id", "pk")
    )
    runs = [
        {
            "state": state,
            "status": RUN_STATUSES.get(state.status, state.status),
            "started": format_datetime(state.created_at),
            "steps": [
                {
                    **entry,
                    "started": format_datetime(entry["started_at"]),
                    "finished": format_datetime(entry["finished_at"]),
                }
                for entry in step_entries(state)
            ],
            "record_id": records.get(state.pk),
        }
        for state in workflow_states
    ]
    return TemplateResponse(
        request, "sop_workflow/history.html", {"page": page, "runs": runs, "decisions": DECISIONS}
    )
