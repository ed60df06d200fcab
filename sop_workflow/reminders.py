"""Reminders and escalation for steps past their time standard (``manage.py sop_remind``).

A step past its standard in office time (``sop_workflow.clock``) reminds its role's members, never
the author; past twice its standard it escalates to the role of the next step of the item's workflow,
or to Kabag HTH after the last. Each is sent once per step, however many runs of the command overlap.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.models import TaskState, WorkflowTask

from sop_workflow import notifications, progress
from sop_workflow.clock import WorkCalendar, format_duration
from sop_workflow.models import SOPReminder, SOPTask
from sop_workflow.sop import ROLES, Role

Threshold = SOPReminder.Threshold

#: Where the chain's last step (Web Admin: unggah) escalates to: the head of the division that runs
#: the website.
LAST_STEP_ESCALATES_TO = Role.KABAG_HTH


@dataclass
class Notice:
    """One reminder or escalation, sent (or, on a dry run, that would be sent)."""

    threshold: str
    step: progress.PendingStep
    recipients: list[Any]
    role_name: str

    @property
    def addresses(self) -> list[str]:
        return list(notifications.recipients_by_address(self.recipients))

    def describe(self) -> str:
        word = "pengingat" if self.threshold == Threshold.LATE else "eskalasi"
        return (
            f"{word}: {self.step.title} — {self.step.task.name}, {self.step.label} "
            f"-> {self.role_name} ({', '.join(self.addresses)})"
        )


@dataclass
class Outcome:
    sent: list[Notice] = field(default_factory=list)
    without_recipients: list[Notice] = field(default_factory=list)

    def count(self, threshold: str) -> int:
        return sum(1 for notice in self.sent if notice.threshold == threshold)

    def summary(self, dry_run: bool = False) -> str:
        verb = "akan dikirim (uji coba, tidak ada email terkirim)" if dry_run else "dikirim"
        return f"{self.count(Threshold.LATE)} pengingat, {self.count(Threshold.ESCALATION)} eskalasi {verb}"


def _due(step: progress.PendingStep) -> list[str]:
    standard = step.clock.standard
    if standard <= dt.timedelta(0):
        return []
    due = []
    if step.clock.office > standard:
        due.append(Threshold.LATE)
    if step.clock.office > 2 * standard:
        due.append(Threshold.ESCALATION)
    return due


class _Escalation:
    """Who a step escalates to: the next step's role in its workflow, or Kabag HTH after the last."""

    def __init__(self, steps: list[progress.PendingStep]):
        workflow_ids = {step.workflow_state.workflow_id for step in steps}
        self.order: dict[int, list[Any]] = defaultdict(list)
        for workflow_task in (
            WorkflowTask.objects.filter(workflow_id__in=workflow_ids, task__active=True)
            .select_related("task__soptask")
            .order_by("workflow_id", "sort_order")
        ):
            self.order[workflow_task.workflow_id].append(getattr(workflow_task.task, "soptask", None))
        next_tasks = {
            step.task_state.pk: self._next_task(step.workflow_state.workflow_id, step.task.pk)
            for step in steps
        }
        task_ids = {task.pk for task in next_tasks.values() if task is not None}
        groups_by_task: dict[int, set[int]] = defaultdict(set)
        through = SOPTask.groups.through
        for task_id, group_id in through.objects.filter(soptask_id__in=task_ids).values_list(
            "soptask_id", "group_id"
        ):
            groups_by_task[task_id].add(group_id)
        fallback = Group.objects.filter(name=ROLES[LAST_STEP_ESCALATES_TO].group_name).first()
        self.fallback_group_ids = {fallback.pk} if fallback else set()
        all_groups = set(self.fallback_group_ids).union(*groups_by_task.values())
        members: dict[int, list[Any]] = defaultdict(list)
        for membership in (
            get_user_model()
            .groups.through.objects.filter(group_id__in=all_groups, user__is_active=True)
            .select_related("user")
            .order_by("user__username")
        ):
            members[membership.group_id].append(membership.user)
        self.targets: dict[int, tuple[str, list[Any]]] = {}
        for step in steps:
            task = next_tasks[step.task_state.pk]
            if task is None:
                role_name = ROLES[LAST_STEP_ESCALATES_TO].group_name
                group_ids = self.fallback_group_ids
            else:
                role_name = ROLES[Role(task.role)].group_name
                group_ids = groups_by_task[task.pk]
            users: dict[int, Any] = {}
            for group_id in sorted(group_ids):
                for user in members[group_id]:
                    if not step.is_author(user):
                        users.setdefault(user.pk, user)
            self.targets[step.task_state.pk] = (role_name, list(users.values()))

    def _next_task(self, workflow_id: int, task_id: int):
        tasks = self.order.get(workflow_id, [])
        for position, task in enumerate(tasks):
            if task is not None and task.pk == task_id:
                return tasks[position + 1] if position + 1 < len(tasks) else None
        return None

    def target(self, step: progress.PendingStep) -> tuple[str, list[Any]]:
        return self.targets[step.task_state.pk]


def _context(notice: Notice) -> dict[str, Any]:
    step = notice.step
    return {
        "page": step.page,
        "kind": step.kind,
        "step": step.task,
        "step_role": step.role_name,
        "standard_minutes": step.task_state.standard_minutes,
        "late_by": format_duration(step.late_by),
        "started_at": step.task_state.started_at,
        "waiting_for": step.reviewers,
        "escalated_to": notice.role_name,
        "review_url": notifications.admin_url(step.review_url),
    }


def _send(notice: Notice, now: dt.datetime) -> bool:
    """Record and send one notice; False when the step moved on or another run already sent it.

    The ``SOPReminder`` row, unique per (step, threshold), is inserted while holding the step's row
    lock, and the email goes out only once that transaction commits: concurrent runs send it once.
    """
    state = notice.step.task_state
    with transaction.atomic():
        still_running = list(
            TaskState.objects.select_for_update()
            .filter(pk=state.pk, status=TaskState.STATUS_IN_PROGRESS)
            .values_list("pk", flat=True)
        )
        if not still_running:
            return False
        try:
            with transaction.atomic():
                SOPReminder.objects.create(
                    task_state=state,
                    threshold=notice.threshold,
                    sent_at=now,
                    recipients="\n".join(notice.addresses),
                )
        except IntegrityError:
            return False
        template = "reminder" if notice.threshold == Threshold.LATE else "escalation"
        notifications.send(template, _context(notice), notice.recipients)
    return True


def remind(now: dt.datetime | None = None, dry_run: bool = False) -> Outcome:
    """Send the reminders and escalations that are due at ``now``."""
    now = now or timezone.now()
    outcome = Outcome()
    steps = progress.load(now=now, calendar=WorkCalendar.load(), with_reviewers=True)
    due = {step.task_state.pk: _due(step) for step in steps}
    steps = [step for step in steps if due[step.task_state.pk]]
    if not steps:
        return outcome
    already = set(
        SOPReminder.objects.filter(task_state__in=[step.task_state.pk for step in steps]).values_list(
            "task_state_id", "threshold"
        )
    )
    escalation = _Escalation(steps)
    for step in steps:
        for threshold in due[step.task_state.pk]:
            if (step.task_state.pk, threshold) in already:
                continue
            if threshold == Threshold.LATE:
                notice = Notice(threshold, step, step.reviewers, step.role_name)
            else:
                role_name, users = escalation.target(step)
                notice = Notice(threshold, step, users, role_name)
            if not notice.addresses:
                outcome.without_recipients.append(notice)
            elif dry_run or _send(notice, now):
                outcome.sent.append(notice)
    return outcome
