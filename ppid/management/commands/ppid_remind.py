"""``manage.py ppid_remind``: reminders and escalation of the information service.

Requests and objections near and at their deadline (``ppid.reminders``) and periodic DIP items past
their update period (``ppid.dip.send_reminders``). Each is sent once; meant to run every hour or so
from cron or a systemd timer, beside ``sop_remind``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from ppid import dip
from ppid.reminders import remind


class Command(BaseCommand):
    help = (
        "Email the PPID (requests) and the Atasan PPID (objections) a reminder before a deadline, an "
        "escalation to both at the deadline, and the reminders of overdue periodic DIP items. Each is sent "
        "once; safe to run often."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be sent, without sending or recording anything.",
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        now = timezone.now()
        outcome = remind(now=now, dry_run=dry_run)
        dip_reminders = dip.send_reminders(now=now, dry_run=dry_run)
        verbose = dry_run or options["verbosity"] > 1
        if verbose:
            for notice in [*outcome.sent, *dip_reminders]:
                self.stdout.write(str(notice))
        for notice in outcome.without_recipients:
            self.stderr.write(f"tidak ada penerima dengan email aktif untuk {notice.describe()}")
        self.stdout.write(outcome.summary(dry_run=dry_run))
        verb = "akan dikirim (uji coba)" if dry_run else "dikirim"
        self.stdout.write(f"{len(dip_reminders)} pengingat DIP {verb}")
