"""The desk records an objection handed in at the desk, by letter or by email ("Catat keberatan").

A requester registered without email cannot open the status page, so cannot object online; in person
or in writing, the desk records it from the request's screen while the objection window is open
(``forms.objection_open``, the public form's rule), with the public form's grounds and checks
(``forms.DeskObjectionForm``). It gets the same number, the Atasan PPID's deadline (from a letter's
receipt date) and notice, the receipt email only when the request has an address, and a log entry
(``OBJECTION_REGISTERED``) naming the staff member. Only holders of ``ppid.register_request``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from kpu_site.dates import format_date
from ppid import notices, receipts, rules
from ppid.admin.desk import may_register, registered_text
from ppid.forms import DeskObjectionForm, objection_open
from ppid.models import InformationRequest, Objection
from ppid.rules import Channel
from ppid.working_days import WorkCalendar, add_working_days, today

#: the log entry of an objection recorded at the desk: who, how it came in, the day received
OBJECTION_REGISTERED = "ppid.register_objection"
OBJECTION_REGISTERED_LABELS = (
    _("Catat keberatan di meja layanan"),
    _("Keberatan dicatat di meja layanan"),
)


def may_register_objection(user, req: InformationRequest) -> bool:
    """The desk's "Catat keberatan": who may register, while the request's objection window is open."""
    return may_register(user) and objection_open(req)


def closed_message(req: InformationRequest) -> str:
    deadline = req.objection_deadline()
    if deadline is None:
        return (
            f"Keberatan atas permohonan {req.number} belum dapat dicatat: permohonan belum dijawab dan batas "
            f"waktu jawabannya ({format_date(req.due_on)}) belum lewat, jadi alasan keberatan belum timbul."
        )
    if today() > deadline:
        return (
            f"Keberatan atas permohonan {req.number} tidak dapat dicatat lagi: batas waktu pengajuan "
            f"keberatan berakhir {format_date(deadline)} ({rules.OBJECTION_WINDOW_WORKING_DAYS} hari kerja "
            "sejak alasan keberatan timbul, Pasal 36 ayat (1) UU 14/2008)."
        )
    return (
        f"Keberatan atas permohonan {req.number} tidak dapat dicatat: keadaan permohonan ini tidak "
        "memberikan alasan keberatan menurut Pasal 35 ayat (1) UU 14/2008."
    )


def registered_objection_events(req: InformationRequest) -> list[tuple]:
    """(moment, text, staff member) of each of the request's objections recorded at the desk."""
    entries = ModelLogEntry.objects.filter(
        action=OBJECTION_REGISTERED,
        content_type=ContentType.objects.get_for_model(Objection),
        object_id__in=[str(pk) for pk in req.objections.values_list("pk", flat=True)],
    ).select_related("user")
    return [
        (
            entry.timestamp,
            registered_text(entry.data or {}, f"keberatan {entry.label}"),
            notices.person_name(entry.user),
        )
        for entry in entries.order_by("timestamp")
    ]


class DeskObjectionView(WagtailAdminTemplateMixin, FormView):
    template_name = "ppid/admin/desk_objection.html"
    form_class = DeskObjectionForm
    page_title = _("Catat keberatan")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not may_register(request.user):
            raise PermissionDenied
        self.req = get_object_or_404(InformationRequest, pk=kwargs["pk"])
        if not objection_open(self.req):
            return self.closed()
        return super().dispatch(request, *args, **kwargs)

    def closed(self) -> TemplateResponse:
        """The window is not open: said on the page, what was typed shown back, nothing saved."""
        context = self.get_context_data(form=None)
        context["closed"] = closed_message(self.req)
        context["typed_reason"] = (
            self.request.POST.get("reason", "").strip() if self.request.method == "POST" else ""
        )
        status = 403 if self.request.method == "POST" else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get_page_subtitle(self):
        return self.req.number

    @property
    def detail_url(self) -> str:
        return reverse("ppid_permohonan:detail", args=[self.req.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("ppid_permohonan:index"),
                "label": InformationRequest._meta.verbose_name_plural.capitalize(),
            },
            {"url": self.detail_url, "label": self.req.number},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request_obj": self.req}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        req = self.req
        form = context.get("form")
        calendar = form.calendar if form is not None else WorkCalendar.load()
        deadline = req.objection_deadline(calendar)
        context.update(
            {
                "req": req,
                "rules": rules,
                "detail_url": self.detail_url,
                "arose_on": format_date(req.objection_ground_arose_on()),
                "window_until": format_date(deadline),
                "due_if_today": format_date(
                    add_working_days(calendar, today(), rules.OBJECTION_ANSWER_WORKING_DAYS)
                ),
                "filed": list(req.objections.order_by("received_at")),
            }
        )
        return context

    def form_valid(self, form):
        with transaction.atomic():
            # two staff members recording the same objection at once: the second is checked again
            req = InformationRequest.objects.select_for_update().get(pk=self.req.pk)
            if not objection_open(req):
                return self.closed()
            if req.objections.filter(ground=form.cleaned_data["ground"]).exists():
                return self.form_invalid(self.get_form())
            objection = Objection.receive(calendar=form.calendar, **form.objection_fields())
            log(
                objection,
                OBJECTION_REGISTERED,
                user=self.request.user,
                title=objection.number,
                data={
                    "channel": form.cleaned_data["channel"],
                    "received_on": objection.received_on.isoformat(),
                    "request": req.number,
                },
            )
            receipts.send_objection_receipt(objection)  # nothing is sent without an address
            receipts.notify_objection_arrived(
                objection, channel_label=Channel(form.cleaned_data["channel"]).label.lower()
            )
        messages.success(self.request, success_message(objection, form.cleaned_data["channel"]))
        return redirect("ppid_keberatan:detail", objection.pk)


def success_message(objection: Objection, channel: str) -> str:
    req = objection.request
    label = Channel(channel).label.lower()
    text = (
        f"Keberatan {objection.number} atas permohonan {req.number} tercatat ({label}). Batas waktu "
        f"tanggapan Atasan PPID: {format_date(objection.due_on)} ({rules.OBJECTION_ANSWER_WORKING_DAYS} hari "
        f"kerja sejak diterima {format_date(objection.received_at)}). Atasan PPID diberi tahu lewat email."
    )
    if req.email:
        text += f" Tanda bukti dikirim ke {req.email}."
    else:
        text += (
            " Pemohon tidak memberikan email, jadi tidak ada yang dikirim kepadanya: berikan nomor "
            f"registrasi keberatan {objection.number} dan batas waktu tanggapannya secara langsung, atau "
            f"kirim lewat pos ke alamat pemohon, lalu beri tahu pemohon lewat telepon di {req.phone}."
        )
    if objection.is_overdue():
        text += " Batas waktu tanggapannya sudah lewat: segera teruskan kepada Atasan PPID."
    return text


@hooks.register("register_log_actions")
def register_objection_log_action(actions):
    actions.register_action(OBJECTION_REGISTERED, *OBJECTION_REGISTERED_LABELS)
