"""Steps in progress, each with its clock: what the dashboard, the edit screen and reminders read.

Everything is loaded in a fixed number of queries, however many items are in moderation: the task
states (with their workflow state, task and SOP task joined), their pages, the groups of the tasks
involved, the members of those groups, and the office calendar.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, TaskState, WorkflowState

from kpu_pages.kinds import kind_for_model
from sop_workflow.authors import authored_runs, is_author
from sop_workflow.clock import StepClock, WorkCalendar, step_clock
from sop_workflow.models import SOPTask, SOPTaskState
from sop_workflow.sop import ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@dataclass
class PendingStep:
    """One item in moderation at one step, with where its clock stands."""

    task_state: SOPTaskState
    task: SOPTask
    page: Page
    clock: StepClock
    kind: str
    group_ids: frozenset[int]
    #: members of the step's role who may act on it (the concept's author excluded): who it waits for
    reviewers: list[Any] = field(default_factory=list)

    @property
    def workflow_state(self) -> WorkflowState:
        return self.task_state.workflow_state

    @property
    def title(self) -> str:
        return self.page.get_admin_display_title()

    @property
    def label(self) -> str:
        return self.clock.label()

    @property
    def standard_label(self) -> str:
        """ "mutu baku 30 menit jam kerja": the standard recorded when the step started."""
        return f"mutu baku {self.task_state.standard_minutes} menit jam kerja"

    @property
    def is_late(self) -> bool:
        return self.clock.is_late

    @property
    def late_by(self) -> dt.timedelta:
        return self.clock.office - self.clock.standard

    @property
    def role_name(self) -> str:
        return ROLES[Role(self.task.role)].group_name

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])

    @property
    def review_url(self) -> str:
        """Where its reviewer judges the step: the editor, or the preview at the publishing step
        (which has no editor: it publishes what the content steps approved)."""
        return review_url(self.page, self.task)

    def is_author(self, user: AbstractBaseUser) -> bool:
        return is_author(self.page, user, self.workflow_state)

    def is_reviewer(self, user: AbstractBaseUser, user_group_ids: Iterable[int]) -> bool:
        """``SOPTask.user_is_reviewer``, answered from what is already loaded."""
        if not user.is_authenticated or not user.is_active:
            return False
        return bool(self.group_ids & set(user_group_ids)) and not self.is_author(user)


def review_url(page: Page, task: SOPTask) -> str:
    if task.publishes:
        return reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task.pk])
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def in_progress_states() -> QuerySet[SOPTaskState]:
    """SOP steps in progress: the step and its workflow both still running."""
    return SOPTaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS, workflow_state__status=WorkflowState.STATUS_IN_PROGRESS
    ).select_related("workflow_state", "workflow_state__workflow", "task__soptask")


def _kind_label(page: Page) -> str:
    model = page.specific_class
    if model is None:
        return ""
    kind = kind_for_model(model)
    return str(kind.label if kind else model._meta.verbose_name).capitalize()


def load(
    states: QuerySet[SOPTaskState] | None = None,
    *,
    now: dt.datetime | None = None,
    calendar: WorkCalendar | None = None,
    with_reviewers: bool = False,
) -> list[PendingStep]:
    """The steps of ``states`` (default: every step in progress), most urgent first."""
    now = now or timezone.now()
    calendar = calendar or WorkCalendar.load()
    task_states = list(in_progress_states() if states is None else states)
    page_ids = {int(state.workflow_state.object_id) for state in task_states}
    pages = Page.objects.filter(pk__in=page_ids).only(
        "id", "title", "draft_title", "owner_id", "content_type_id", "locale_id", "latest_revision_id"
    )
    pages_by_id = {page.pk: page for page in pages}
    task_ids = {state.task_id for state in task_states}
    groups_by_task: dict[int, set[int]] = defaultdict(set)
    for task_id, group_id in SOPTask.groups.through.objects.filter(soptask_id__in=task_ids).values_list(
        "soptask_id", "group_id"
    ):
        groups_by_task[task_id].add(group_id)
    members: dict[int, list[Any]] = defaultdict(list)
    if with_reviewers:
        all_groups = set().union(*groups_by_task.values()) if groups_by_task else set()
        memberships = (
            get_user_model()
            .groups.through.objects.filter(group_id__in=all_groups, user__is_active=True)
            .select_related("user")
            .order_by("user__username")
        )
        for membership in memberships:
            members[membership.group_id].append(membership.user)

    steps = []
    for state in task_states:
        page = pages_by_id.get(int(state.workflow_state.object_id))
        if page is None:
            continue
        group_ids = frozenset(groups_by_task[state.task_id])
        step = PendingStep(
            task_state=state,
            task=state.task.soptask,
            page=page,
            clock=step_clock(state, calendar, now),
            kind=_kind_label(page),
            group_ids=group_ids,
        )
        if with_reviewers:
            seen: dict[int, Any] = {}
            for group_id in sorted(group_ids):
                for user in members[group_id]:
                    if not step.is_author(user):
                        seen.setdefault(user.pk, user)
            step.reviewers = list(seen.values())
        steps.append(step)
    steps.sort(key=lambda step: (step.clock.remaining, step.task_state.started_at))
    return steps


def reviewable_states(user: AbstractBaseUser, user_group_ids: set[int]) -> QuerySet[SOPTaskState]:
    """Steps in progress held by one of ``user``'s groups, of concepts ``user`` is not the author of."""
    return (
        in_progress_states()
        .filter(task__soptask__groups__in=user_group_ids)
        .exclude(authored_runs(user, "workflow_state__"))
        .distinct()
    )


def awaiting_review(user: AbstractBaseUser, **kwargs: Any) -> list[PendingStep]:
    """The steps ``user`` can act on (a member of the step's role, not the author), most urgent first."""
    if not user.is_authenticated or not user.is_active:
        return []
    user_group_ids = set(user.groups.values_list("id", flat=True))
    if not user_group_ids:
        return []
    states = reviewable_states(user, user_group_ids)
    return [step for step in load(states, **kwargs) if step.is_reviewer(user, user_group_ids)]


def ranked(
    states: QuerySet[SOPTaskState], *, limit: int | None, late_only: bool = False, **kwargs: Any
) -> tuple[list[PendingStep], int]:
    """The ``limit`` most urgent steps of ``states`` (all when None), and how many there are in all.

    Every clock is computed from four columns of each task state; only the steps shown are loaded
    whole (task state, workflow, task, page), so a dashboard with a thousand items in moderation
    does not build a thousand sets of model instances to show twenty.
    """
    now = kwargs.setdefault("now", timezone.now())
    calendar = kwargs.setdefault("calendar", WorkCalendar.load())
    rows = []
    for pk, started_at, finished_at, minutes in states.values_list(
        "pk", "started_at", "finished_at", "standard_minutes"
    ):
        remaining = dt.timedelta(minutes=minutes or 0) - calendar.office_duration(
            started_at, finished_at or now
        )
        if late_only and remaining >= dt.timedelta(0):
            continue
        rows.append((remaining, started_at, pk))
    rows.sort()
    chosen = [pk for _, _, pk in (rows if limit is None else rows[:limit])]
    return load(in_progress_states().filter(pk__in=chosen), **kwargs), len(rows)


def for_page(page: Page, **kwargs: Any) -> PendingStep | None:
    """The step a page is at, or None when it is not in moderation."""
    states = in_progress_states().filter(
        workflow_state__object_id=str(page.pk),
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
    )
    steps = load(states, **kwargs)
    return steps[0] if steps else None
