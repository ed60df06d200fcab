"""Freezing approval records and verifying them (SOP: "Pencatatan dan pendataan").

Every run of a page's workflow is frozen once, as it ends (published, cancelled, restarted, or a
publication outside the chain), with the SHA-256 of each revision judged and of every file published,
in a hash chain. :func:`verify_chain` checks the chain, :func:`verify_content` that the revisions
and files the records cite are still what was approved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision, TaskState, WorkflowState
from wagtail.signals import workflow_approved, workflow_cancelled

from kpu_pages.kinds import kind_for_page
from kpu_site.dates import format_date as format_date
from kpu_site.dates import format_datetime as format_datetime
from sop_workflow import authoring
from sop_workflow.clock import WIB, WorkCalendar, format_duration
from sop_workflow.enforcement import approved_revision
from sop_workflow.models import GENESIS_HASH, ArsipPersetujuan, ArsipRantai, SOPTask, SOPTaskState
from sop_workflow.revision_diff import content_hash, revision_hash, summarise_changes
from sop_workflow.sop import ROLES, SOP_IDENTITY

#: How a step ended, as a person reads it.
DECISIONS: dict[str, str] = {
    TaskState.STATUS_APPROVED: "disetujui",
    TaskState.STATUS_REJECTED: "minta perbaikan",
    TaskState.STATUS_CANCELLED: "dibatalkan",
    TaskState.STATUS_SKIPPED: "dilewati",
    TaskState.STATUS_IN_PROGRESS: "belum selesai",
}

#: How a run ended, as a person reads it (the record's ``outcome``).
OUTCOMES: dict[str, str] = {key: str(label) for key, label in ArsipPersetujuan.OUTCOMES}
#: Bytes read at a time when a file is hashed.
CHUNK = 1024 * 1024


# --- durations and people as a person reads them (dates: kpu_site.dates, re-exported above) ----
def format_seconds(seconds: int | None) -> str:
    """A duration in Indonesian, e.g. "1 jam 5 menit"; under an hour to the second ("5 menit 40 detik"),
    so a step just over its standard never reads as exactly on it."""
    if seconds is None:
        return "—"
    if 60 <= seconds < 3600 and seconds % 60:
        return f"{seconds // 60} menit {seconds % 60} detik"
    return format_duration(dt.timedelta(seconds=seconds))


def person_username(user) -> str:
    return user.get_username() if user is not None else ""


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


# --- the revisions a run's steps received and judged ------------------------------------------
class RevisionBook:
    """The revisions a run's steps cite (content loaded once) and who saved revisions meanwhile."""

    def __init__(self, workflow_state: WorkflowState, states: list[SOPTaskState]):
        cited = {pk for state in states for pk in (state.revision_id, state.judged_revision_id) if pk}
        self.revisions = {
            revision.pk: revision
            for revision in Revision.objects.filter(pk__in=cited).select_related("content_type")
        }
        self.hashes = {pk: revision_hash(revision) for pk, revision in self.revisions.items()}
        first = min((state.revision_id for state in states if state.revision_id), default=None)
        saved = Revision.objects.filter(
            base_content_type_id=workflow_state.base_content_type_id,
            object_id=workflow_state.object_id,
            pk__gt=first or 0,
        )
        #: (id, author id, author's username, created at) of every revision saved during the run
        self.saved = list(saved.order_by("pk").values_list("pk", "user_id", "user__username", "created_at"))

    def judged(self, state: SOPTaskState) -> Revision | None:
        """What the step approved or sent back; states from before ``judged_revision``: what it received."""
        return self.revisions.get(state.judged_revision_id) or self.revisions.get(state.revision_id)

    def saved_during(self, state: SOPTaskState) -> list[tuple[int, int | None, str | None, dt.datetime]]:
        """Revisions saved after the one the step received and up to its decision."""
        if state.finished_at is None:
            return []
        if state.judged_revision_id:
            return [row for row in self.saved if state.revision_id < row[0] <= state.judged_revision_id]
        return [row for row in self.saved if row[0] > state.revision_id and row[3] <= state.finished_at]

    def step_fields(self, state: SOPTaskState) -> dict[str, Any]:
        """``corrected``: the step's reviewer saved revisions during the step and (where the judged
        revision is known) what they judged differs from what they received; saving the draft
        unchanged is no correction."""
        judged, received = self.judged(state), self.revisions.get(state.revision_id)
        saved = self.saved_during(state)
        changes = summarise_changes(received, judged)
        decided = state.status in (TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED)
        by_reviewer = any(user_id == state.finished_by_id for _pk, user_id, _u, _c in saved)
        return {
            "revision_id": judged.pk if judged else None,
            "revision_hash": self.hashes.get(judged.pk, "") if judged else "",
            "received_revision_id": state.revision_id,
            "corrected": decided and by_reviewer and (bool(changes) or not state.judged_revision_id),
            "edited_by": sorted({username for _pk, _id, username, _c in saved if username}),
            "changes": changes,
        }


# --- what a record holds -----------------------------------------------------------------------
def step_entries(workflow_state: WorkflowState, calendar: WorkCalendar | None = None) -> list[dict[str, Any]]:
    """Every step of a workflow run, in the order they started, rejected rounds included.

    Besides who decided what and when, each step names the revision it judged (``revision_id``,
    ``revision_hash``), the one it received (``received_revision_id``), whether its reviewer corrected
    the content at that step (``corrected``) and what changed between the two (``changes``).
    """
    calendar = calendar or WorkCalendar.load()
    states = list(
        SOPTaskState.objects.filter(workflow_state=workflow_state)
        .select_related("finished_by", "revision", "judged_revision")
        .order_by("started_at", "pk")
    )
    tasks = {task.pk: task for task in SOPTask.objects.filter(pk__in={state.task_id for state in states})}
    book = RevisionBook(workflow_state, states)
    entries = []
    previous = None
    for order, state in enumerate(states, start=1):
        # What the author changed in answer to a request for changes, before this step received it.
        author_changes = (
            summarise_changes(previous.judged_revision or previous.revision, state.revision)
            if previous is not None and previous.status == TaskState.STATUS_REJECTED
            else []
        )
        previous = state
        cancelled = state.status == TaskState.STATUS_CANCELLED
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
                # A cancelled step was decided by nobody at that step: who ended the run is the record's.
                "person_name": "" if cancelled else person_name(state.finished_by),
                "person_username": person_username(None if cancelled else state.finished_by),
                "status": state.status,
                "decision": DECISIONS.get(state.status, state.status),
                "author_changes": author_changes,
                "comment": state.comment or "",
                "started_at": state.started_at.astimezone(WIB).isoformat(),
                "finished_at": end.astimezone(WIB).isoformat() if end else None,
                "wall_seconds": int(wall.total_seconds()) if wall is not None else None,
                "office_seconds": int(office.total_seconds()) if office is not None else None,
                "standard_minutes": standard,
                # A cancelled step was nobody's work: it is not judged against its standard.
                "within_standard": (office <= dt.timedelta(minutes=standard))
                if office is not None and not cancelled
                else None,
                **book.step_fields(state),
            }
        )
    return entries


def public_url(page: Page) -> str:
    """The page's address on BASE_URL (``WAGTAILADMIN_BASE_URL``), never a Site record's hostname."""
    try:
        parts = page.get_url_parts()
    except Exception:  # noqa: BLE001 - a page outside any site still gets its record
        return ""
    if not parts or not parts[2]:
        return ""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + parts[2]


def _content_fields(page: Page, title: str | None = None) -> dict[str, Any]:
    page = page.specific
    kind = kind_for_page(page)
    return {
        "kind_key": kind.key if kind else "",
        "kind_label": kind.label if kind else str(page._meta.verbose_name).capitalize(),
        "title": (title or page.title)[:255],
        "url": public_url(page)[:500],
        "page_id": page.pk,
    }


def _sop_fields() -> dict[str, Any]:
    return {
        "sop_name": SOP_IDENTITY.name,
        "sop_number": SOP_IDENTITY.number,
        "sop_effective_on": SOP_IDENTITY.effective_on,
    }


def _person_fields(prefix: str, user) -> dict[str, str]:
    return {f"{prefix}_name": person_name(user), f"{prefix}_username": user.get_username() if user else ""}


# --- the files a publication shows -------------------------------------------------------------
def file_sha256(field_file) -> str:
    """SHA-256 of a stored file's bytes, read in chunks (local disk or object storage alike)."""
    digest = hashlib.sha256()
    with field_file.storage.open(field_file.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_models() -> dict[str, type]:
    return {"document": get_document_model(), "image": get_image_model()}


def file_entry(kind: str, obj) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": kind, "id": obj.pk, "title": obj.title, "file": obj.file.name}
    try:
        entry["sha256"] = file_sha256(obj.file)
    except Exception as error:  # noqa: BLE001 - an unreadable file is recorded as such, not skipped
        entry.update(sha256="", error=f"{type(error).__name__}: {error}"[:300])
    return entry


def published_files(page: Page) -> list[dict[str, Any]]:
    """Every document and image the page (as it is published) references, with its file's hash."""
    models = file_models()
    content_types = {ContentType.objects.get_for_model(model).pk: kind for kind, model in models.items()}
    wanted: dict[str, set[int]] = {kind: set() for kind in models}
    for content_type_id, object_id in _file_references(page.specific, list(content_types)):
        wanted[content_types[content_type_id]].add(int(object_id))
    entries = []
    for kind, ids in wanted.items():
        for obj in models[kind].objects.filter(pk__in=ids).order_by("pk"):
            entries.append(file_entry(kind, obj))
    return entries


def _file_references(page: Page, content_type_ids: list[int]) -> list[tuple[int, str]]:
    """(content type id, object id) of what ``page`` as given references, through Wagtail's reference
    index: computed for this very object in a savepoint that is then rolled back. A publication is
    frozen before Wagtail updates the index (and a "di luar SOP" one before the page row itself is
    saved; a scheduled one may not save it for days), so the stored index is left as Wagtail keeps it.
    """
    with transaction.atomic():
        ReferenceIndex.create_or_update_for_object(page)
        references = list(
            ReferenceIndex.get_references_for_object(page)
            .filter(to_content_type_id__in=content_type_ids)
            .values_list("to_content_type_id", "to_object_id")
            .distinct()
        )
        transaction.set_rollback(True)
    return references


# --- appending ---------------------------------------------------------------------------------
@transaction.atomic
def append(**fields: Any) -> ArsipPersetujuan:
    """Append one record to the chain, holding the chain head's row lock until the transaction ends,
    so that two records at the same moment never fork the chain."""
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


def _page_of(workflow_state: WorkflowState) -> Page | None:
    model = workflow_state.base_content_type.model_class()
    if model is None or not issubclass(model, Page):
        return None  # a snippet workflow: the SOP archives pages
    return Page.objects.filter(pk=workflow_state.object_id).first()


def _run_fields(workflow_state: WorkflowState) -> dict[str, Any]:
    return {
        "authoring": authoring.entry(authoring.for_run(workflow_state), WorkCalendar.load()),
        "outside_sop": False,
        "chain_name": workflow_state.workflow.name,
        "workflow_state_id": workflow_state.pk,
        **_person_fields("submitted_by", workflow_state.requested_by),
        "submitted_at": workflow_state.created_at,
    }


@transaction.atomic
def freeze_workflow(workflow_state: WorkflowState, user=None) -> ArsipPersetujuan | None:
    """The record of a revision published by the chain's last step."""
    page = _page_of(workflow_state)
    if page is None:
        return None
    page = page.specific
    # What the chain published (or scheduled): the last content step's approval, not the live row,
    # which a scheduled publication has not replaced yet.
    published = approved_revision(workflow_state) or page.live_revision
    shown = published.as_object() if published else page
    return append(
        **_sop_fields(),
        **_content_fields(shown),
        **_run_fields(workflow_state),
        revision_id=published.pk if published else None,
        revision_hash=revision_hash(published) if published else "",
        files=published_files(shown),
        outcome=ArsipPersetujuan.OUTCOME_PUBLISHED,
        **_person_fields("published_by", user),
        **_person_fields("ended_by", user),
        steps=step_entries(workflow_state),
    )


@transaction.atomic
def freeze_outside_chain(page: Page, revision, user, reason: str) -> ArsipPersetujuan:
    """The record of a superuser's publication outside the chain ("di luar SOP").

    Frozen just before Wagtail publishes ``revision``: ``page`` is that revision as an object, so its
    files are the ones about to go live.
    """
    return append(
        **_sop_fields(),
        **_content_fields(page),
        revision_id=revision.pk if revision else None,
        revision_hash=revision_hash(revision) if revision else "",
        files=published_files(page),
        outcome=ArsipPersetujuan.OUTCOME_PUBLISHED,
        outside_sop=True,
        bypass_reason=reason,
        chain_name="",
        **_person_fields("published_by", user),
        **_person_fields("ended_by", user),
        steps=[],
    )


@transaction.atomic
def freeze_run(workflow_state: WorkflowState, outcome: str, user, reason: str) -> ArsipPersetujuan | None:
    """The record of a run that ended without publication: cancelled or restarted, with its steps.

    It cites the last revision the run's steps judged (or received), with that revision's hash.
    """
    if outcome not in (ArsipPersetujuan.OUTCOME_CANCELLED, ArsipPersetujuan.OUTCOME_RESTARTED):
        raise ValueError(f"not the outcome of an unpublished run: {outcome!r}")
    page = _page_of(workflow_state)
    if page is None or ArsipPersetujuan.objects.filter(workflow_state_id=workflow_state.pk).exists():
        return None
    steps = step_entries(workflow_state)
    last = next((step for step in reversed(steps) if step["revision_id"]), None)
    return append(
        **_sop_fields(),
        **_content_fields(page, title=page.draft_title or page.title),
        **_run_fields(workflow_state),
        revision_id=last["revision_id"] if last else None,
        revision_hash=last["revision_hash"] if last else "",
        files=[],
        outcome=outcome,
        reason=reason,
        **_person_fields("ended_by", user),
        steps=steps,
    )


# --- how a run ends ----------------------------------------------------------------------------
_ending: ContextVar[tuple[str, str] | None] = ContextVar("sop_archive_ending", default=None)


@contextmanager
def ending_run(outcome: str, reason: str) -> Iterator[None]:
    """Wrap ``workflow_state.cancel()``: the run is archived with this outcome and reason."""
    if outcome not in (ArsipPersetujuan.OUTCOME_CANCELLED, ArsipPersetujuan.OUTCOME_RESTARTED):
        raise ValueError(f"not the outcome of an unpublished run: {outcome!r}")
    token = _ending.set((outcome, reason))
    try:
        yield
    finally:
        _ending.reset(token)


def guess_reason(workflow_state: WorkflowState, user) -> str:
    """Why a run was cancelled outside :func:`ending_run`, when it can be told: a publication."""
    page = _page_of(workflow_state)
    if page is None or not page.live or not page.last_published_at:
        return ""
    if page.last_published_at < workflow_state.created_at:
        return ""
    record = ArsipPersetujuan.objects.filter(page_id=page.pk).order_by("-sequence").first()
    if record and record.outside_sop and record.revision_id == page.live_revision_id:
        return (
            f"Alur dihentikan karena konten diterbitkan di luar SOP oleh {record.published_by_name} "
            f"({record.published_by_username}). Alasan: {record.bypass_reason}"
        )
    who = f"{person_name(user)} ({user.get_username()})" if user else "sistem (terbit terjadwal)"
    return f"Alur dihentikan karena konten diterbitkan oleh {who}."


def on_workflow_approved(sender, instance: WorkflowState, user=None, **kwargs: Any) -> None:
    if _page_of(instance) is not None:
        freeze_workflow(instance, user)


def on_workflow_cancelled(sender, instance: WorkflowState, user=None, **kwargs: Any) -> None:
    if _page_of(instance) is None:
        return
    ending = _ending.get()
    outcome, reason = ending or (ArsipPersetujuan.OUTCOME_CANCELLED, guess_reason(instance, user))
    freeze_run(instance, outcome, user, reason)


def connect() -> None:
    workflow_approved.connect(on_workflow_approved, sender=WorkflowState, dispatch_uid="sop_archive_freeze")
    workflow_cancelled.connect(
        on_workflow_cancelled, sender=WorkflowState, dispatch_uid="sop_archive_freeze_cancelled"
    )


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


@dataclass(frozen=True)
class ContentReport:
    """The second check: the revisions and files the records cite still hash to what was recorded."""

    records: int
    revisions: int
    files: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def cited_revisions(record: ArsipPersetujuan) -> list[tuple[int, str, str]]:
    """(revision id, recorded hash, where it is cited) of the published revision and every step."""
    cited = []
    if record.revision_id and record.revision_hash:
        where = "revisi yang diterbitkan" if record.outcome == record.OUTCOME_PUBLISHED else "revisi terakhir"
        cited.append((record.revision_id, record.revision_hash, where))
    for step in record.steps:
        if step.get("revision_id") and step.get("revision_hash"):
            where = f"langkah {step.get('order')} ({step.get('step_name') or step.get('step_key')})"
            cited.append((step["revision_id"], step["revision_hash"], where))
    return cited


FILE_NOUNS = {"document": "dokumen", "image": "gambar"}


def _file_problem(entry: dict[str, Any], models: dict[str, type]) -> str | None:
    """Why a recorded file no longer matches, or None when it does (or was unreadable when frozen)."""
    if not entry.get("sha256"):
        return None
    noun = FILE_NOUNS.get(entry.get("type", ""), "berkas")
    name = f"{noun} «{entry.get('title', '')}» (id {entry.get('id')}, berkas {entry.get('file', '')})"
    model = models.get(entry.get("type", ""))
    obj = model.objects.filter(pk=entry.get("id")).first() if model else None
    if obj is None:
        return f"{name} telah dihapus"
    try:
        digest = file_sha256(obj.file)
    except Exception as error:  # noqa: BLE001 - a missing or unreadable file is a finding
        return f"{name} tidak dapat dibaca ({type(error).__name__})"
    if digest != entry["sha256"]:
        if obj.file.name != entry.get("file"):
            return f"{name} telah diganti dengan berkas lain ({obj.file.name}): hash tidak cocok"
        return f"isi {name} tidak cocok dengan hash yang tercatat (berkas telah diganti)"
    return None


def page_deleted_in_admin(page_id: int) -> bool:
    """The page is gone and Wagtail's history records its deletion (so its revisions went with it)."""
    return (
        not Page.objects.filter(pk=page_id).exists()
        and PageLogEntry.objects.filter(page_id=page_id, action="wagtail.delete").exists()
    )


def _revision_problem(record: ArsipPersetujuan, cited: list[tuple[int, str, str]]) -> str | None:
    contents = dict(Revision.objects.filter(pk__in={pk for pk, _h, _w in cited}).values_list("pk", "content"))
    for pk, expected, where in cited:
        if pk not in contents:
            if page_deleted_in_admin(record.page_id):
                return None  # Wagtail deletes a page's revisions with it; its history logs the deletion
            page_gone = not Page.objects.filter(pk=record.page_id).exists()
            return f"{where}: revisi ID {pk} telah dihapus" + (
                f" (halaman ID {record.page_id} juga telah dihapus tanpa tercatat)" if page_gone else ""
            )
        if content_hash(contents[pk]) != expected:
            return f"{where}: isi revisi ID {pk} tidak cocok dengan hash yang tercatat (revisi telah diubah)"
    return None


def verify_content() -> ContentReport:
    """Recompute the hash of every revision and file the records cite, oldest record first; stop at the
    first that no longer matches (a deleted revision or file is a finding too)."""
    models = file_models()
    records = revisions = files = 0
    for record in ArsipPersetujuan.objects.order_by("sequence").iterator(chunk_size=200):
        records += 1
        cited = cited_revisions(record)
        reason = _revision_problem(record, cited) if cited else None
        revisions += len({pk for pk, _h, _w in cited})
        for entry in record.files if reason is None else []:
            reason = _file_problem(entry, models)
            files += 1
            if reason:
                break
        if reason:
            return ContentReport(
                records, revisions, files, ChainProblem(record.pk, record.sequence, record.title, reason)
            )
    return ContentReport(records, revisions, files, None)
