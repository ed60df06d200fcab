"""``manage.py sop_remind``: reminders and escalation for SOP steps past their time standard.

Meant to run every few minutes from cron or a systemd timer (see docs/operations.md, "Pengingat SOP").
The rules (who is reminded, who an escalation goes to, once per step and threshold) are in
``sop_workflow.reminders``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sop_workflow.reminders import remind


class Command(BaseCommand):
    help = (
        "Email a reminder to the role of every SOP step past its time standard, and escalate to the next "
        "role up the chain at twice the standard. Each is sent once; safe to run every few minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be sent, without sending or recording anything.",
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        outcome = remind(dry_run=dry_run)
        verbose = dry_run or options["verbosity"] > 1
        if verbose:
            for notice in outcome.sent:
                self.stdout.write(notice.describe())
        for notice in outcome.without_recipients:
            self.stderr.write(f"tidak ada penerima dengan email aktif untuk {notice.describe()}")
        self.stdout.write(outcome.summary(dry_run=dry_run))
