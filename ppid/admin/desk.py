"""The desk registers a request received in person, by letter or by email ("Catat permohonan").

The public form's fields and checks without its challenge (``ppid.forms.DeskRequestForm``), plus how
the request came in and, for a letter, the day it was received, from which the deadline counts. It
gets the same number sequence, deadline and emailed receipt (when an address is given) as a request
filed online, and a log entry (``REGISTERED``) naming the staff member, shown in its history. Only
holders of ``ppid.register_request`` (the desk and the PPID, ``rules.ROLES``) open or send it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from kpu_site.dates import format_date
from ppid import receipts, rules
from ppid.forms import RETENTION_NOTE, DeskRequestForm
from ppid.models import InformationRequest
from ppid.rules import Channel
from ppid.working_days import add_working_days, today

PERMISSION = "ppid.register_request"
#: the log entry of a request registered at the desk: who, how it came in, the day received
REGISTERED = "ppid.register"
REGISTERED_LABELS = (_("Catat permohonan informasi di meja layanan"), _("Permohonan dicatat di meja layanan"))


def may_register(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def registered_text(data: dict, what: str = "permohonan") -> str:
    """The history line of a registration (of a request, or ``what`` else), from its log entry's data."""
    channel = data.get("channel", "")
    label = Channel(channel).label.lower() if channel in Channel.values else "di luar formulir daring"
    text = f"Dicatat di meja layanan: {what} {label}"
    if channel == Channel.LETTER and data.get("received_on"):
        text += f", surat diterima {format_date(dt.date.fromisoformat(data['received_on']))}"
    return text


class DeskRegistrationView(WagtailAdminTemplateMixin, FormView):
    template_name = "ppid/admin/desk_register.html"
    form_class = DeskRequestForm
    page_title = _("Catat permohonan")
    header_icon = "mail"
    index_url_name = "ppid_permohonan:index"

    def dispatch(self, request, *args, **kwargs):
        if not may_register(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": InformationRequest._meta.verbose_name_plural.capitalize(),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            {
                "index_url": reverse(self.index_url_name),
                "retention_note": RETENTION_NOTE,
                "rules": rules,
                "due_if_today": format_date(
                    add_working_days(form.calendar, today(), rules.ANSWER_WORKING_DAYS)
                ),
            }
        )
        return context

    def form_valid(self, form):
        with transaction.atomic():
            req = InformationRequest.receive(calendar=form.calendar, **form.request_fields())
            log(
                req,
                REGISTERED,
                user=self.request.user,
                title=req.number,
                data={"channel": req.channel, "received_on": req.received_on.isoformat()},
            )
            receipts.send_request_receipt(req)
            receipts.notify_request_arrived(req, registered_by=self.request.user)
        messages.success(self.request, success_message(req))
        return redirect("ppid_permohonan:detail", req.pk)


def success_message(req: InformationRequest) -> str:
    text = (
        f"Permohonan {req.number} tercatat ({req.get_channel_display().lower()}). Batas waktu jawaban: "
        f"{format_date(req.due_on)} ({rules.ANSWER_WORKING_DAYS} hari kerja sejak diterima "
        f"{format_date(req.received_at)})."
    )
    if req.email:
        text += f" Tanda bukti dikirim ke {req.email}."
    else:
        text += (
            " Pemohon tidak memberikan email: berikan nomor registrasi dan batas waktunya secara langsung."
        )
    if req.is_overdue():
        text += " Batas waktunya sudah lewat: segera teruskan kepada PPID untuk dijawab."
    return text
