"""Emails of the information service, in Indonesian, each sent only once its transaction commits.

To the requester: the deadline extended, the request answered, the objection answered, the
information provided after an upheld objection; each names the registration number and links to the
public status page (opened with the number and the email address); the first three carry their
written notice (PDF). To staff: reminders and escalations (``ppid.reminders``), and an upheld
objection to the PPID group, linking to the request or objection in the admin. Templates:
``ppid/email/<name>.txt`` and ``<name>_subject.txt`` (the subject starts "[KPU Jateng] ").
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from ppid import notices, rules
from ppid.models import InformationRequest, Objection
from ppid.rules import ROLES, Role

logger = logging.getLogger(__name__)


def admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def request_admin_url(req: InformationRequest) -> str:
    return admin_url(reverse("ppid_permohonan:detail", args=[req.pk]))


def objection_admin_url(objection: Objection) -> str:
    return admin_url(reverse("ppid_keberatan:detail", args=[objection.pk]))


def one_line(text: str) -> str:
    """A subject line: text typed with line breaks never stops an email."""
    return " ".join(text.split())


def recipients_by_address(users: Iterable) -> dict:
    """One active user with an email address per address, in the order given."""
    seen: dict = {}
    for user in users:
        if user is not None and user.is_active and user.email:
            seen.setdefault(user.email, user)
    return seen


def _render(name: str, context: dict) -> tuple[str, str]:
    context = {**context, "kpu": settings.KPU_IDENTITY, "rules": rules}
    subject = one_line(render_to_string(f"ppid/email/{name}_subject.txt", context))
    body = render_to_string(f"ppid/email/{name}.txt", context)
    return subject, body


def send_after_commit(messages: list[EmailMessage], name: str) -> None:
    """Send the messages once the current transaction commits (never for a rolled-back action)."""
    if not messages:
        return

    def deliver() -> None:
        try:
            with get_connection() as connection:
                for message in messages:
                    message.connection = connection
                    message.send()
        except OSError:
            logger.exception("PPID email %s could not be sent", name)

    transaction.on_commit(deliver)


def _to_requester(name: str, context: dict, address: str, attachment: tuple[str, bytes] | None) -> None:
    if not address:  # registered at the desk without an email address: told there, not here
        return
    subject, body = _render(name, context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    if attachment is not None:
        message.attach(attachment[0], attachment[1], "application/pdf")
    send_after_commit([message], name)


def _requester_context(req: InformationRequest) -> dict:
    return {
        "req": req,
        "status_url": notices.status_url(),
        "received_on": notices.format_date(req.received_at),
        "due_on": notices.format_date(req.due_on),
    }


def request_extended(req: InformationRequest) -> None:
    """The requester learns the new deadline and its reason; the notice is attached."""
    context = {
        **_requester_context(req),
        "original_due_on": notices.format_date(notices.original_due_on(req)),
    }
    attachment = (notices.filename(notices.KIND_EXTENSION, req.number), notices.extension_notice(req))
    _to_requester("request_extended", context, req.email, attachment)


def request_answered(req: InformationRequest) -> None:
    """The requester learns the decision; the written notice is attached, the document is on the
    status page."""
    context = {
        **_requester_context(req),
        "answered_on": notices.format_date(req.answered_at),
        "with_document": bool(req.answer_document),
        "objection_deadline": notices.format_date(req.objection_deadline()),
    }
    attachment = (notices.filename(notices.KIND_ANSWER, req.number), notices.request_notice(req))
    _to_requester("request_answered", context, req.email, attachment)


def objection_answered(objection: Objection) -> None:
    """The requester learns the superior's answer and the last day to go to the Komisi Informasi."""
    req = objection.request
    context = {
        **_requester_context(req),
        "objection": objection,
        "objection_received_on": notices.format_date(objection.received_at),
        "answered_on": notices.format_date(objection.answered_at),
        "commission_deadline": notices.format_date(objection.commission_deadline()),
    }
    attachment = (
        notices.filename(notices.KIND_OBJECTION, objection.number),
        notices.objection_notice(objection),
    )
    _to_requester("objection_answered", context, req.email, attachment)


def objection_followed_up(objection: Objection, note: str) -> None:
    """The requester learns that the information is provided after the upheld objection: the note,
    and the status page where the document is downloaded."""
    req = objection.request
    context = {
        **_requester_context(req),
        "objection": objection,
        "objection_answered_on": notices.format_date(objection.answered_at),
        "note": note,
    }
    _to_requester("objection_followup", context, req.email, None)


def objection_upheld(objection: Objection) -> list[str]:
    """The PPID group learns that an objection was upheld and the information must now be provided;
    the addresses written to."""
    req = objection.request
    users = (
        get_user_model()
        .objects.filter(groups__name=ROLES[Role.PPID].group_name, is_active=True)
        .order_by("pk")
    )
    context = {
        "objection": objection,
        "req": req,
        "answered_on": notices.format_date(objection.answered_at),
        "admin_url": request_admin_url(req),
        "objection_url": objection_admin_url(objection),
    }
    return to_staff("objection_upheld", context, users)


def to_staff(name: str, context: dict, users: Iterable) -> list[str]:
    """One email per staff address (``recipient`` in the context), sent on commit; the addresses."""
    recipients = recipients_by_address(users)
    messages = []
    for address, user in recipients.items():
        subject, body = _render(name, {**context, "recipient": user})
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    send_after_commit(messages, name)
    return list(recipients)
