"""``manage.py ppid_purge_identity``: delete identity scans whose retention period has passed.

A scan is kept until ``InformationRequest.identity_retained_until()`` (the request's last decision,
its objections' included, plus ``rules.IDENTITY_RETENTION_DAYS``), then its file is removed from
private storage, the field cleared and ``identity_deleted_at`` set. Answer documents held while a
PPID corrected the answer form (``sementara/``) are removed after a day. Idempotent; meant to run
daily.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ppid import rules
from ppid.admin.requests import HELD_DIR, HELD_MAX_AGE
from ppid.models import InformationRequest, private_storage
from ppid.working_days import today


def expired_scans(on: dt.date) -> list[InformationRequest]:
    """Requests whose identity scan's retention ended before ``on``."""
    # A scan can only have expired once the request or an objection was answered that long ago, or
    # the request's deadline passed that long ago unanswered.
    cutoff = timezone.now() - dt.timedelta(days=rules.IDENTITY_RETENTION_DAYS)
    candidates = (
        InformationRequest.objects.exclude(identity_scan="")
        .filter(identity_deleted_at__isnull=True)
        .filter(
            Q(answered_at__lt=cutoff)
            | Q(objections__answered_at__lt=cutoff)
            | Q(answered_at__isnull=True, due_on__lt=cutoff.date())
        )
        .distinct()
        .order_by("pk")
    )
    expired = []
    for req in candidates:
        until = req.identity_retained_until()
        if until is not None and until < on:
            expired.append(req)
    return expired


def purge_scan(req: InformationRequest) -> bool:
    """Remove one scan (file, field, date of deletion); False when another run already did."""
    with transaction.atomic():
        locked = InformationRequest.objects.select_for_update().get(pk=req.pk)
        if not locked.identity_scan or locked.identity_deleted_at is not None:
            return False
        name = locked.identity_scan.name
        locked.identity_scan = ""
        locked.identity_deleted_at = timezone.now()
        locked.save(update_fields=["identity_scan", "identity_deleted_at"])
        transaction.on_commit(lambda: private_storage().delete(name))
    return True


def purge_held_uploads(now: dt.datetime) -> int:
    storage = private_storage()
    try:
        _folders, files = storage.listdir(HELD_DIR)
    except FileNotFoundError:
        return 0
    removed = 0
    for filename in files:
        name = f"{HELD_DIR}/{filename}"
        if now - storage.get_modified_time(name) > dt.timedelta(seconds=HELD_MAX_AGE):
            storage.delete(name)
            removed += 1
    return removed


class Command(BaseCommand):
    help = (
        "Delete the identity scans (KTP, deeds) of information requests whose retention period has "
        "passed, and answer documents left half-submitted for over a day. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted, without deleting anything."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        expired = expired_scans(today())
        if dry_run:
            for req in expired:
                self.stdout.write(f"{req.number}: disimpan sampai {req.identity_retained_until():%d-%m-%Y}")
            self.stdout.write(
                f"{len(expired)} pindaian identitas akan dihapus (uji coba, tidak ada yang dihapus)"
            )
            return
        deleted = sum(1 for req in expired if purge_scan(req))
        held = purge_held_uploads(timezone.now())
        self.stdout.write(f"{deleted} pindaian identitas dihapus")
        if held:
            self.stdout.write(f"{held} berkas jawaban sementara dihapus")
