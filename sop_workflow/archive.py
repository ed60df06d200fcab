"""Freezing approval records and verifying their hash chain (SOP: "Pencatatan dan pendataan").

A record is frozen when the chain's last step publishes a revision (``workflow_approved``) and when a
superuser publishes outside the chain (``bypass.record_bypass``). Appending locks the chain head, so
two publications at the same moment never fork the chain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page, TaskState, WorkflowState
from wagtail.signals import workflow_approved

from sop_workflow.clock import WIB, WorkCalendar
from sop_workflow.models import GENESIS_HASH, ArsipPersetujuan, ArsipRantai, SOPTask, SOPTaskState
from sop_workflow.sop import ROLES, SOP_IDENTITY

#: How a step ended, as a person reads it.
DECISIONS: dict[str, str] = {
    TaskState.STATUS_APPROVED: "disetujui",
    TaskState.STATUS_REJECTED: "minta perbaikan",
    TaskState.STATUS_CANCELLED: "dibatalkan",
    TaskState.STATUS_SKIPPED: "dilewati",
    TaskState.STATUS_IN_PROGRESS: "belum selesai",
}

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


# --- Indonesian dates --------------------------------------------------------------------------
def format_date(value: dt.date | None) -> str:
    """ "23 November 2026"."""
    if value is None:
        return "—"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: dt.datetime | str | None) -> str:
    """ "23 November 2026 pukul 09.00 WIB" (always in WIB)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    local = value.astimezone(WIB)
    return f"{format_date(local.date())} pukul {local:%H.%M} WIB"


def format_seconds(seconds: int | None) -> str:
    """A duration in Indonesian, e.g. "1 jam 5 menit"."""
    from sop_workflow.clock import format_duration

    if seconds is None:
        return "—"
    return format_duration(dt.timedelta(seconds=seconds))


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


# --- what a record holds -----------------------------------------------------------------------
def step_entries(workflow_state: WorkflowState, calendar: WorkCalendar | None = None) -> list[dict[str, Any]]:
    """Every step of a workflow run, in the order they started, rejected rounds included."""
    calendar = calendar or WorkCalendar.load()
    states = list(
        SOPTaskState.objects.filter(workflow_state=workflow_state)
        .select_related("finished_by")
        .order_by("started_at", "pk")
    )
    tasks = {task.pk: task for task in SOPTask.objects.filter(pk__in={state.task_id for state in states})}
    entries = []
    for order, state in enumerate(states, start=1):
        task = tasks.get(state.task_id)
        role = ROLES.get(task.role) if task else None  # type: ignore[call-overload]
        end = state.finished_at
        office = calendar.office_duration(state.started_at, end) if end else None
        wall = max(end - state.started_at, dt.timedelta(0)) if end else None
        standard = state.standard_minutes
        entries.append(
            {
                "order": order,
                "step_key": task.step_key if task else "",
                "step_name": task.name if task else "",
                "sop_step": task.sop_step if task else None,
                "role": role.group_name if role else "",
                "person_name": person_name(state.finished_by),
                "person_username": state.finished_by.get_username() if state.finished_by else "",
                "status": state.status,
                "decision": DECISIONS.get(state.status, state.status),
                "comment": state.comment or "",
                "started_at": state.started_at.astimezone(WIB).isoformat(),
                "finished_at": end.astimezone(WIB).isoformat() if end else None,
                "wall_seconds": int(wall.total_seconds()) if wall is not None else None,
                "office_seconds": int(office.total_seconds()) if office is not None else None,
                "standard_minutes": standard,
                "within_standard": (office <= dt.timedelta(minutes=standard)) if office is not None else None,
            }
        )
    return entries


def _content_fields(page: Page) -> dict[str, Any]:
    from kpu_pages.kinds import kind_for_page

    page = page.specific
    kind = kind_for_page(page)
    try:
        url = page.get_full_url() or ""
    except Exception:  # noqa: BLE001 - a page outside any site still gets its record
        url = ""
    return {
        "kind_key": kind.key if kind else "",
        "kind_label": kind.label if kind else str(page._meta.verbose_name).capitalize(),
        "title": page.title[:255],
        "url": url[:500],
        "page_id": page.pk,
    }


def _sop_fields() -> dict[str, Any]:
    return {
        "sop_name": SOP_IDENTITY.name,
        "sop_number": SOP_IDENTITY.number,
        "sop_effective_on": SOP_IDENTITY.effective_on,
    }


@transaction.atomic
def append(**fields: Any) -> ArsipPersetujuan:
    """Append one record to the chain, holding the chain head's row lock until the transaction ends."""
    head, _created = ArsipRantai.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_sequence": 0, "last_hash": GENESIS_HASH}
    )
    record = ArsipPersetujuan(
        sequence=head.last_sequence + 1,
        created_at=timezone.now(),
        previous_hash=head.last_hash,
        **fields,
    )
    record.record_hash = record.compute_hash()
    record.save()
    ArsipRantai.objects.filter(pk=head.pk).update(last_sequence=record.sequence, last_hash=record.record_hash)
    return record


def freeze_workflow(workflow_state: WorkflowState, user=None) -> ArsipPersetujuan | None:
    """The record of a revision published by the chain's last step."""
    try:
        page = Page.objects.get(pk=workflow_state.object_id)
    except (Page.DoesNotExist, ValueError):
        return None  # a snippet workflow: the SOP archives pages
    requested_by = workflow_state.requested_by
    return append(
        **_sop_fields(),
        **_content_fields(page),
        revision_id=page.live_revision_id,
        outside_sop=False,
        chain_name=workflow_state.workflow.name,
        workflow_state_id=workflow_state.pk,
        submitted_by_name=person_name(requested_by),
        submitted_by_username=requested_by.get_username() if requested_by else "",
        submitted_at=workflow_state.created_at,
        published_by_name=person_name(user),
        published_by_username=user.get_username() if user else "",
        steps=step_entries(workflow_state),
    )


def freeze_outside_chain(page: Page, revision, user, reason: str) -> ArsipPersetujuan:
    """The record of a superuser's publication outside the chain ("di luar SOP")."""
    return append(
        **_sop_fields(),
        **_content_fields(page),
        revision_id=revision.pk if revision else None,
        outside_sop=True,
        bypass_reason=reason,
        chain_name="",
        published_by_name=person_name(user),
        published_by_username=user.get_username() if user else "",
        steps=[],
    )


def on_workflow_approved(sender, instance: WorkflowState, user=None, **kwargs: Any) -> None:
    model = instance.base_content_type.model_class()
    if model is not None and issubclass(model, Page):
        freeze_workflow(instance, user)


def connect() -> None:
    workflow_approved.connect(on_workflow_approved, sender=WorkflowState, dispatch_uid="sop_archive_freeze")


# --- verification ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChainProblem:
    record_id: int | None
    sequence: int | None
    title: str
    reason: str

    def __str__(self) -> str:
        if self.record_id is None:
            return self.reason
        return f"Catatan #{self.sequence} (id {self.record_id}, konten '{self.title}'): {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    count: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain() -> ChainReport:
    """Recompute every record's hash and link, oldest first; stop at the first broken record."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    count = 0
    for record in ArsipPersetujuan.objects.order_by("sequence").iterator(chunk_size=500):
        count += 1
        if record.sequence != expected_sequence:
            return ChainReport(
                count,
                ChainProblem(
                    record.pk,
                    record.sequence,
                    record.title,
                    f"tautan rantai putus (nomor urut {expected_sequence} hilang)",
                ),
            )
        if record.previous_hash != expected_previous:
            return ChainReport(
                count,
                ChainProblem(
                    record.pk,
                    record.sequence,
                    record.title,
                    "tautan rantai putus (hash catatan sebelumnya tidak cocok)",
                ),
            )
        if record.compute_hash() != record.record_hash:
            return ChainReport(
                count,
                ChainProblem(
                    record.pk,
                    record.sequence,
                    record.title,
                    "hash isi tidak cocok (isi catatan telah diubah)",
                ),
            )
        expected_previous = record.record_hash
        expected_sequence += 1
    head = ArsipRantai.objects.filter(pk=1).first()
    last = (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)
    if last != (expected_sequence - 1, expected_previous):
        return ChainReport(
            count,
            ChainProblem(
                None,
                None,
                "",
                f"Kepala rantai menunjuk catatan #{last[0]}, tetapi catatan terakhir yang utuh "
                f"adalah #{expected_sequence - 1}: catatan terakhir telah dihapus.",
            ),
        )
    return ChainReport(count, None)
