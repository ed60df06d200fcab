"""SOP step 1, writing the concept: when the author began it and when they submitted it.

Recorded once, when a run starts (``sop_workflow.authoring``), and never changed: the author's later
edits and resubmissions after a request for changes are part of the approval steps' record.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import WorkflowState


class ConceptAuthoring(models.Model):
    workflow_state = models.OneToOneField(
        WorkflowState,
        on_delete=models.CASCADE,
        related_name="sop_authoring",
        verbose_name=_("alur kerja"),
    )
    #: The concept's first saved revision (an id: revisions outside a run may be purged later).
    first_revision_id = models.PositiveBigIntegerField(_("ID revisi pertama"), null=True)
    started_at = models.DateTimeField(_("mulai disusun"))
    submitted_at = models.DateTimeField(_("diajukan"), db_index=True)
    #: The standard in force when the concept was submitted (sop.AUTHORING_STANDARD_MINUTES).
    standard_minutes = models.PositiveIntegerField(_("mutu baku (menit)"))

    class Meta:
        verbose_name = _("penyusunan konsep")
        verbose_name_plural = _("penyusunan konsep")

    def __str__(self) -> str:
        return (
            f"{self.workflow_state_id}: {self.started_at:%Y-%m-%d %H:%M} → {self.submitted_at:%Y-%m-%d %H:%M}"
        )
