"""The SOP's approval steps as Wagtail tasks, and the task state that keeps each step's clock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.models import AbstractGroupApprovalTask, Task, TaskState

from sop_workflow.authors import authored_runs, is_author
from sop_workflow.forms import ApproveForm, RequestChangesForm
from sop_workflow.sop import ROLES, STEPS

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


#: The dashboard's query parameter naming the step its reader just decided (sop_workflow.admin.dashboard).
DONE_PARAMETER = "selesai"


class SOPTaskState(TaskState):
    """A step in progress or done, with the time standard in force when it started."""

    standard_minutes = models.PositiveIntegerField(
        _("mutu baku waktu (menit)"),
        help_text=_("Standar waktu yang berlaku saat langkah ini dimulai; tidak berubah bila SOP direvisi."),
    )

    #: The revision this step approved or sent back: the latest one when its reviewer acted, so a
    #: correction made at this step is part of what it judged (``SOPTask.on_action``).
    judged_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revisi yang dinilai"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("status langkah SOP")
        verbose_name_plural = _("status langkah SOP")

    def save(self, *args, **kwargs):
        if self._state.adding and self.standard_minutes is None:
            self.standard_minutes = self.task.specific.standard_minutes
        super().save(*args, **kwargs)


class SOPTask(AbstractGroupApprovalTask):
    """One approval step of the SOP: a member of the step's role approves, corrects or sends it back."""

    step_key = models.CharField(
        _("langkah"),
        max_length=20,
        choices=[(key, step.name) for key, step in STEPS.items()],
        help_text=_("Langkah SOP yang dijalankan tugas ini."),
    )
    role = models.CharField(
        _("peran"), max_length=2, choices=[(role.value, info.group_name) for role, info in ROLES.items()]
    )
    sop_step = models.PositiveSmallIntegerField(_("nomor langkah SOP"))
    standard_minutes = models.PositiveIntegerField(
        _("mutu baku waktu (menit)"),
        help_text=_("Standar waktu langkah ini. Revisi hanya berlaku untuk langkah yang dimulai sesudahnya."),
    )
    publishes = models.BooleanField(
        _("menerbitkan"),
        default=False,
        help_text=_("Langkah terakhir: persetujuan langsung menerbitkan konten."),
    )

    admin_form_fields = [
        *Task.admin_form_fields,
        "step_key",
        "role",
        "sop_step",
        "groups",
        "standard_minutes",
        "publishes",
    ]
    #: A step's SOP identity and who holds it are fixed by setup ("changing the person responsible voids
    #: it"); its time standard stays editable (the SOP allows revision).
    admin_form_readonly_on_edit_fields = [
        *Task.admin_form_readonly_on_edit_fields,
        "step_key",
        "role",
        "sop_step",
        "groups",
        "publishes",
    ]
    task_state_class = SOPTaskState

    class Meta:
        verbose_name = _("langkah SOP")
        verbose_name_plural = _("langkah SOP")

    # --- who may act ----------------------------------------------------------------------
    def user_is_reviewer(self, obj: Any, user: AbstractBaseUser, workflow_state=None) -> bool:
        """A member of this step's role who is not the concept's author."""
        if not user or not user.is_authenticated or not user.is_active:
            return False
        return self._user_in_groups(user) and not is_author(obj, user, workflow_state)

    # The publishing step ("unggah") publishes what the content steps approved; it never edits, so
    # its reviewer gets no editor and the page stays locked while it waits there.
    def user_can_access_editor(self, obj, user):
        return not self.publishes and self.user_is_reviewer(obj, user)

    def locked_for_user(self, obj, user):
        return self.publishes or not self.user_is_reviewer(obj, user)

    def user_can_lock(self, obj, user):
        return not self.publishes and self.user_is_reviewer(obj, user)

    def get_actions(self, obj, user):
        if not self.user_is_reviewer(obj, user):
            return []
        return self.reviewer_actions()

    def reviewer_actions(self) -> list[tuple[str, Any, bool]]:
        """The actions of a reviewer of this step (for lists that already know who reviews)."""
        approve = _("Setujui dan terbitkan") if self.publishes else _("Setujui")
        approve_comment = (
            _("Setujui dan terbitkan dengan komentar") if self.publishes else _("Setujui dengan komentar")
        )
        # Approval first, the request for changes last and apart (it opens a dialog for the note): one
        # tap approves, and the two are never next to each other.
        return [
            ("approve", approve, False),
            ("approve", approve_comment, True),
            ("reject", _("Minta perbaikan…"), True),
        ]

    def get_form_for_action(self, action):
        return RequestChangesForm if action == "reject" else ApproveForm

    def get_template_for_action(self, action):
        """The step's own dialog (Wagtail's, with its fields in <div>s: axe "list")."""
        return "sop_workflow/workflow_action_modal.html"

    def start(self, workflow_state, user=None):
        """Start this step; a resubmission after the publishing step sent the concept back goes
        through the last content approver first (the publishing step does not judge content)."""
        if self.publishes:
            last = (
                SOPTaskState.objects.filter(workflow_state=workflow_state)
                .order_by("-started_at", "-pk")
                .first()
            )
            if last is not None and last.task_id == self.pk and last.status == TaskState.STATUS_REJECTED:
                previous = self.previous_task(workflow_state.workflow)
                if previous is not None:
                    return previous.start(workflow_state, user=user)
        return super().start(workflow_state, user=user)

    def previous_task(self, workflow) -> SOPTask | None:
        """The active step before this one in ``workflow``."""
        tasks = [
            task.specific
            for task in workflow.tasks.filter(active=True).order_by("workflow_tasks__sort_order")
        ]
        position = next((index for index, task in enumerate(tasks) if task.pk == self.pk), None)
        return tasks[position - 1] if position else None

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        # Lock the step so that two approvers acting at the same moment give one transition, not two.
        locked = TaskState.objects.select_for_update().get(pk=task_state.pk)
        if locked.status != TaskState.STATUS_IN_PROGRESS:
            raise PermissionDenied(_("Langkah ini sudah diselesaikan oleh orang lain."))
        workflow_state = task_state.workflow_state
        obj = workflow_state.content_object
        if not self.user_is_reviewer(obj, user, workflow_state):
            raise PermissionDenied(_("Anda tidak berwenang bertindak pada langkah ini."))
        if action_name == "reject" and not (kwargs.get("comment") or "").strip():
            raise PermissionDenied(_("Tuliskan apa yang perlu diperbaiki."))
        if action_name in ("approve", "reject"):
            # What this step judged: the latest revision, its reviewer's own corrections included.
            judged = obj.get_latest_revision()
            SOPTaskState.objects.filter(pk=task_state.pk).update(judged_revision=judged)
            if isinstance(task_state, SOPTaskState):
                task_state.judged_revision = judged
        # Only what the action's form declares: a crafted "update": false would stall the run.
        super().on_action(task_state, user, action_name, comment=kwargs.get("comment") or "")
        if getattr(obj, "locked", False) and obj.locked_by_id == user.pk:
            # A reviewer's lock ends with their decision: it must never keep the author from saving.
            type(obj).objects.filter(pk=obj.pk).update(locked=False, locked_by=None, locked_at=None)
        # Wagtail's workflow action view redirects here: the dashboard says what happened next.
        return reverse("wagtailadmin_home") + f"?{DONE_PARAMETER}={task_state.pk}"

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not self._user_in_groups(user):
            return TaskState.objects.none()
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return states.exclude(authored_runs(user, "workflow_state__"))

    @classmethod
    def get_description(cls):
        return _("Langkah persetujuan SOP: anggota peran langkah ini menyetujui atau mengoreksi konten.")
