"""Approved revisions are immutable: nobody rewrites a revision that a step judged or that went live.

Wagtail's editor may overwrite the latest revision in place (``overwrite_revision_id``, its
autosave). A revision that a task state or an archive record cites, or that was ever published, is
sealed: changing its content raises ``PermissionDenied``, which the editor shows as a message and
which rolls the save back.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from wagtail.models import Page, PageLogEntry, Revision, TaskState

from sop_workflow.models import ArsipPersetujuan, SOPTaskState

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


def refuse_rewriting_sealed_revisions(sender, instance: Revision, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
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
