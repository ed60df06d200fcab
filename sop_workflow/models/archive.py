"""The approval archive ("Pencatatan dan pendataan"): one frozen, hash-chained record per publication.

A record holds text and ids only (no foreign key), so it outlives the page, the revision, the users
and even the workflow that produced it. Records are append-only: the model and its queryset refuse
updates and deletes. Each record stores the SHA-256 of its canonical contents and the previous
record's hash, so an alteration made directly in the database is found by ``sop_verify_archive``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The "previous hash" of the first record of the chain.
GENESIS_HASH = "0" * 64


class ArchiveImmutable(Exception):
    """An approval record was about to be changed or deleted."""


class ArsipQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise ArchiveImmutable("Arsip persetujuan tidak dapat diubah.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ArchiveImmutable("Arsip persetujuan tidak dapat dihapus.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise ArchiveImmutable("Arsip persetujuan tidak dapat diubah.")


def _canonical_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class ArsipPersetujuan(models.Model):
    """A frozen record of one workflow run: published (Lembar Persetujuan), cancelled or restarted."""

    OUTCOME_PUBLISHED = "published"
    OUTCOME_CANCELLED = "cancelled"
    OUTCOME_RESTARTED = "restarted"
    OUTCOMES = [
        (OUTCOME_PUBLISHED, _("diterbitkan")),
        (OUTCOME_CANCELLED, _("dibatalkan")),
        (OUTCOME_RESTARTED, _("dimulai ulang")),
    ]

    #: 1: records made before outcome, reason, ended_by, revision_hash and files existed (their hash
    #: leaves those fields out); 2: before ``authoring``; 3: every field is hashed.
    schema_version = models.PositiveSmallIntegerField(_("versi format"), default=3, editable=False)
    sequence = models.PositiveBigIntegerField(_("nomor urut"), unique=True, editable=False)
    created_at = models.DateTimeField(_("diterbitkan pada"), db_index=True, editable=False)
    outside_sop = models.BooleanField(_("di luar SOP"), default=False, editable=False)
    bypass_reason = models.TextField(_("alasan di luar SOP"), blank=True, editable=False)

    # The SOP in force (SOP_IDENTITY at the time of publication).
    sop_name = models.CharField(_("nama SOP"), max_length=255, editable=False)
    sop_number = models.CharField(_("nomor SOP"), max_length=100, editable=False)
    sop_effective_on = models.DateField(_("SOP berlaku sejak"), editable=False)

    # The content, as text and ids (the page may be deleted later).
    kind_key = models.CharField(
        _("kunci jenis konten"), max_length=40, blank=True, db_index=True, editable=False
    )
    kind_label = models.CharField(_("jenis konten"), max_length=100, blank=True, editable=False)
    title = models.CharField(_("judul"), max_length=255, editable=False)
    url = models.CharField(_("alamat publik"), max_length=500, blank=True, editable=False)
    page_id = models.PositiveBigIntegerField(_("ID halaman"), db_index=True, editable=False)
    revision_id = models.PositiveBigIntegerField(_("ID revisi"), null=True, editable=False)

    # The chain and the people.
    chain_name = models.CharField(_("alur SOP"), max_length=255, blank=True, editable=False)
    workflow_state_id = models.PositiveBigIntegerField(_("ID alur kerja"), null=True, editable=False)
    submitted_by_name = models.CharField(_("diajukan oleh"), max_length=255, blank=True, editable=False)
    submitted_by_username = models.CharField(
        _("nama pengguna pengaju"), max_length=150, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, editable=False)
    published_by_name = models.CharField(_("diterbitkan oleh"), max_length=255, blank=True, editable=False)
    published_by_username = models.CharField(
        _("nama pengguna penerbit"), max_length=150, blank=True, editable=False
    )
    #: Every step, in order: see sop_workflow.archive.step_entries for the keys.
    steps = models.JSONField(_("langkah"), default=list, editable=False)

    # How the run ended, by whom and why (schema 2).
    outcome = models.CharField(
        _("hasil"), max_length=20, choices=OUTCOMES, default=OUTCOME_PUBLISHED, db_index=True, editable=False
    )
    reason = models.TextField(_("alasan pembatalan"), blank=True, editable=False)
    ended_by_name = models.CharField(_("diakhiri oleh"), max_length=255, blank=True, editable=False)
    ended_by_username = models.CharField(
        _("nama pengguna yang mengakhiri"), max_length=150, blank=True, editable=False
    )
    #: SHA-256 of the published revision's content (sop_workflow.archive.revision_hash).
    revision_hash = models.CharField(_("hash revisi"), max_length=64, blank=True, editable=False)
    #: Every document and image the published content shows: type, id, title, file name, SHA-256.
    files = models.JSONField(_("berkas"), default=list, editable=False)
    #: SOP step 1, writing the concept (schema 3): see sop_workflow.authoring.entry; null when the run
    #: has none recorded (a restart, a publication outside the chain, a run from before schema 3).
    authoring = models.JSONField(_("penyusunan konsep"), null=True, blank=True, editable=False)

    previous_hash = models.CharField(_("hash catatan sebelumnya"), max_length=64, editable=False)
    record_hash = models.CharField(_("hash catatan"), max_length=64, unique=True, editable=False)

    objects = ArsipQuerySet.as_manager()

    #: Fields outside the hashed contents.
    UNHASHED = ("id", "record_hash")
    #: Fields a schema-2 record's hash leaves out (they did not exist when it was made).
    SCHEMA_3_FIELDS = ("authoring",)
    #: Fields a schema-1 record's hash leaves out, besides those.
    SCHEMA_2_FIELDS = (
        "schema_version",
        "outcome",
        "reason",
        "ended_by_name",
        "ended_by_username",
        "revision_hash",
        "files",
    )

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("arsip persetujuan")
        verbose_name_plural = _("arsip persetujuan")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.title}"

    # --- append-only --------------------------------------------------------------------------
    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ArchiveImmutable("Arsip persetujuan tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ArchiveImmutable("Arsip persetujuan tidak dapat dihapus.")

    # --- tamper evidence ----------------------------------------------------------------------
    def canonical(self) -> str:
        """Stable JSON of the hashed contents: sorted keys, ISO datetimes (UTC), no spaces."""
        left_out = (
            self.UNHASHED
            + (self.SCHEMA_2_FIELDS if self.schema_version < 2 else ())
            + (self.SCHEMA_3_FIELDS if self.schema_version < 3 else ())
        )
        data = {
            field.attname: _canonical_value(getattr(self, field.attname))
            for field in self._meta.concrete_fields
            if field.attname not in left_out
        }
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()


class ArsipRantai(models.Model):
    """The head of the hash chain: one row, locked while a record is appended."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("kepala rantai arsip")
        verbose_name_plural = _("kepala rantai arsip")

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_hash[:12]}"
