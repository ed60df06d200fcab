"""Check the approval archive: its hash chain, then the revisions and files its records cite.

Prints OK with the counts, or names the first broken record (and the revision or file that no longer
matches) and exits non-zero.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sop_workflow.archive import verify_chain, verify_content


class Command(BaseCommand):
    help = (
        "Memeriksa keutuhan arsip persetujuan SOP: rantai hash catatan, lalu revisi dan berkas yang "
        "dikutip setiap catatan."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"RUSAK: {report.problem}")
        self.stdout.write(f"OK: rantai arsip persetujuan utuh, {report.count} catatan.")
        content = verify_content()
        if not content.ok:
            raise CommandError(f"RUSAK: {content.problem}")
        self.stdout.write(
            f"OK: {content.revisions} revisi dan {content.files} berkas yang dikutip arsip cocok dengan "
            "hash yang tercatat."
        )
