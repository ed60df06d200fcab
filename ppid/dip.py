"""The DIP kept current: periodic (berkala) items past their update period, and their reminders.

What the public sees is the published revision, so only the rows of live DIP pages count (a draft that
brings an item up to date counts once the SOP chain has published it). An item is overdue when today
(WIB) is past its last update plus its period. ``send_reminders`` (run by ``manage.py ppid_remind``)
emails the item's responsible unit and the PPID once per item and missed period: the ``Reminder`` key
``dip-<row>-<due date>`` names the period, so an item left alone is reminded again a period later.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kpu_pages.models.standard import (
    PERIOD_MONTHS,
    DaftarInformasiPublikPage,
    InformasiPublik,
    KategoriInformasi,
    add_months,
)
from ppid.models import Reminder
from ppid.rules import ROLES, Role
from ppid.working_days import local_date

logger = logging.getLogger(__name__)

#: every update period is at least this many days long: a row updated more recently is never overdue
SHORTEST_PERIOD_DAYS = 28


def admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def edit_url(page: DaftarInformasiPublikPage) -> str:
    return admin_url(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def public_url(page: DaftarInformasiPublikPage) -> str:
    parts = page.get_url_parts()
    return admin_url(parts[2]) if parts else ""


@dataclass(frozen=True)
class OverdueItem:
    """A periodic item of a live DIP page past its update period on ``on``."""

    entry: InformasiPublik
    on: dt.date
    #: the day after which the item is overdue: its last update plus its period
    due_on: dt.date
    #: the due date of the latest period it missed (``due_on`` itself until a further period has passed)
    period_due_on: dt.date

    @property
    def page(self) -> DaftarInformasiPublikPage:
        return self.entry.page

    @property
    def unit(self) -> Group | None:
        return self.entry.unit_penanggung_jawab

    @property
    def days_overdue(self) -> int:
        return (self.on - self.due_on).days

    @property
    def key(self) -> str:
        """The ``Reminder`` key: one reminder per item and missed period."""
        return f"dip-{self.entry.pk}-{self.period_due_on.isoformat()}"

    @property
    def edit_url(self) -> str:
        return edit_url(self.page)

    @property
    def edit_path(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])


def latest_missed_due(last_update: dt.date, months: int, on: dt.date) -> dt.date:
    """The last ``last_update + k * period`` (k >= 1) before ``on``."""
    k = max(1, ((on.year - last_update.year) * 12 + on.month - last_update.month) // months)
    while k > 1 and add_months(last_update, k * months) >= on:
        k -= 1
    while add_months(last_update, (k + 1) * months) < on:
        k += 1
    return add_months(last_update, k * months)


def overdue_item(entry: InformasiPublik, on: dt.date) -> OverdueItem | None:
    due_on = entry.next_update_due()
    if due_on is None or on <= due_on:
        return None
    months = PERIOD_MONTHS[entry.periode_pembaruan]
    return OverdueItem(entry, on, due_on, latest_missed_due(entry.diperbarui_pada, months, on))


def periodic_entries():
    """The periodic rows of live DIP pages: the published revision's rows, never a draft's."""
    return InformasiPublik.objects.filter(
        page__live=True,
        kategori=KategoriInformasi.BERKALA,
        periode_pembaruan__in=[str(period) for period in PERIOD_MONTHS],
        diperbarui_pada__isnull=False,
    )


def overdue_items(on: dt.date | None = None, unit_ids: Iterable[int] | None = None) -> list[OverdueItem]:
    """The overdue periodic items on ``on`` (today, WIB), the longest overdue first; only those of the
    given responsible units when ``unit_ids`` is given."""
    on = on or local_date(timezone.now())
    entries = periodic_entries().filter(diperbarui_pada__lt=on - dt.timedelta(days=SHORTEST_PERIOD_DAYS))
    if unit_ids is not None:
        entries = entries.filter(unit_penanggung_jawab_id__in=list(unit_ids))
    entries = entries.select_related("page", "unit_penanggung_jawab").order_by("page__path", "sort_order")
    items = [item for item in (overdue_item(entry, on) for entry in entries) if item is not None]
    return sorted(items, key=lambda item: -item.days_overdue)


# --- who sees and who is reminded -----------------------------------------------------------------
def ppid_group_name() -> str:
    return ROLES[Role.PPID].group_name


def sees_every_item(user) -> bool:
    """Superusers and members of the PPID group see every overdue item."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=ppid_group_name()).exists()


def responsible_unit_ids(user) -> set[int]:
    """The user's groups that are the responsible unit of a periodic item on a live DIP page."""
    if not user.is_authenticated or not user.is_active:
        return set()
    group_ids = set(user.groups.values_list("id", flat=True))
    if not group_ids:
        return set()
    return set(
        periodic_entries()
        .filter(unit_penanggung_jawab_id__in=group_ids)
        .values_list("unit_penanggung_jawab_id", flat=True)
        .distinct()
    )


def members_by_group(group_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The active members of each group, by username, in one query."""
    members: dict[int, list[Any]] = defaultdict(list)
    for membership in (
        get_user_model()
        .groups.through.objects.filter(group_id__in=set(group_ids), user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ):
        members[membership.group_id].append(membership.user)
    return members


def recipients_by_address(users: Iterable) -> dict[str, Any]:
    """One active user with an email address per address, in the order given."""
    seen: dict[str, Any] = {}
    for user in users:
        if user is not None and user.is_active and user.email:
            seen.setdefault(user.email, user)
    return seen


# --- reminders ------------------------------------------------------------------------------------
@dataclass
class DipReminder:
    """One reminder about an overdue item, sent (or, on a dry run, that would be sent)."""

    item: OverdueItem
    recipients: dict[str, Any]

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def addresses(self) -> list[str]:
        return list(self.recipients)

    def describe(self) -> str:
        item = self.item
        return (
            f"pengingat DIP: {item.entry} ({item.page.title}), batas {item.due_on:%d-%m-%Y}, "
            f"terlambat {item.days_overdue} hari -> {', '.join(self.addresses)}"
        )

    def __str__(self) -> str:
        return self.describe()


def email_context(item: OverdueItem) -> dict[str, Any]:
    entry = item.entry
    return {
        "entry": entry,
        "page": item.page,
        "unit": item.unit,
        "period": entry.get_periode_pembaruan_display(),
        "last_update": entry.diperbarui_pada,
        "due_on": item.due_on,
        "days_overdue": item.days_overdue,
        "edit_url": item.edit_url,
        "public_url": public_url(item.page),
        "kpu": settings.KPU_IDENTITY,
    }


def deliver_after_commit(reminder: DipReminder) -> None:
    """Render the email for each address now (in Indonesian), send them once the transaction commits."""
    context = email_context(reminder.item)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for address, user in reminder.recipients.items():
            personal = {**context, "recipient": user}
            subject = " ".join(render_to_string("ppid/dip/email_reminder_subject.txt", personal).split())
            body = render_to_string("ppid/dip/email_reminder.txt", personal)
            messages.append((address, subject, body))

    def deliver() -> None:
        try:
            with get_connection() as connection:
                for address, subject, body in messages:
                    EmailMessage(
                        subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection
                    ).send()
        except OSError:
            logger.exception("DIP reminder %s could not be sent", reminder.key)

    transaction.on_commit(deliver)


def record_and_send(reminder: DipReminder, now: dt.datetime) -> bool:
    """Record and send one reminder; False when the row changed meanwhile or another run sent it.

    The row is locked while the ``Reminder`` (unique key) is inserted; a publication that updated
    the row in between is seen here, and concurrent runs send the reminder once.
    """
    entry = reminder.item.entry
    with transaction.atomic():
        unchanged = (
            InformasiPublik.objects.select_for_update()
            .filter(
                pk=entry.pk,
                kategori=KategoriInformasi.BERKALA,
                diperbarui_pada=entry.diperbarui_pada,
                periode_pembaruan=entry.periode_pembaruan,
            )
            .exists()
        )
        if not unchanged:
            return False
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    key=reminder.key, sent_at=now, recipients="\n".join(reminder.addresses)
                )
        except IntegrityError:
            return False
        deliver_after_commit(reminder)
    return True


def send_reminders(now: dt.datetime | None = None, dry_run: bool = False) -> list[DipReminder]:
    """Remind the responsible unit and the PPID of every periodic item overdue at ``now``, once per
    item and missed period. On a dry run nothing is sent or recorded; the list says what would be."""
    now = now or timezone.now()
    items = overdue_items(local_date(now))
    if not items:
        return []
    already = set(Reminder.objects.filter(key__in=[item.key for item in items]).values_list("key", flat=True))
    items = [item for item in items if item.key not in already]
    ppid_group = Group.objects.filter(name=ppid_group_name()).first()
    ppid_ids = [ppid_group.pk] if ppid_group else []
    members = members_by_group([*ppid_ids, *(item.entry.unit_penanggung_jawab_id for item in items)])
    reminders = []
    for item in items:
        groups = [item.entry.unit_penanggung_jawab_id, *ppid_ids]
        recipients = recipients_by_address(user for group in groups if group for user in members[group])
        if not recipients:
            logger.warning("no one with an email address to remind of DIP item %s", item.key)
            continue
        reminder = DipReminder(item, recipients)
        if dry_run or record_and_send(reminder, now):
            reminders.append(reminder)
    return reminders
