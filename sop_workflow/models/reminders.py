"""Reminders sent for a step past its time standard: one per step and threshold, ever."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .tasks import SOPTaskState


class SOPReminder(models.Model):
    """A reminder (at the standard) or an escalation (at twice the standard) sent for one step.

    The unique constraint on (task_state, threshold) is what makes ``manage.py sop_remind`` send each
    one once however often, and however many copies of it, run: a second insert fails.
    """

    class Threshold(models.TextChoices):
        LATE = "late", _("Pengingat (melewati mutu baku)")
        ESCALATION = "escalation", _("Eskalasi (dua kali mutu baku)")

    task_state = models.ForeignKey(
        SOPTaskState, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("langkah")
    )
    threshold = models.CharField(_("ambang"), max_length=12, choices=Threshold.choices)
    sent_at = models.DateTimeField(_("dikirim pada"))
    recipients = models.TextField(_("penerima"), help_text=_("Alamat email penerima, satu per baris."))

    class Meta:
        verbose_name = _("pengingat SOP")
        verbose_name_plural = _("pengingat SOP")
        constraints = [
            models.UniqueConstraint(
                fields=["task_state", "threshold"], name="sop_reminder_once_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_threshold_display()} #{self.task_state_id}"
