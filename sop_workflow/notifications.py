"""SOP emails, in Indonesian, each with a direct link to the screen the reader must open.

Each email is a subclass of Wagtail's notifiers (``wagtail.admin.mail``) connected to Wagtail's
workflow signals; it renders ``sop_workflow/email/<notification>[_subject].txt`` once per address and
sends only once the transition has committed. Wagtail's own workflow notifiers stay connected but
find nobody to write to: the SOP's emails replace them, so the workflow switches of every user's
notification preferences are held off (:func:`hold_off_wagtail_workflow_mail`).
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
from django.db.models.signals import post_migrate, pre_save
from django.template.loader import render_to_string
from django.urls import reverse

from wagtail.admin.mail import EmailNotificationMixin, Notifier
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.signals import task_approved, task_submitted, workflow_approved, workflow_rejected
from wagtail.users.models import UserProfile

from sop_workflow.authors import is_author
from sop_workflow.models import ArsipPersetujuan, SOPTask, SOPTaskState
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


#: The notification preferences (``UserProfile``) Wagtail's workflow notifiers read: held off,
#: since the SOP's emails below replace Wagtail's English ones for these events.
WAGTAIL_WORKFLOW_PREFERENCES = ("submitted_notifications", "approved_notifications", "rejected_notifications")


def hold_off_wagtail_workflow_mail(sender, instance: UserProfile, raw=False, **kwargs) -> None:
    """Every profile, new or saved from the account screen, keeps Wagtail's workflow emails off."""
    for preference in WAGTAIL_WORKFLOW_PREFERENCES:
        setattr(instance, preference, False)


def hold_off_existing_profiles(sender=None, using="default", **kwargs) -> None:
    """After every ``migrate``: the profiles saved before this rule existed (idempotent, one query)."""
    UserProfile.objects.using(using).update(**dict.fromkeys(WAGTAIL_WORKFLOW_PREFERENCES, False))


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


def template_set(notification: str) -> dict:
    return {
        "subject": f"sop_workflow/email/{notification}_subject.txt",
        "text": f"sop_workflow/email/{notification}.txt",
    }


def send_after_commit(templates: dict, context: dict, recipients: dict, name: str = "") -> bool:
    """Render one email per address (``recipient`` in the context) now, send them once the current
    transaction commits. Nothing inside :func:`silenced`."""
    if not recipients or _silenced.get():
        return True
    messages = []
    for address, user in recipients.items():
        personal = {**context, "kpu": settings.KPU_IDENTITY, "recipient": user}
        subject = one_line(render_to_string(templates["subject"], personal))
        body = render_to_string(templates["text"], personal)
        messages.append((address, subject, body))

    def deliver() -> None:
        try:
            with get_connection() as connection:
                for address, subject, body in messages:
                    EmailMessage(
                        subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection
                    ).send()
        except OSError:
            logger.exception("SOP email %s could not be sent", name or templates["text"])

    transaction.on_commit(deliver)
    return True


def send(template: str, context: dict, users: Iterable) -> None:
    """One SOP email outside Wagtail's signals (reminders, escalations)."""
    send_after_commit(template_set(template), context, recipients_by_address(users), template)


class SOPEmailNotifier(EmailNotificationMixin, Notifier):
    """An SOP email: Wagtail's notifier with the SOP's templates, recipients and delivery."""

    valid_classes: tuple = (WorkflowState,)

    def __init__(self):
        super().__init__(self.valid_classes)

    def get_valid_recipients(self, instance, **kwargs) -> dict:
        # Every SOP email goes out: no Wagtail preference switches it off (it is the SOP's own).
        return recipients_by_address(self.get_recipient_users(instance, **kwargs))

    def get_template_set(self, instance, **kwargs) -> dict:
        return template_set(self.notification)

    def get_context(self, instance, **kwargs) -> dict:
        return {}

    def send_notifications(self, template_set, context, recipients, **kwargs) -> bool:
        return send_after_commit(template_set, context, recipients, self.notification)


def _page(workflow_state: WorkflowState) -> Page:
    return workflow_state.content_object.specific


def _authors(workflow_state: WorkflowState, page: Page) -> list:
    return [user for user in (workflow_state.requested_by, page.owner) if user is not None]


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


def next_task_after(task: SOPTask, workflow_state: WorkflowState):
    tasks = [
        item.specific
        for item in workflow_state.workflow.tasks.filter(active=True).order_by("workflow_tasks__sort_order")
    ]
    position = next((index for index, item in enumerate(tasks) if item.pk == task.pk), None)
    return tasks[position + 1] if position is not None and position + 1 < len(tasks) else None


#: The roles SOP steps 8-10 walk the approved concept back through (before Web Admin uploads it).
RETURN_ROLES = (Role.SEKRETARIS, Role.KABAG_HTH, Role.TEKMAS)


class StepArrivedNotifier(SOPEmailNotifier):
    """A step starts: its role (but the page's authors) is emailed a link to the editor, or, at the
    publishing step, to the dashboard (approve and publish, or preview first)."""

    notification = "step_arrived"
    valid_classes = (SOPTaskState,)

    def can_handle(self, instance, **kwargs) -> bool:
        return super().can_handle(instance, **kwargs) and isinstance(instance.task.specific, SOPTask)

    def get_recipient_users(self, task_state, **kwargs) -> list:
        task = task_state.task.specific
        workflow_state = task_state.workflow_state
        page = _page(workflow_state)
        members = get_user_model().objects.filter(groups__in=task.groups.all(), is_active=True).distinct()
        return [member for member in members if not is_author(page, member, workflow_state)]

    def get_context(self, task_state, **kwargs) -> dict:
        task = task_state.task.specific
        workflow_state = task_state.workflow_state
        page = _page(workflow_state)
        return {
            "page": page,
            "step": task,
            "standard_minutes": getattr(task_state, "standard_minutes", task.standard_minutes),
            "review_url": admin_url(
                reverse("wagtailadmin_home") if task.publishes else review_url(page, task)
            ),
            "submitted_by": workflow_state.requested_by,
            **previous_step_context(workflow_state, task_state),
        }


class ApprovedForUploadNotifier(SOPEmailNotifier):
    """SOP steps 8-10: when the last content approver approves, the approvers below it (Kabag HTH,
    Tekmas and, on the long chain, the Sekretaris) learn that it is approved and waiting for upload."""

    notification = "approved_for_upload"
    valid_classes = (SOPTaskState,)

    def upload_step(self, task_state):
        task = task_state.task.specific
        if not isinstance(task, SOPTask) or task.publishes:
            return None
        upload = next_task_after(task, task_state.workflow_state)
        return upload if getattr(upload, "publishes", False) else None

    def can_handle(self, instance, **kwargs) -> bool:
        return super().can_handle(instance, **kwargs) and self.upload_step(instance) is not None

    def get_recipient_users(self, task_state, user=None, **kwargs) -> list:
        approvers = _approvers(task_state.workflow_state, RETURN_ROLES)
        return [person for person in approvers if person != user]

    def get_context(self, task_state, user=None, **kwargs) -> dict:
        page = _page(task_state.workflow_state)
        return {
            "page": page,
            "approved_by": user,
            "step": task_state.task.specific,
            "upload_step": self.upload_step(task_state),
            "history_url": history_url(page),
        }


class ChangesRequestedAuthorNotifier(SOPEmailNotifier):
    """A step asks for changes: the author is told what, and where the resubmission resumes."""

    notification = "changes_requested_author"

    def get_recipient_users(self, workflow_state, **kwargs) -> list:
        return _authors(workflow_state, _page(workflow_state))

    def get_context(self, workflow_state, user=None, **kwargs) -> dict:
        page = _page(workflow_state)
        task_state = workflow_state.current_task_state
        step = task_state.task.specific if task_state else None
        # After the publishing step sends it back, the resubmission goes through the last content approver.
        resume_step = (
            step.previous_task(workflow_state.workflow) if step is not None and step.publishes else step
        )
        return {
            "page": page,
            "step": step,
            "resume_step": resume_step or step,
            "comment": task_state.comment if task_state else "",
            "rejected_by": user,
            "edit_url": admin_url(reverse("wagtailadmin_pages:edit", args=[page.pk])),
            "history_url": history_url(page),
        }


class ChangesRequestedReviewersNotifier(ChangesRequestedAuthorNotifier):
    """... and the earlier steps' approvers learn that it came back (Wagtail tells nobody of them)."""

    notification = "changes_requested_reviewers"

    def get_recipient_users(self, workflow_state, user=None, **kwargs) -> list:
        earlier = (
            SOPTaskState.objects.filter(workflow_state=workflow_state, status=TaskState.STATUS_APPROVED)
            .exclude(finished_by=user)
            .select_related("finished_by")
        )
        return [state.finished_by for state in earlier]


class PublishedNotifier(SOPEmailNotifier):
    """Publication: the author and every approver of the run are told, with the public link."""

    notification = "published"

    def get_recipient_users(self, workflow_state, user=None, **kwargs) -> list:
        authors = _authors(workflow_state, _page(workflow_state))
        return [*authors, *(person for person in _approvers(workflow_state) if person != user)]

    def get_context(self, workflow_state, user=None, **kwargs) -> dict:
        page = _page(workflow_state)
        return {
            "page": page,
            "public_url": public_url(page),
            "published_by": user,
            "history_url": history_url(page),
        }


class RunEndedNotifier(SOPEmailNotifier):
    """A withdrawn, cancelled or restarted run: the author and every reviewer so far are told."""

    notification = "run_ended"

    def get_recipient_users(self, workflow_state, user=None, **kwargs) -> list:
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
        authors = _authors(workflow_state, _page(workflow_state))
        return [person for person in [*authors, *reviewers] if person != user]

    def get_context(self, workflow_state, user=None, outcome="", reason="", **kwargs) -> dict:
        record = (
            ArsipPersetujuan.objects.filter(workflow_state_id=workflow_state.pk).order_by("sequence").last()
        )
        return {
            "page": _page(workflow_state),
            "outcome": outcome,
            "restarted": outcome == "restarted",
            "ended_by": user,
            "reason": reason,
            "record_url": admin_url(reverse("sop_arsip:detail", args=[record.pk])) if record else "",
        }


step_arrived = StepArrivedNotifier()
approved_for_upload = ApprovedForUploadNotifier()
changes_requested_author = ChangesRequestedAuthorNotifier()
changes_requested_reviewers = ChangesRequestedReviewersNotifier()
published = PublishedNotifier()
run_ended = RunEndedNotifier()


def notify_run_ended(workflow_state: WorkflowState, outcome: str, user, reason: str) -> None:
    run_ended(instance=workflow_state, user=user, outcome=outcome, reason=reason)


def connect(app_config) -> None:
    pre_save.connect(
        hold_off_wagtail_workflow_mail, sender=UserProfile, dispatch_uid="sop_wagtail_workflow_mail"
    )
    post_migrate.connect(
        hold_off_existing_profiles, sender=app_config, dispatch_uid="sop_wagtail_workflow_mail"
    )
    task_submitted.connect(step_arrived, sender=SOPTaskState, dispatch_uid="sop_task_submitted")
    task_approved.connect(approved_for_upload, sender=SOPTaskState, dispatch_uid="sop_task_approved")
    for notifier in (changes_requested_author, changes_requested_reviewers):
        workflow_rejected.connect(
            notifier, sender=WorkflowState, dispatch_uid=f"sop_workflow_rejected_{notifier.notification}"
        )
    workflow_approved.connect(published, sender=WorkflowState, dispatch_uid="sop_workflow_approved")
