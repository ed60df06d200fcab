"""The desk's queue of information requests and the PPID's answers (extension, notice).

"Layanan Informasi" in the admin menu holds the queue (a Wagtail ``ModelViewSet``: filters, search,
deadline column in working days) and the objection register (``ppid.admin.objections``); other ppid
screens join the menu through the ``register_layanan_informasi_menu_item`` hook. Requests are never
edited in a generic form: they change only through the actions here, each with its checks, its log
entry and its email to the requester; a request received in person, by letter or by email is
registered by the desk ("Catat permohonan", ``ppid.admin.desk``, a button on the queue). When the
Atasan PPID upholds an objection, the PPID provides the information afterwards ("tindak lanjut
keberatan", ``FollowUpView``): the document is kept as the request's follow-up document, beside its
answer document (the original decision and document stay as they were; the requester downloads both),
and the follow-up, with its note and the document's name, is a log entry on the objection
(``followups``). Identity scans, answer and follow-up documents are streamed from private storage to
the three PPID groups only (``private_file``), never through ``/media/``. A requester registered at the
desk without an email address is sent nothing: each action's form and message tell staff to print the
notice, hand it over or post it, and phone the requester (``no_email_steps``).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import uuid
from dataclasses import dataclass
from typing import Any

import django_filters

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Case, IntegerField, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from kpu_site.uploads import validate_document_file
from ppid import notices, notifications, rules
from ppid.admin.desk import REGISTERED, REGISTERED_LABELS, DeskRegistrationView, may_register, registered_text
from ppid.admin.desk_objection import DeskObjectionView, may_register_objection, registered_objection_events
from ppid.models import InformationRequest, Objection, private_storage
from ppid.rules import ROLES, Channel, Decision, Delivery, ObjectionDecision
from ppid.working_days import WorkCalendar, add_working_days, local_date, today, working_days_between

#: the admin menu "Layanan Informasi": other ppid screens add their items through this hook
MENU_HOOK = "register_layanan_informasi_menu_item"
#: what a request's (or an objection's) history shows from Wagtail's log, besides its own dates
FILE_OPENED = "ppid.file_opened"
#: the information provided after an upheld objection, logged on the objection
FOLLOWUP = "ppid.objection_followup"
LOG_ACTIONS = {
    "ppid.extend": (_("Perpanjang batas waktu permohonan informasi"), _("Batas waktu diperpanjang")),
    "ppid.answer": (_("Jawab permohonan informasi"), _("Permohonan dijawab")),
    "ppid.objection_answer": (_("Tanggapi keberatan"), _("Keberatan ditanggapi")),
    "ppid.response": (_("Catat tanggapan pemohon"), _("Tanggapan pemohon dicatat")),
    FOLLOWUP: (
        _("Berikan informasi (tindak lanjut keberatan)"),
        _("Informasi diberikan sebagai tindak lanjut keberatan"),
    ),
    FILE_OPENED: (_("Buka berkas pribadi layanan informasi"), _("Berkas pribadi dibuka")),
    REGISTERED: REGISTERED_LABELS,
}
FILE_LABELS = {
    "identitas": "pindaian identitas",
    "dokumen": "dokumen informasi",
    "dokumen-tindak-lanjut": "dokumen tindak lanjut keberatan",
}
#: an objection so decided obliges the PPID to provide the information
UPHELD_DECISIONS = (ObjectionDecision.UPHELD, ObjectionDecision.UPHELD_IN_PART)


# --- who may see what -----------------------------------------------------------------------------
def may_view(user) -> bool:
    """The queue, the register, the details and the notices: the three PPID groups and superusers."""
    return bool(
        user and user.is_authenticated and user.is_active and user.has_perm("ppid.view_informationrequest")
    )


def in_ppid_group(user) -> bool:
    """Identity scans and answer documents: members of the three PPID groups only (personal data)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    names = [info.group_name for info in ROLES.values()]
    return user.groups.filter(name__in=names).exists()


class ServicePermissionPolicy(ModelPermissionPolicy):
    """Requests and objections are read in the admin, never added, edited or deleted there: they change
    only through the actions of this module and ``ppid.admin.objections`` (superusers too)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action == "view"])


register_permission_policy(InformationRequest, ServicePermissionPolicy(InformationRequest))


# --- deadlines in working days -------------------------------------------------------------------
@dataclass(frozen=True)
class Deadline:
    """Where a request or an objection stands against its deadline, in working days."""

    due_on: dt.date
    answered_on: dt.date | None
    on: dt.date
    working_days_left: int
    working_days_late: int

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_answered and self.on > self.due_on

    @property
    def is_due_soon(self) -> bool:
        return (
            not self.is_answered
            and not self.is_overdue
            and self.working_days_left <= rules.REMIND_WORKING_DAYS_BEFORE
        )

    @property
    def answered_late(self) -> bool:
        return self.is_answered and self.answered_on > self.due_on

    @property
    def label(self) -> str:
        if self.is_answered:
            return "dijawab terlambat" if self.answered_late else "dijawab tepat waktu"
        if self.is_overdue:
            if self.working_days_late:
                return f"terlambat {self.working_days_late} hari kerja"
            return "lewat batas waktu"
        if self.on == self.due_on:
            return "batas waktu hari ini"
        return f"{self.working_days_left} hari kerja lagi"

    @property
    def due_label(self) -> str:
        return notices.format_date(self.due_on)


def deadline_of(
    due_on: dt.date, answered_at: dt.datetime | None, calendar: WorkCalendar, on: dt.date | None = None
) -> Deadline:
    on = on or today()
    return Deadline(
        due_on=due_on,
        answered_on=local_date(answered_at) if answered_at else None,
        on=on,
        working_days_left=working_days_between(calendar, on, due_on),
        working_days_late=working_days_between(calendar, due_on, on),
    )


# --- follow-ups of upheld objections -------------------------------------------------------------
@dataclass(frozen=True)
class FollowUp:
    """The information provided after an upheld objection, as its log entry records it."""

    moment: dt.datetime
    person: str
    note: str

    @property
    def when(self) -> str:
        return notices.format_datetime(self.moment)


def followup_entries():
    return ModelLogEntry.objects.filter(
        action=FOLLOWUP, content_type=ContentType.objects.get_for_model(Objection)
    )


def followups(objection_ids) -> dict[int, FollowUp]:
    """The follow-ups of the given objections, by objection id."""
    ids = [str(pk) for pk in objection_ids]
    found = {}
    for entry in followup_entries().filter(object_id__in=ids).select_related("user").order_by("timestamp"):
        note = str((entry.data or {}).get("note", ""))
        person = notices.person_name(entry.user)
        found.setdefault(int(entry.object_id), FollowUp(entry.timestamp, person, note))
    return found


def awaiting_followup():
    """Upheld objections whose information the PPID has not provided yet, the oldest answer first."""
    done = [int(pk) for pk in followup_entries().values_list("object_id", flat=True)]
    return (
        Objection.objects.filter(decision__in=UPHELD_DECISIONS, answered_at__isnull=False)
        .exclude(pk__in=done)
        .select_related("request")
        .order_by("answered_at", "pk")
    )


def pending_followup(req: InformationRequest) -> Objection | None:
    """The request's upheld objection still awaiting the information, if any."""
    return awaiting_followup().filter(request=req).first()


# --- the queue ------------------------------------------------------------------------------------
OVERDUE = "terlambat"
DUE_SOON = "segera"
OPEN = "belum-dijawab"


class RequestFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("Belum dijawab (diterima atau diperpanjang)")), *InformationRequest.Status.choices],
        method="filter_status",
        empty_label=_("Semua status"),
    )
    deadline = django_filters.ChoiceFilter(
        label=_("Batas waktu"),
        choices=[
            (OVERDUE, _("Lewat batas waktu, belum dijawab")),
            (DUE_SOON, _("Berakhir dalam %(days)s hari kerja") % {"days": rules.REMIND_WORKING_DAYS_BEFORE}),
        ],
        method="filter_deadline",
        empty_label=_("Semua"),
    )
    decision = django_filters.ChoiceFilter(
        label=_("Keputusan"), choices=Decision.choices, empty_label=_("Semua keputusan")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Cara diterima"), choices=Channel.choices, empty_label=_("Semua cara")
    )
    received_at = django_filters.DateFromToRangeFilter(
        label=_("Tanggal diterima"), widget=DateRangePickerWidget
    )

    class Meta:
        model = InformationRequest
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(answered_at__isnull=True)
        return queryset.filter(status=value)

    def filter_deadline(self, queryset, name, value):
        on = today()
        if value == OVERDUE:
            return queryset.filter(answered_at__isnull=True, due_on__lt=on)
        soon = add_working_days(WorkCalendar.load(), on, rules.REMIND_WORKING_DAYS_BEFORE)
        return queryset.filter(answered_at__isnull=True, due_on__gte=on, due_on__lte=soon)


class DateColumn(Column):
    """A date (or an instant's date in WIB) written the Indonesian way."""

    def get_value(self, instance):
        return notices.format_date(super().get_value(instance))


class ReceivedColumn(DateColumn):
    """The date received, and how: "4 Desember 2026 · surat"."""

    def get_value(self, instance):
        return f"{super().get_value(instance)} · {instance.get_channel_display().lower()}"


class DeadlineColumn(Column):
    """The deadline, with working days left, "terlambat" highlighted, or when it was answered."""

    cell_template_name = "ppid/admin/deadline_cell.html"

    def __init__(self, *args, calendar: WorkCalendar, answered_field: str = "answered_at", **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar = calendar
        self.answered_field = answered_field
        self.on = today()

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["deadline"] = deadline_of(
            instance.due_on, getattr(instance, self.answered_field), self.calendar, self.on
        )
        return context


class StatusColumn(Column):
    """The status and decision; a request whose upheld objection awaits the PPID says so."""

    cell_template_name = "ppid/admin/status_cell.html"

    def __init__(self, *args, awaiting: frozenset = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.awaiting = awaiting

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["status"] = instance.get_status_display()
        context["decision"] = instance.get_decision_display() if instance.decision else ""
        context["awaiting_followup"] = instance.pk in self.awaiting
        return context


def queue_order(queryset):
    """Unanswered first (nearest deadline on top), then the answered ones, newest first."""
    return queryset.order_by(
        Case(When(answered_at__isnull=True, then=0), default=1, output_field=IntegerField()),
        "due_on",
        "-received_at",
    )


class ServiceIndexView(IndexView):
    """A listing of the information service: each row opens its detail screen, with no other buttons."""

    template_name = "ppid/admin/index.html"
    #: the table in a box of its own that scrolls sideways on a phone (the admin hides the overflow)
    results_template_name = "ppid/admin/index_results.html"
    default_ordering = "due_on"

    def get_list_more_buttons(self, instance):
        return []

    def order_queryset(self, queryset):
        return queue_order(queryset) if self.ordering == "due_on" else super().order_queryset(queryset)


class RequestIndexView(ServiceIndexView):
    """The queue: unanswered requests first, the nearest deadline on top; on a phone the deadline is the
    second column, so it shows without scrolling sideways."""

    page_title = _("Permohonan informasi")

    @cached_property
    def header_buttons(self):
        """ "Catat permohonan" for those who register requests received outside the public form."""
        if not may_register(self.request.user):
            return []
        return [HeaderButton(_("Catat permohonan"), url=reverse("ppid_permohonan:create"), icon_name="plus")]

    @cached_property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar.load()

    @cached_property
    def columns(self):
        return [
            self._get_title_column("number"),
            DeadlineColumn("due_on", label=_("Batas waktu"), sort_key="due_on", calendar=self.calendar),
            Column("name", label=_("Nama pemohon"), sort_key="name"),
            StatusColumn(
                "status",
                label=_("Status"),
                sort_key="status",
                awaiting=frozenset(awaiting_followup().values_list("request_id", flat=True)),
            ),
            ReceivedColumn("received_at", label=_("Diterima"), sort_key="received_at"),
        ]


# --- the detail screen ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Event:
    moment: dt.datetime
    text: str
    person: str = ""

    @property
    def when(self) -> str:
        return notices.format_datetime(self.moment)


def opened_events(instance) -> list[Event]:
    events = []
    for entry in (
        log_registry.get_logs_for_instance(instance).filter(action=FILE_OPENED).select_related("user")
    ):
        label = FILE_LABELS.get((entry.data or {}).get("file", ""), "berkas")
        events.append(Event(entry.timestamp, f"{label.capitalize()} dibuka", notices.person_name(entry.user)))
    return events


def registered_events(instance) -> list[Event]:
    """Who registered a request received at the desk (``ppid.admin.desk``)."""
    entries = log_registry.get_logs_for_instance(instance).filter(action=REGISTERED).select_related("user")
    return [
        Event(entry.timestamp, registered_text(entry.data or {}), notices.person_name(entry.user))
        for entry in entries
    ]


def request_history(req: InformationRequest) -> list[Event]:
    """What happened to a request and its objections, oldest first."""
    channel = req.get_channel_display().lower()
    events = [Event(req.received_at, f"Permohonan diterima dengan nomor {req.number} ({channel})")]
    if req.extended_at:
        events.append(
            Event(
                req.extended_at,
                f"Batas waktu diperpanjang sampai {notices.format_date(req.due_on)}. "
                f"Alasan: {req.extension_reason}",
                notices.person_name(req.extended_by),
            )
        )
    if req.answered_at:
        events.append(
            Event(
                req.answered_at,
                f"Dijawab: {req.get_decision_display()}",
                notices.person_name(req.answered_by),
            )
        )
    objections = list(req.objections.select_related("answered_by"))
    provided = followups(objection.pk for objection in objections)
    for objection in objections:
        events.append(
            Event(
                objection.received_at,
                f"Keberatan {objection.number} diterima ({objection.get_ground_display()})",
            )
        )
        if objection.answered_at:
            events.append(
                Event(
                    objection.answered_at,
                    f"Keberatan {objection.number} ditanggapi: {objection.get_decision_display()}",
                    notices.person_name(objection.answered_by),
                )
            )
        if objection.requester_response_at:
            events.append(
                Event(
                    objection.requester_response_at,
                    f"Tanggapan pemohon atas keberatan {objection.number} dicatat",
                )
            )
        if objection.pk in provided:
            followup = provided[objection.pk]
            events.append(
                Event(
                    followup.moment,
                    f"Informasi diberikan sebagai tindak lanjut keberatan {objection.number}",
                    followup.person,
                )
            )
    if req.identity_deleted_at:
        events.append(Event(req.identity_deleted_at, "Pindaian identitas dihapus (masa simpan berakhir)"))
    events += registered_events(req) + opened_events(req)
    return sorted(events, key=lambda event: event.moment)


class RequestDetailView(InspectView):
    template_name = "ppid/admin/request_detail.html"
    page_title = _("Permohonan informasi")

    def get_page_subtitle(self):
        return self.object.number

    @cached_property
    def header_more_buttons(self):
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        req: InformationRequest = self.object
        user = self.request.user
        calendar = WorkCalendar.load()
        can_answer = user.has_perm("ppid.answer_request")
        retained_until = req.identity_retained_until()
        objections = list(req.objections.order_by("received_at"))
        provided = followups(objection.pk for objection in objections)
        for objection in objections:
            objection.followup = provided.get(objection.pk)
        followup_due = pending_followup(req)
        context.update(
            {
                "req": req,
                "deadline": deadline_of(req.due_on, req.answered_at, calendar),
                "original_due_on": notices.format_date(notices.original_due_on(req, calendar)),
                "received": notices.format_datetime(req.received_at),
                "extended": notices.format_datetime(req.extended_at),
                "answered": notices.format_datetime(req.answered_at),
                "extended_by": notices.person_name(req.extended_by),
                "answered_by": notices.person_name(req.answered_by),
                "identity_deleted": notices.format_datetime(req.identity_deleted_at),
                "retained_until": retained_until,
                "retained_label": notices.format_date(retained_until),
                "objection_deadline": notices.format_date(req.objection_deadline(calendar)),
                "may_open_files": in_ppid_group(user),
                "can_extend": can_answer and req.can_extend and not req.is_overdue(),
                "can_answer": can_answer and not req.is_answered,
                "objections": objections,
                "followup_due": followup_due,
                "can_follow_up": can_answer and followup_due is not None,
                "can_register_objection": may_register_objection(user, req),
                "history": sorted(
                    request_history(req) + [Event(*event) for event in registered_objection_events(req)],
                    key=lambda event: event.moment,
                ),
                "rules": rules,
            }
        )
        return context


# --- private files --------------------------------------------------------------------------------
#: what the browser may show itself; anything else is downloaded
INLINE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def private_file(request, instance, field_file, download_name: str, kind: str) -> FileResponse:
    """Stream a file from private storage: never cached, logged in the item's history."""
    if not field_file:
        raise Http404
    extension = field_file.name.rsplit(".", 1)[-1].lower() if "." in field_file.name else ""
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = INLINE_TYPES.get(extension) or mimetypes.guess_type(field_file.name)[0]
    response = FileResponse(
        handle,
        as_attachment=extension not in INLINE_TYPES,
        filename=f"{download_name}.{extension}" if extension else download_name,
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    log(instance, FILE_OPENED, user=request.user, title=instance.number, data={"file": kind})
    return response


#: a request's private files: the kind logged (``FILE_LABELS``) -> (field, download name prefix)
REQUEST_FILES = {
    "identitas": ("identity_scan", "identitas"),
    "dokumen": ("answer_document", "dokumen"),
    "dokumen-tindak-lanjut": ("followup_document", "dokumen-tindak-lanjut"),
}


def request_file(request, pk: int, kind: str) -> FileResponse:
    """One of a request's private files, to the three PPID groups only."""
    if not in_ppid_group(request.user):
        raise PermissionDenied
    req = get_object_or_404(InformationRequest, pk=pk)
    field, prefix = REQUEST_FILES[kind]
    return private_file(request, req, getattr(req, field), f"{prefix}-{req.number}", kind)


def identity_scan(request, pk: int) -> FileResponse:
    return request_file(request, pk, "identitas")


def answer_document(request, pk: int) -> FileResponse:
    return request_file(request, pk, "dokumen")


def followup_document(request, pk: int) -> FileResponse:
    """The document provided after an upheld objection (``FollowUpView``)."""
    return request_file(request, pk, "dokumen-tindak-lanjut")


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


NOTICES = {
    notices.KIND_ANSWER: (notices.request_notice_available, notices.request_notice),
    notices.KIND_EXTENSION: (notices.extension_notice_available, notices.extension_notice),
}


def request_notice(request, pk: int, kind: str) -> HttpResponse:
    if not may_view(request.user):
        raise PermissionDenied
    if kind not in NOTICES:
        raise Http404
    req = get_object_or_404(InformationRequest, pk=pk)
    available, build = NOTICES[kind]
    if not available(req):
        raise Http404
    return pdf_response(build(req), notices.filename(kind, req.number))


# --- a requester without email ------------------------------------------------------------------
def link(url: str, label: str) -> SafeString:
    return format_html('<a href="{}">{}</a>', url, label)


def no_email_steps(req: InformationRequest, what: str, saved: bool = True) -> SafeString:
    """What staff do for a requester registered without email, to whom nothing is sent: print ``what``
    (a notice, linked once it exists), hand it over or post it as the requester chose, and phone them.
    ``saved``: said in the action's message; else in its form, before saving."""
    if req.delivery == Delivery.POST:
        how = "kirim lewat pos ke alamat pemohon, sesuai pilihannya"
    elif req.delivery == Delivery.COLLECT:
        how = "serahkan saat pemohon datang ke meja layanan, sesuai pilihannya"
    else:
        how = "serahkan di meja layanan atau kirim lewat pos ke alamat pemohon"
    return format_html(
        "Pemohon tidak memberikan email, jadi tidak ada yang dikirim kepadanya. {} {} dan {}, lalu beri "
        "tahu pemohon lewat telepon di {}.",
        "Cetak" if saved else "Setelah disimpan, cetak",
        what,
        how,
        req.phone,
    )


def action_message(req: InformationRequest, done: str, emailed: str, what: str) -> str:
    """An action's message: what was done, then that the requester was emailed, or what staff do
    instead (``no_email_steps``)."""
    if req.email:
        return f"{done} {emailed}"
    return format_html("{} {}", done, no_email_steps(req, what))


# --- actions --------------------------------------------------------------------------------------
MIN_TEXT = 10


def text_field(label, help_text="", required=True, min_length=None, max_length=4000, rows=4, messages_=None):
    error_messages = {
        "required": _("Isian ini wajib diisi."),
        "min_length": _("Terlalu singkat: tuliskan minimal %(limit_value)d karakter."),
        "max_length": _("Terlalu panjang: paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."),
        **(messages_ or {}),
    }
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        min_length=min_length,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=error_messages,
    )


class ExtendForm(forms.Form):
    reason = text_field(
        _("Alasan perpanjangan (wajib)"),
        help_text=_(
            "Tertulis dalam pemberitahuan perpanjangan yang dikirim ke pemohon. Minimal 10 karakter. "
            "Contoh: informasi yang diminta tersebar di beberapa arsip dan masih dihimpun."
        ),
        min_length=MIN_TEXT,
        max_length=2000,
        messages_={"required": _("Tuliskan alasan perpanjangan.")},
    )


class ActionView(WagtailAdminTemplateMixin, FormView):
    """An action on one request: its permission, the reason it may not be taken (with a message),
    and the form; the record is locked while the action is saved."""

    permission = "ppid.answer_request"
    header_icon = "mail"
    model = InformationRequest
    detail_url_name = "ppid_permohonan:detail"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.object = get_object_or_404(self.model, pk=kwargs["pk"])
        refusal = self.refusal(self.object)
        if refusal:
            messages.error(request, refusal)
            return redirect(self.detail_url)
        return super().dispatch(request, *args, **kwargs)

    @property
    def detail_url(self) -> str:
        return reverse(self.detail_url_name, args=[self.object.pk])

    def refusal(self, instance) -> str:
        return ""

    def get_page_subtitle(self):
        return self.object.number

    def get_breadcrumbs_items(self):
        index = self.detail_url_name.replace(":detail", ":index")
        return [
            *self.breadcrumbs_items,
            {"url": reverse(index), "label": self.object._meta.verbose_name_plural.capitalize()},
            {"url": self.detail_url, "label": self.object.number},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["detail_url"] = self.detail_url
        context["received_on"] = notices.format_date(self.object.received_at)
        return context

    def form_valid(self, form):
        with transaction.atomic():
            locked = self.model.objects.select_for_update().get(pk=self.object.pk)
            refusal = self.refusal(locked)
            if refusal:
                messages.error(self.request, refusal)
                return redirect(self.detail_url)
            message = self.act(locked, form)
        messages.success(self.request, message)
        return redirect(self.detail_url)

    def act(self, instance, form) -> str:
        raise NotImplementedError


class ExtendView(ActionView):
    template_name = "ppid/admin/extend.html"
    form_class = ExtendForm
    page_title = _("Perpanjang batas waktu")

    def refusal(self, req: InformationRequest) -> str:
        if req.is_answered:
            return (
                f"Permohonan {req.number} sudah dijawab pada {notices.format_date(req.answered_at)}: "
                "batas waktunya tidak dapat diperpanjang lagi."
            )
        if req.extended_at is not None:
            return (
                f"Permohonan {req.number} sudah pernah diperpanjang pada "
                f"{notices.format_date(req.extended_at)} (batas waktu {notices.format_date(req.due_on)}). "
                "Perpanjangan hanya boleh satu kali (Pasal 22 ayat (8) UU 14/2008)."
            )
        if req.is_overdue():
            return (
                f"Batas waktu permohonan {req.number} sudah lewat pada {notices.format_date(req.due_on)}. "
                "Perpanjangan hanya dapat diberikan sebelum batas waktu berakhir; segera jawab permohonannya."
            )
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        req = self.object
        calendar = WorkCalendar.load()
        context["req"] = req
        context["due_on"] = notices.format_date(req.due_on)
        context["new_due_on"] = notices.format_date(
            add_working_days(calendar, req.due_on, rules.EXTENSION_WORKING_DAYS)
        )
        context["rules"] = rules
        context["no_email_steps"] = (
            "" if req.email else no_email_steps(req, "pemberitahuan perpanjangan (PDF)", saved=False)
        )
        return context

    def act(self, req: InformationRequest, form) -> str:
        req.extend(form.cleaned_data["reason"].strip(), self.request.user)
        log(req, "ppid.extend", user=self.request.user, title=req.number, data={"due_on": str(req.due_on)})
        notifications.request_extended(req)
        notice = reverse("ppid_permohonan:notice", args=[req.pk, notices.KIND_EXTENSION])
        return action_message(
            req,
            f"Batas waktu permohonan {req.number} diperpanjang sampai {notices.format_date(req.due_on)}.",
            "Pemohon diberi tahu lewat email, dengan pemberitahuan perpanjangan terlampir.",
            link(notice, "pemberitahuan perpanjangan (PDF)"),
        )


# The answer document, held in private storage while the rest of the form is corrected: a file
# already sent is never asked for twice. Held files older than a day are deleted by
# ``manage.py ppid_purge_identity``.
HELD_DIR = "sementara"
HELD_SALT = "ppid.answer-document"
HELD_MAX_AGE = 24 * 60 * 60


def hold_upload(uploaded, req: InformationRequest) -> str:
    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else "bin"
    name = private_storage().save(f"{HELD_DIR}/{uuid.uuid4().hex}.{extension}", uploaded)
    return signing.dumps({"name": name, "original": uploaded.name[-150:], "request": req.pk}, salt=HELD_SALT)


def held_upload(token: str, req: InformationRequest) -> dict | None:
    """The held file a signed token names, if it is this request's and still there."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=HELD_SALT, max_age=HELD_MAX_AGE)
    except signing.BadSignature:
        return None
    name = str(data.get("name", ""))
    if data.get("request") != req.pk or not name.startswith(f"{HELD_DIR}/") or ".." in name:
        return None
    if not private_storage().exists(name):
        return None
    return {"name": name, "original": str(data.get("original", name))}


class DocumentForm(forms.Form):
    """The information document: checked like every upload, held while the rest is corrected."""

    document = forms.FileField(
        label=_("Dokumen informasi"),
        required=False,
        help_text=_(
            "Wajib bila informasi diberikan seluruhnya atau sebagian. PDF, DOCX, XLSX, PPTX, ODT, ODS, "
            "CSV, JPG atau PNG, paling besar %(size)s. Disimpan tertutup; hanya pemohon (lewat halaman "
            "status) dan petugas PPID yang dapat mengunduhnya."
        )
        % {"size": filesizeformat(rules.ANSWER_DOCUMENT_MAX_BYTES)},
        error_messages={
            "invalid": _("Berkas tidak terbaca. Pilih berkasnya lagi."),
            "empty": _("Berkas yang dipilih kosong."),
        },
    )
    held_document = forms.CharField(required=False, widget=forms.HiddenInput)
    #: the document's help text, when a form words it otherwise (``%(size)s``: the size limit)
    document_help = None
    #: added to the document's help text when the requester gave no email (no status page for them)
    no_email_help = _(
        "Pemohon ini tidak memberikan email, jadi tidak dapat membuka halaman status: petugas PPID "
        "mengunduh dokumennya di sini untuk diserahkan atau dikirim kepada pemohon."
    )

    def __init__(self, *args, req: InformationRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.req = req
        self.held = held_upload(self.data.get("held_document", "") if self.is_bound else "", req)
        document = self.fields["document"]
        if self.document_help:
            document.help_text = self.document_help % {
                "size": filesizeformat(rules.ANSWER_DOCUMENT_MAX_BYTES)
            }
        if not req.email:
            document.help_text = f"{document.help_text} {self.no_email_help}"

    def clean_document(self):
        uploaded = self.cleaned_data.get("document")
        if not uploaded:
            return None
        if uploaded.size > rules.ANSWER_DOCUMENT_MAX_BYTES:
            raise ValidationError(
                f"Berkas “{uploaded.name}” ditolak: ukurannya {filesizeformat(uploaded.size)}, "
                f"melebihi batas {filesizeformat(rules.ANSWER_DOCUMENT_MAX_BYTES)}."
            )
        validate_document_file(uploaded)
        return uploaded

    def chosen_document(self):
        """The file sent now, or the held one reopened from private storage (closed by the caller)."""
        if self.cleaned_data.get("document"):
            return self.cleaned_data["document"]
        if self.held:
            return File(private_storage().open(self.held["name"], "rb"), name=self.held["original"])
        return None


class AnswerForm(DocumentForm):
    field_order = ["decision", "answer", "document", "held_document", "legal_basis"]

    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih keputusan atas permohonan ini."),
            "invalid_choice": _("Pilih salah satu keputusan yang tersedia."),
        },
    )
    answer = text_field(
        _("Penjelasan jawaban"),
        help_text=_("Tertulis dalam pemberitahuan tertulis kepada pemohon."),
        min_length=MIN_TEXT,
        messages_={"required": _("Tuliskan penjelasan jawaban untuk pemohon.")},
    )
    legal_basis = text_field(
        _("Dasar hukum"),
        help_text=_(
            "Wajib bila informasi diberikan sebagian atau permohonan ditolak: sebutkan pasal dan "
            "peraturannya, misalnya Pasal 17 huruf h Undang-Undang Nomor 14 Tahun 2008."
        ),
        required=False,
        rows=3,
    )
    excluded = forms.BooleanField(
        label=_("Informasi yang tidak diberikan termasuk informasi yang dikecualikan (Pasal 17 UU 14/2008)"),
        required=False,
    )
    consequence_test = text_field(
        _("Uji konsekuensi"),
        help_text=_(
            "Wajib untuk informasi yang dikecualikan (Pasal 19 UU 14/2008): konsekuensi yang timbul bila "
            "informasi dibuka, dan mengapa menutupnya melindungi kepentingan yang lebih besar."
        ),
        required=False,
        rows=5,
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision in rules.DECISIONS_WITH_DOCUMENT and not data.get("document") and not self.held:
            if not self.has_error("document"):
                self.add_error(
                    "document",
                    "Lampirkan dokumen informasi yang diberikan kepada pemohon "
                    "(wajib untuk keputusan “diberikan seluruhnya” dan “diberikan sebagian”).",
                )
        if decision in rules.DECISIONS_WITH_BASIS and not (data.get("legal_basis") or "").strip():
            if not self.has_error("legal_basis"):
                label = Decision(decision).label
                self.add_error("legal_basis", f"Tuliskan dasar hukum untuk keputusan “{label}”.")
        if (
            decision in rules.DECISIONS_WITH_BASIS
            and data.get("excluded")
            and not (data.get("consequence_test") or "").strip()
            and not self.has_error("consequence_test")
        ):
            self.add_error(
                "consequence_test",
                "Tuliskan uji konsekuensi: informasi yang dikecualikan hanya dapat ditutup setelah diuji "
                "konsekuensinya (Pasal 19 UU 14/2008).",
            )
        return data


class DocumentActionView(ActionView):
    """An action on a request that takes the information document (``DocumentForm``)."""

    #: what staff print for a requester without email (``no_email_steps``)
    printed = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "req": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        req = self.object
        context["req"] = req
        context["deadline"] = deadline_of(req.due_on, req.answered_at, WorkCalendar.load())
        context["access"] = notices.access_label(req)
        context["held"] = context["form"].held
        context["no_email_steps"] = "" if req.email else no_email_steps(req, self.printed, saved=False)
        return context

    def form_invalid(self, form):
        """Keep a valid document sent with an otherwise wrong form, so it is not asked for again."""
        uploaded = form.cleaned_data.get("document") if hasattr(form, "cleaned_data") else None
        if uploaded and not form.has_error("document"):
            form.data = form.data.copy()
            form.data["held_document"] = hold_upload(uploaded, self.object)
            form.held = held_upload(form.data["held_document"], self.object)
        return super().form_invalid(form)

    @staticmethod
    def release(form, document) -> None:
        """Close a reopened held file; delete the held copy once the action commits."""
        held = form.held
        if document is not None and held and not form.cleaned_data.get("document"):
            document.close()
        if held:
            name = held["name"]
            transaction.on_commit(lambda: private_storage().delete(name))


class AnswerView(DocumentActionView):
    template_name = "ppid/admin/answer.html"
    form_class = AnswerForm
    page_title = _("Jawab permohonan")
    printed = "pemberitahuan tertulis (PDF), beserta dokumen informasinya bila diberikan,"

    def refusal(self, req: InformationRequest) -> str:
        if req.is_answered:
            return (
                f"Permohonan {req.number} sudah dijawab pada {notices.format_date(req.answered_at)} "
                f"({req.get_decision_display()}). Jawaban tidak dapat diubah."
            )
        return ""

    def act(self, req: InformationRequest, form) -> str:
        data = form.cleaned_data
        decision = data["decision"]
        document = form.chosen_document() if decision in rules.DECISIONS_WITH_DOCUMENT else None
        excluded = decision in rules.DECISIONS_WITH_BASIS and data.get("excluded")
        try:
            req.record_answer(
                decision=decision,
                answer=data["answer"].strip(),
                user=self.request.user,
                legal_basis=(data.get("legal_basis") or "").strip(),
                consequence_test=(data.get("consequence_test") or "").strip() if excluded else "",
                document=document,
            )
        finally:
            self.release(form, document)
        log(req, "ppid.answer", user=self.request.user, title=req.number, data={"decision": decision})
        notifications.request_answered(req)
        printed = link(
            reverse("ppid_permohonan:notice", args=[req.pk, notices.KIND_ANSWER]),
            "pemberitahuan tertulis (PDF)",
        )
        if req.answer_document:
            document = link(reverse("ppid_permohonan:document", args=[req.pk]), "dokumen informasinya")
            printed = format_html("{} beserta {}", printed, document)
        return action_message(
            req,
            f"Permohonan {req.number} dijawab: {req.get_decision_display()}.",
            "Pemohon diberi tahu lewat email, dengan pemberitahuan tertulis terlampir.",
            printed,
        )


class FollowUpForm(DocumentForm):
    """The information provided after an upheld objection: the document (required) and a note."""

    field_order = ["document", "held_document", "note"]

    note = text_field(
        _("Catatan untuk pemohon"),
        help_text=_(
            "Dikirim ke pemohon lewat email: informasi apa yang diberikan, menindaklanjuti tanggapan "
            "Atasan PPID atas keberatannya."
        ),
        min_length=MIN_TEXT,
        max_length=2000,
        messages_={"required": _("Tuliskan catatan untuk pemohon.")},
    )
    document_help = _(
        "Wajib. PDF, DOCX, XLSX, PPTX, ODT, ODS, CSV, JPG atau PNG, paling besar %(size)s. Disimpan "
        "tertutup sebagai dokumen tindak lanjut keberatan, yang diunduh pemohon di halaman status di "
        "samping dokumen jawaban semula; keputusan dan dokumen jawaban semula tetap tercatat."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.req.email:
            self.fields["note"].help_text = _(
                "Pemohon tidak memberikan email: catatan ini tercatat di riwayat keberatan dan disampaikan "
                "kepada pemohon bersama dokumennya. Tuliskan informasi apa yang diberikan, menindaklanjuti "
                "tanggapan Atasan PPID atas keberatannya."
            )

    def clean(self):
        data = super().clean()
        if not data.get("document") and not self.held and not self.has_error("document"):
            self.add_error(
                "document",
                "Lampirkan dokumen informasi yang diberikan kepada pemohon sebagai tindak lanjut keberatan.",
            )
        return data


class FollowUpView(DocumentActionView):
    """The PPID provides the information an upheld objection calls for: the document becomes the
    request's follow-up document, beside its answer document; the original decision, answer and
    document are not changed."""

    template_name = "ppid/admin/followup.html"
    form_class = FollowUpForm
    page_title = _("Berikan informasi (tindak lanjut keberatan)")
    printed = "dokumen tindak lanjut keberatan beserta catatan untuk pemohon"

    def refusal(self, req: InformationRequest) -> str:
        if pending_followup(req) is None:
            return (
                f"Tidak ada keberatan yang diterima atas permohonan {req.number} yang menunggu tindak "
                "lanjut: informasinya sudah diberikan, atau tidak ada keberatan yang diterima Atasan PPID."
            )
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["objection"] = pending_followup(self.object)
        context["deadline"] = None
        return context

    def act(self, req: InformationRequest, form) -> str:
        objection = pending_followup(req)
        # a second upheld objection's follow-up takes the place of the first one's document
        previous = req.followup_document.name or ""
        note = form.cleaned_data["note"].strip()
        document = form.chosen_document()
        try:
            req.record_followup(objection, document)
        finally:
            self.release(form, document)
        log(
            objection,
            FOLLOWUP,
            user=self.request.user,
            title=objection.number,
            data={
                "request": req.number,
                "note": note,
                "document": req.followup_document.name,
                "previous_document": previous,
            },
        )
        notifications.objection_followed_up(objection, note)
        document = link(
            reverse("ppid_permohonan:followup_document", args=[req.pk]), "dokumen tindak lanjut keberatan"
        )
        return action_message(
            req,
            f"Informasi permohonan {req.number} diberikan sebagai tindak lanjut keberatan "
            f"{objection.number}.",
            "Pemohon diberi tahu lewat email dan dapat mengunduh dokumennya di halaman status.",
            format_html("{} beserta catatan untuk pemohon", document),
        )


# --- the viewset and its hooks --------------------------------------------------------------------
class RequestViewSet(ModelViewSet):
    model = InformationRequest
    name = "ppid_permohonan"
    url_prefix = "ppid/permohonan"
    icon = "mail"
    menu_label = _("Permohonan informasi")
    menu_name = "ppid-permohonan"
    menu_order = 100
    index_view_class = RequestIndexView
    inspect_view_class = RequestDetailView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    filterset_class = RequestFilterSet
    search_fields = ["number", "name", "email", "information"]
    search_backend_name = None
    list_per_page = 30

    def get_common_view_kwargs(self, **kwargs):
        # Nothing is added, edited, copied or deleted in a generic form (ServicePermissionPolicy).
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            inspect_url_name=self.get_url_name("detail"),
        )
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("baru/", DeskRegistrationView.as_view(), name="create"),
            path("<int:pk>/", self.inspect_view, name="detail"),
            path("<int:pk>/perpanjang/", ExtendView.as_view(), name="extend"),
            path("<int:pk>/jawab/", AnswerView.as_view(), name="answer"),
            path("<int:pk>/tindak-lanjut-keberatan/", FollowUpView.as_view(), name="followup"),
            path("<int:pk>/catat-keberatan/", DeskObjectionView.as_view(), name="objection"),
            path("<int:pk>/identitas/", identity_scan, name="identity"),
            path("<int:pk>/dokumen/", answer_document, name="document"),
            path("<int:pk>/dokumen-tindak-lanjut/", followup_document, name="followup_document"),
            path("<int:pk>/pemberitahuan/<slug:kind>/", request_notice, name="notice"),
        ]


class LayananInformasiGroup(ViewSetGroup):
    menu_label = _("Layanan Informasi")
    menu_name = "layanan-informasi"
    menu_icon = "info-circle"
    menu_order = 850
    submenu_hook = MENU_HOOK
    items = (RequestViewSet,)


@hooks.register("register_admin_viewset")
def register_request_viewset():
    return LayananInformasiGroup()


class ServicePanel(Component):
    """ "Layanan informasi" on the dashboard: what waits for an answer, nearest deadline first, and
    "Catat permohonan" for who may register a request."""

    name = "ppid_layanan_informasi"
    template_name = "ppid/admin/dashboard_panel.html"
    order = 210

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        calendar = WorkCalendar.load()
        on = today()
        rows = {}
        for key, model in (("requests", InformationRequest), ("objections", Objection)):
            pending = model.objects.filter(answered_at__isnull=True).order_by("due_on", "received_at")
            rows[key] = {
                "count": pending.count(),
                "overdue": pending.filter(due_on__lt=on).count(),
                "items": [(item, deadline_of(item.due_on, None, calendar, on)) for item in pending[:5]],
            }
        context.update(rows)
        awaiting = awaiting_followup()
        context["followups"] = {"count": awaiting.count(), "items": list(awaiting[:5])}
        context["requests_url"] = reverse("ppid_permohonan:index") + f"?status={OPEN}"
        context["objections_url"] = reverse("ppid_keberatan:index") + "?state=belum-ditanggapi"
        # on a phone the menu is collapsed: the desk registers a request from here
        user = parent_context["request"].user
        context["register_url"] = reverse("ppid_permohonan:create") if may_register(user) else ""
        return context


@hooks.register("construct_homepage_panels")
def add_service_panel(request, panels: list) -> None:
    if may_view(request.user):
        panels.append(ServicePanel())


@hooks.register("register_log_actions")
def register_ppid_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
