"""Revisions while a page is in the chain: only the current step's reviewer adds one; none is rewritten.

While a run is in progress, a new revision comes only from a reviewer of the current content step or
from the system, by whatever route (editor, API revert, a script). A revision a step judged, an archive
record cites or that was ever live is sealed: Wagtail's autosave may not overwrite it in place
(``overwrite_revision_id``). Both raise ``PermissionDenied``, shown as a message; the save rolls back.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState

from sop_workflow.models import ArsipPersetujuan, SOPTask, SOPTaskState

SEALED_MESSAGE = (
    "Revisi ini sudah dinilai dalam alur SOP atau sudah pernah terbit, sehingga tidak dapat ditimpa. "
    "Simpan perubahan Anda sebagai revisi baru."
)


def is_sealed(revision_id: int) -> bool:
    """True when a step judged this revision, an archive record cites it or it was ever live."""
    return (
        TaskState.objects.filter(revision_id=revision_id).exists()
        or SOPTaskState.objects.filter(judged_revision_id=revision_id).exists()
        or Page.objects.filter(live_revision_id=revision_id).exists()
        or PageLogEntry.objects.filter(revision_id=revision_id, action="wagtail.publish").exists()
        or ArsipPersetujuan.objects.filter(revision_id=revision_id).exists()
    )


IN_CHAIN_MESSAGE = (
    "Konten ini sedang dalam alur SOP: hanya peninjau langkah yang sedang berjalan yang dapat "
    "mengoreksinya. Perubahan tidak disimpan."
)


def may_add_revision(revision: Revision) -> bool:
    """No run in progress, the system itself, or a reviewer of the current content step."""
    if revision.user_id is None or revision.base_content_type_id != _page_content_type_id():
        return True
    state = (
        WorkflowState.objects.filter(
            base_content_type_id=revision.base_content_type_id,
            object_id=str(revision.object_id),
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
        .select_related("current_task_state__task")
        .first()
    )
    if state is None or state.current_task_state is None:
        return True
    task = state.current_task_state.task.specific
    if not isinstance(task, SOPTask):
        return True
    page = Page.objects.get(pk=revision.object_id)
    return not task.publishes and task.user_is_reviewer(page, revision.user, state)


def _page_content_type_id() -> int:
    return ContentType.objects.get_for_model(Page).pk


def refuse_rewriting_sealed_revisions(sender, instance: Revision, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if instance._state.adding or instance.pk is None:
        if not may_add_revision(instance):
            raise PermissionDenied(_(IN_CHAIN_MESSAGE))
        return
    if update_fields is not None and not {"content", "object_str"} & set(update_fields):
        return  # e.g. scheduling sets approved_go_live_at only
    stored = Revision.objects.filter(pk=instance.pk).values_list("content", "object_str").first()
    if stored is None or stored == (instance.content, instance.object_str):
        return
    if is_sealed(instance.pk):
        raise PermissionDenied(_(SEALED_MESSAGE))


def connect() -> None:
    pre_save.connect(refuse_rewriting_sealed_revisions, sender=Revision, dispatch_uid="sop_sealed_revisions")
