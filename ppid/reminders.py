"""Reminders and escalation for requests and objections near and at their deadline (``ppid_remind``).

``rules.REMIND_WORKING_DAYS_BEFORE`` working days before a deadline, the one who must answer is
reminded: the PPID group for a request, the Atasan PPID group for an objection. On the deadline day
itself, still unanswered (or any day after, if the command did not run), an escalation goes to the
Atasan PPID group and the PPID group together. Each is sent once per item, threshold and deadline (an
extended request is reminded again before its new deadline): a ``ppid.models.Reminder`` row with a
unique key is written in the same transaction, and the email leaves only once it commits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from ppid import notices, notifications, rules
from ppid.models import InformationRequest, Objection, Reminder
from ppid.rules import ROLES, Role
from ppid.working_days import WorkCalendar, add_working_days, local_date, working_days_between

BEFORE = "menjelang"
AT_DEADLINE = "batas"

#: who is written to, per kind of item and threshold
RECIPIENT_ROLES = {
    ("permohonan", BEFORE): (Role.PPID,),
    ("permohonan", AT_DEADLINE): (Role.PPID, Role.SUPERIOR),
    ("keberatan", BEFORE): (Role.SUPERIOR,),
    ("keberatan", AT_DEADLINE): (Role.SUPERIOR, Role.PPID),
}


@dataclass
class Notice:
    """One reminder or escalation, sent (or, on a dry run, that would be sent)."""

    kind: str
    threshold: str
    item: InformationRequest | Objection
    on: dt.date
    working_days_left: int
    recipients: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.item.number}:{self.threshold}:{self.item.due_on:%Y-%m-%d}"

    @property
    def role_names(self) -> list[str]:
        return [ROLES[role].group_name for role in RECIPIENT_ROLES[(self.kind, self.threshold)]]

    @property
    def addresses(self) -> list[str]:
        return list(self.recipients)

    def describe(self) -> str:
        word = "pengingat" if self.threshold == BEFORE else "eskalasi"
        return (
            f"{word}: {self.kind} {self.item.number}, batas waktu {notices.format_date(self.item.due_on)} "
            f"-> {', '.join(self.role_names)} ({', '.join(self.addresses) or 'tanpa penerima'})"
        )

    def __str__(self) -> str:
        return self.describe()


@dataclass
class Outcome:
    sent: list[Notice] = field(default_factory=list)
    without_recipients: list[Notice] = field(default_factory=list)

    def count(self, threshold: str) -> int:
        return sum(1 for notice in self.sent if notice.threshold == threshold)

    def summary(self, dry_run: bool = False) -> str:
        verb = "akan dikirim (uji coba, tidak ada email terkirim)" if dry_run else "dikirim"
        return f"{self.count(BEFORE)} pengingat, {self.count(AT_DEADLINE)} eskalasi layanan informasi {verb}"


def threshold_due(calendar: WorkCalendar, due_on: dt.date, on: dt.date) -> str | None:
    """The threshold reached on ``on``: the deadline (that day or later), or the days before it."""
    if on >= due_on:
        return AT_DEADLINE
    if working_days_between(calendar, on, due_on) <= rules.REMIND_WORKING_DAYS_BEFORE:
        return BEFORE
    return None


def members_by_role() -> dict[Role, list[Any]]:
    """The active members of the PPID groups, by role."""
    names = {info.group_name: role for role, info in ROLES.items()}
    members: dict[Role, list[Any]] = defaultdict(list)
    memberships = (
        get_user_model()
        .groups.through.objects.filter(group__name__in=names, user__is_active=True)
        .select_related("user", "group")
        .order_by("user__username")
    )
    for membership in memberships:
        members[names[membership.group.name]].append(membership.user)
    return members


def _context(notice: Notice) -> dict[str, Any]:
    item = notice.item
    is_request = notice.kind == "permohonan"
    return {
        "kind_label": "Permohonan informasi" if is_request else "Keberatan",
        "item": item,
        "request_number": item.number if is_request else item.request.number,
        "received_on": notices.format_date(item.received_at),
        "due_on": notices.format_date(item.due_on),
        "working_days_left": notice.working_days_left,
        "at_deadline": notice.threshold == AT_DEADLINE,
        "overdue": notice.on > item.due_on,
        "answerer": "PPID" if is_request else "Atasan PPID",
        "role_names": notice.role_names,
        "admin_url": notifications.request_admin_url(item)
        if is_request
        else notifications.objection_admin_url(item),
    }


def _send(notice: Notice, now: dt.datetime) -> bool:
    """Record and send one notice; False when the item was answered meanwhile or the notice already sent."""
    model = type(notice.item)
    with transaction.atomic():
        pending = list(
            model.objects.select_for_update()
            .filter(pk=notice.item.pk, answered_at__isnull=True, due_on=notice.item.due_on)
            .values_list("pk", flat=True)
        )
        if not pending:
            return False
        try:
            with transaction.atomic():
                Reminder.objects.create(key=notice.key, sent_at=now, recipients="\n".join(notice.addresses))
        except IntegrityError:
            return False
        template = "reminder" if notice.threshold == BEFORE else "escalation"
        notifications.to_staff(template, _context(notice), notice.recipients.values())
    return True


def due_notices(now: dt.datetime | None = None, calendar: WorkCalendar | None = None) -> list[Notice]:
    """Every reminder and escalation due at ``now`` and not sent yet (recipients filled in)."""
    now = now or timezone.now()
    calendar = calendar or WorkCalendar.load()
    on = local_date(now)
    horizon = add_working_days(calendar, on, rules.REMIND_WORKING_DAYS_BEFORE)
    items: list[tuple[str, Any]] = [
        ("permohonan", req)
        for req in InformationRequest.objects.filter(answered_at__isnull=True, due_on__lte=horizon)
    ]
    items += [
        ("keberatan", objection)
        for objection in Objection.objects.filter(
            answered_at__isnull=True, due_on__lte=horizon
        ).select_related("request")
    ]
    candidates = []
    for kind, item in items:
        threshold = threshold_due(calendar, item.due_on, on)
        if threshold is not None:
            left = working_days_between(calendar, on, item.due_on)
            candidates.append(Notice(kind, threshold, item, on, left))
    if not candidates:
        return []
    already = set(Reminder.objects.filter(key__in=[n.key for n in candidates]).values_list("key", flat=True))
    candidates = [notice for notice in candidates if notice.key not in already]
    members = members_by_role()
    for notice in candidates:
        users = [user for role in RECIPIENT_ROLES[(notice.kind, notice.threshold)] for user in members[role]]
        notice.recipients = notifications.recipients_by_address(users)
    return candidates


def remind(now: dt.datetime | None = None, dry_run: bool = False) -> Outcome:
    """Send the reminders and escalations due at ``now`` (on a dry run: only say which)."""
    now = now or timezone.now()
    outcome = Outcome()
    for notice in due_notices(now):
        if not notice.recipients:
            outcome.without_recipients.append(notice)
        elif dry_run or _send(notice, now):
            outcome.sent.append(notice)
    return outcome
