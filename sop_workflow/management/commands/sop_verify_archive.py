"""Recompute the approval archive's hash chain: OK with the count, or the first broken record."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sop_workflow.archive import verify_chain


class Command(BaseCommand):
    help = "Memeriksa keutuhan rantai hash arsip persetujuan SOP."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"RUSAK: {report.problem}")
        self.stdout.write(f"OK: rantai arsip persetujuan utuh, {report.count} catatan.")
