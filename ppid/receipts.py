"""The receipts (tanda bukti) of a filed request or objection, by email, and the staff's notice of it.

The requester gets the registration number, the date received, the deadline and how to follow the
status; the desk and the PPID hear of a new request, the Atasan PPID of a new objection, each with a
link to its admin screen on ``WAGTAILADMIN_BASE_URL``. Emails are rendered now and sent once the
transaction that saved the record commits, one message per address.
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

from ppid import rules
from ppid.models import InformationRequest, Objection
from ppid.rules import ROLES, Role

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[KPU Jateng] "


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def status_url() -> str:
    return absolute(reverse("ppid:status"))


def admin_request_url(request: InformationRequest) -> str:
    return absolute(f"/admin/ppid/permohonan/{request.pk}/")


def admin_objection_url(objection: Objection) -> str:
    return absolute(f"/admin/ppid/keberatan/{objection.pk}/")


def role_addresses(*roles: Role) -> list[str]:
    """The addresses of the active members of the roles' groups, each once."""
    names = [ROLES[role].group_name for role in roles]
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=names)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )
    return list(dict.fromkeys(user.email for user in users))


def send_after_commit(template: str, context: dict, addresses: Iterable[str]) -> None:
    """Render ``ppid/email/<template>[_subject].txt`` now; send one message per address on commit."""
    addresses = [address for address in addresses if address]
    if not addresses:
        return
    context = {**context, "kpu": settings.KPU_IDENTITY, "rules": rules}
    subject = " ".join(render_to_string(f"ppid/email/{template}_subject.txt", context).split())
    body = render_to_string(f"ppid/email/{template}.txt", context)

    def deliver() -> None:
        try:
            with get_connection() as connection:
                for address in addresses:
                    EmailMessage(
                        SUBJECT_PREFIX + subject,
                        body,
                        settings.DEFAULT_FROM_EMAIL,
                        [address],
                        connection=connection,
                    ).send()
        except OSError:
            logger.exception("PPID email %s could not be sent", template)

    transaction.on_commit(deliver)


def send_request_receipt(request: InformationRequest) -> None:
    context = {"req": request, "status_url": status_url()}
    send_after_commit("receipt", context, [request.email])


def notify_request_arrived(request: InformationRequest, registered_by=None) -> None:
    """Tell the desk and the PPID a request has come in; one the desk registered, everyone but the
    staff member who registered it."""
    context = {"req": request, "admin_url": admin_request_url(request)}
    addresses = role_addresses(Role.DESK, Role.PPID)
    if registered_by is not None:
        addresses = [address for address in addresses if address != registered_by.email]
    send_after_commit("receipt_staff", context, addresses)


def send_objection_receipt(objection: Objection) -> None:
    context = {"objection": objection, "req": objection.request, "status_url": status_url()}
    send_after_commit("receipt_objection", context, [objection.request.email])


def notify_objection_arrived(objection: Objection, channel_label: str = "") -> None:
    """Tell the Atasan PPID; ``channel_label`` ("datang langsung", "lewat surat") for one the desk
    recorded, empty for one filed on the site."""
    context = {
        "objection": objection,
        "req": objection.request,
        "admin_url": admin_objection_url(objection),
        "channel_label": channel_label,
    }
    send_after_commit("receipt_superior", context, role_addresses(Role.SUPERIOR))
