"""SOP emails, in Indonesian, each with a direct link to the screen the reader must open.

Wagtail's own workflow emails are disconnected (they are in English and a custom TaskState silences
the per-step ones anyway). Emails are sent only once the transition has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from wagtail.models import Page, TaskState, WorkflowState
from wagtail.signals import (
    task_approved,
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

from sop_workflow.models import ArsipPersetujuan, SOPTask, SOPTaskState, is_author
from sop_workflow.progress import review_url
from sop_workflow.revision_diff import summarise_changes
from sop_workflow.sop import Role

logger = logging.getLogger(__name__)

_silenced: ContextVar[bool] = ContextVar("sop_notifications_silenced", default=False)


@contextmanager
def silenced() -> Iterator[None]:
    """No SOP email for what happens inside (the demo's past, replayed: nobody is waiting for it)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


#: Wagtail's own workflow emails, replaced by the ones below.
WAGTAIL_NOTIFIERS = [
    (task_submitted, TaskState, "group_approval_task_submitted_email_notification"),
    (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification"),
    (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification"),
    (workflow_approved, WorkflowState, "workflow_state_approved_email_notification"),
]


def admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def public_url(page: Page) -> str:
    """The page's public address on BASE_URL (never a Site record's default ``localhost``)."""
    parts = page.get_url_parts()
    return admin_url(parts[2]) if parts else ""


def recipients_by_address(users: Iterable) -> dict:
    """One active user with an email address per address, in the order given."""
    seen: dict = {}
    for user in users:
        if user is not None and user.is_active and user.email:
            seen.setdefault(user.email, user)
    return seen


def one_line(text: str) -> str:
    """A subject line: a title typed with line breaks or tabs must never stop an email."""
    return " ".join(text.split())


def send(template: str, context: dict, users: Iterable) -> None:
    """Render and send one email per recipient (``recipient`` in the context), after the current
    transaction commits."""
    recipients = recipients_by_address(users)
    if not recipients or _silenced.get():
        return
    messages = []
    for address, user in recipients.items():
        personal = {**context, "kpu": settings.KPU_IDENTITY, "recipient": user}
        subject = one_line(render_to_string(f"sop_workflow/email/{template}_subject.txt", personal))
        body = render_to_string(f"sop_workflow/email/{template}.txt", personal)
        messages.append((address, subject, body))

    def deliver() -> None:
        try:
            with get_connection() as connection:
                for address, subject, body in messages:
                    EmailMessage(
                        subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection
                    ).send()
        except OSError:
            logger.exception("SOP email %s could not be sent", template)

    transaction.on_commit(deliver)


def _page(workflow_state: WorkflowState) -> Page:
    return workflow_state.content_object.specific


def _authors(workflow_state: WorkflowState, page: Page) -> list:
    return [user for user in (workflow_state.requested_by, page.owner) if user is not None]


def on_task_submitted(sender, instance: TaskState, user=None, **kwargs) -> None:
    task = instance.task.specific
    if not isinstance(task, SOPTask):
        return
    workflow_state = instance.workflow_state
    page = _page(workflow_state)
    User = get_user_model()
    members = User.objects.filter(groups__in=task.groups.all(), is_active=True).distinct()
    reviewers = [member for member in members if not is_author(page, member, workflow_state)]
    send(
        "step_arrived",
        {
            "page": page,
            "step": task,
            "standard_minutes": getattr(instance, "standard_minutes", task.standard_minutes),
            # The publishing step acts from the dashboard (approve and publish, or preview first).
            "review_url": admin_url(
                reverse("wagtailadmin_home") if task.publishes else review_url(page, task)
            ),
            "submitted_by": workflow_state.requested_by,
            **previous_step_context(workflow_state, instance),
        },
        reviewers,
    )


def previous_step_context(workflow_state: WorkflowState, arriving: TaskState) -> dict:
    """What the last decided step of this run left for the next one: its comment and its reviewer's
    corrections, or, when it asked for changes, the request this resubmission answers."""
    previous = (
        SOPTaskState.objects.filter(workflow_state=workflow_state, finished_at__isnull=False)
        .exclude(pk=arriving.pk)
        .select_related("finished_by", "task", "revision", "judged_revision")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if previous is None:
        return {}
    if previous.status == TaskState.STATUS_REJECTED:
        return {"answers_request": previous}
    if previous.status != TaskState.STATUS_APPROVED:
        return {}
    return {
        "previous": previous,
        "previous_changes": summarise_changes(previous.revision, previous.judged_revision),
    }


def on_workflow_rejected(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    page = _page(instance)
    task_state = instance.current_task_state
    comment = task_state.comment if task_state else ""
    step = task_state.task.specific if task_state else None
    # After the publishing step sends it back, the resubmission goes through the last content approver.
    resume_step = step.previous_task(instance.workflow) if step is not None and step.publishes else step
    context = {
        "page": page,
        "step": step,
        "resume_step": resume_step or step,
        "comment": comment,
        "rejected_by": user,
        "edit_url": admin_url(reverse("wagtailadmin_pages:edit", args=[page.pk])),
        "history_url": history_url(page),
    }
    send("changes_requested_author", context, _authors(instance, page))
    earlier = (
        SOPTaskState.objects.filter(workflow_state=instance, status=TaskState.STATUS_APPROVED)
        .exclude(finished_by=user)
        .select_related("finished_by")
    )
    send("changes_requested_reviewers", context, [state.finished_by for state in earlier])


def history_url(page: Page) -> str:
    """Riwayat SOP of the page: a screen every author and reviewer of it may open."""
    return admin_url(reverse("sop_run:history", args=[page.pk]))


def _approvers(workflow_state: WorkflowState, roles=None) -> list:
    states = SOPTaskState.objects.filter(
        workflow_state=workflow_state, status=TaskState.STATUS_APPROVED
    ).select_related("finished_by", "task__soptask")
    if roles is not None:
        states = states.filter(task__soptask__role__in=[role.value for role in roles])
    return [state.finished_by for state in states]


def on_task_approved(sender, instance: TaskState, user=None, **kwargs) -> None:
    """SOP steps 8-10: when the last content approver approves, the approvers below it (Kabag HTH,
    Tekmas and, on the long chain, the Sekretaris) learn that it is approved and waiting for upload."""
    task = instance.task.specific
    workflow_state = instance.workflow_state
    if not isinstance(task, SOPTask) or task.publishes:
        return
    upload = next_task_after(task, workflow_state)
    if upload is None or not getattr(upload, "publishes", False):
        return
    page = _page(workflow_state)
    send(
        "approved_for_upload",
        {
            "page": page,
            "approved_by": user,
            "step": task,
            "upload_step": upload,
            "history_url": history_url(page),
        },
        [person for person in _approvers(workflow_state, RETURN_ROLES) if person != user],
    )


def next_task_after(task: SOPTask, workflow_state: WorkflowState):
    tasks = [
        item.specific
        for item in workflow_state.workflow.tasks.filter(active=True).order_by("workflow_tasks__sort_order")
    ]
    position = next((index for index, item in enumerate(tasks) if item.pk == task.pk), None)
    return tasks[position + 1] if position is not None and position + 1 < len(tasks) else None


def on_workflow_approved(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    """Publication: the author and every approver of the run are told, with the public link."""
    page = _page(instance)
    send(
        "published",
        {
            "page": page,
            "public_url": public_url(page),
            "published_by": user,
            "history_url": history_url(page),
        },
        [*_authors(instance, page), *(person for person in _approvers(instance) if person != user)],
    )


def notify_run_ended(workflow_state: WorkflowState, outcome: str, user, reason: str) -> None:
    """A withdrawn, cancelled or restarted run: the author and every reviewer so far are told."""
    page = _page(workflow_state)
    record = ArsipPersetujuan.objects.filter(workflow_state_id=workflow_state.pk).order_by("sequence").last()
    reviewers = [
        state.finished_by
        for state in SOPTaskState.objects.filter(workflow_state=workflow_state)
        .exclude(finished_by=None)
        .select_related("finished_by")
    ]
    current = workflow_state.current_task_state
    if current is not None:  # the step whose queue it just left
        groups = current.task.specific.groups.all()
        reviewers += list(get_user_model().objects.filter(groups__in=groups).distinct())
    send(
        "run_ended",
        {
            "page": page,
            "outcome": outcome,
            "restarted": outcome == "restarted",
            "ended_by": user,
            "reason": reason,
            "record_url": admin_url(reverse("sop_arsip:detail", args=[record.pk])) if record else "",
        },
        [person for person in [*_authors(workflow_state, page), *reviewers] if person != user],
    )


#: The roles SOP steps 8-10 walk the approved concept back through (before Web Admin uploads it).
RETURN_ROLES = (Role.SEKRETARIS, Role.KABAG_HTH, Role.TEKMAS)


def connect() -> None:
    for signal, sender, uid in WAGTAIL_NOTIFIERS:
        signal.disconnect(sender=sender, dispatch_uid=uid)
    task_submitted.connect(on_task_submitted, sender=SOPTaskState, dispatch_uid="sop_task_submitted")
    task_approved.connect(on_task_approved, sender=SOPTaskState, dispatch_uid="sop_task_approved")
    workflow_rejected.connect(
        on_workflow_rejected, sender=WorkflowState, dispatch_uid="sop_workflow_rejected"
    )
    workflow_approved.connect(
        on_workflow_approved, sender=WorkflowState, dispatch_uid="sop_workflow_approved"
    )
