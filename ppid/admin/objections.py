"""The objection register and the Atasan PPID's answers.

The register (a Wagtail ``ModelViewSet`` under "Layanan Informasi", with CSV/XLSX exports) keeps
what UU 14/2008 art. 35-37 and Perki 1/2021 ask of it: registration number, date received, the
requester's identity, the request's number, the ground, the decision, the date answered, the Atasan
PPID's name and position, and the requester's response. The Atasan PPID answers an objection here
(``ppid.answer_objection``); the desk records the requester's response to that answer
(``ppid.record_response``). An upheld objection is sent to the PPID group, who then provide the
information from the request's screen (``ppid.admin.requests.FollowUpView``). A requester without
email (registered at the desk) is sent nothing: staff are told to print the answer and hand it over
or post it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import django_filters

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy

from kpu_site.spreadsheet_safety import SafeSpreadsheetExportMixin
from ppid import notices, notifications, rules
from ppid.admin.requests import (
    MENU_HOOK,
    UPHELD_DECISIONS,
    ActionView,
    DateColumn,
    DeadlineColumn,
    Event,
    ServiceIndexView,
    ServicePermissionPolicy,
    action_message,
    deadline_of,
    followups,
    link,
    may_view,
    no_email_steps,
    opened_events,
    pdf_response,
    text_field,
)
from ppid.models import Objection
from ppid.rules import ObjectionDecision, ObjectionGround
from ppid.working_days import WorkCalendar, add_working_days, today

register_permission_policy(Objection, ServicePermissionPolicy(Objection))

OPEN = "belum-ditanggapi"
ANSWERED = "sudah-ditanggapi"
OVERDUE = "terlambat"
NO_RESPONSE = "tanpa-tanggapan-pemohon"


# --- the register ---------------------------------------------------------------------------------
class ObjectionFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (OPEN, _("Belum ditanggapi")),
            (OVERDUE, _("Lewat batas waktu, belum ditanggapi")),
            (ANSWERED, _("Sudah ditanggapi")),
            (NO_RESPONSE, _("Sudah ditanggapi, tanggapan pemohon belum dicatat")),
        ],
        method="filter_state",
        empty_label=_("Semua"),
    )
    ground = django_filters.ChoiceFilter(
        label=_("Alasan keberatan"), choices=ObjectionGround.choices, empty_label=_("Semua alasan")
    )
    decision = django_filters.ChoiceFilter(
        label=_("Keputusan"), choices=ObjectionDecision.choices, empty_label=_("Semua keputusan")
    )
    received_at = django_filters.DateFromToRangeFilter(
        label=_("Tanggal diterima"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Objection
        fields: list[str] = []

    def filter_state(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(answered_at__isnull=True)
        if value == OVERDUE:
            return queryset.filter(answered_at__isnull=True, due_on__lt=today())
        if value == ANSWERED:
            return queryset.filter(answered_at__isnull=False)
        return queryset.filter(answered_at__isnull=False, requester_response_at__isnull=True)


class GroundColumn(Column):
    """The ground's letter of art. 35(1), its text as the cell's title."""

    cell_template_name = "ppid/admin/ground_cell.html"


class ObjectionIndexView(SafeSpreadsheetExportMixin, ServiceIndexView):
    """The register: unanswered objections first, the nearest deadline on top."""

    page_title = _("Register keberatan")

    @cached_property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar.load()

    @cached_property
    def columns(self):
        return [
            self._get_title_column("number"),
            DeadlineColumn(
                "due_on", label=_("Batas waktu tanggapan"), sort_key="due_on", calendar=self.calendar
            ),
            Column("request.name", label=_("Pemohon")),
            Column("request.number", label=_("Nomor permohonan"), sort_key="request__number"),
            GroundColumn("ground", label=_("Alasan"), sort_key="ground"),
            Column("get_decision_display", label=_("Keputusan"), sort_key="decision"),
            DateColumn("received_at", label=_("Diterima"), sort_key="received_at"),
        ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("request")

    def get_filename(self) -> str:
        return f"register-keberatan-{timezone.localdate():%Y-%m-%d}"

    def to_row_dict(self, item: Objection) -> OrderedDict:
        row = register_row(item)
        return OrderedDict((field, row[field]) for field in self.list_export)


def register_row(objection: Objection) -> dict[str, str]:
    """One row of the register, as the exports and the detail screen write it."""
    req = objection.request
    return {
        "number": objection.number,
        "received": notices.format_date(objection.received_at),
        "name": req.name,
        "identity": f"{req.get_requester_type_display()}; {req.address}; {req.phone}; {req.email}",
        "request_number": req.number,
        "ground": objection.get_ground_display(),
        "decision": objection.get_decision_display() if objection.decision else "",
        "answered": notices.format_date(objection.answered_at) if objection.answered_at else "",
        "superior_name": objection.superior_name,
        "superior_position": objection.superior_position,
        "response": objection.requester_response,
    }


# --- the detail screen ----------------------------------------------------------------------------
def objection_history(objection: Objection) -> list[Event]:
    events = [
        Event(objection.request.received_at, f"Permohonan {objection.request.number} diterima"),
        Event(objection.received_at, f"Keberatan diterima dengan nomor {objection.number}"),
    ]
    if objection.answered_at:
        events.append(
            Event(
                objection.answered_at,
                f"Ditanggapi: {objection.get_decision_display()}",
                notices.person_name(objection.answered_by),
            )
        )
    if objection.requester_response_at:
        events.append(Event(objection.requester_response_at, "Tanggapan pemohon dicatat"))
    followup = followups([objection.pk]).get(objection.pk)
    if followup:
        events.append(Event(followup.moment, "Informasi diberikan PPID (tindak lanjut)", followup.person))
    events += opened_events(objection)
    return sorted(events, key=lambda event: event.moment)


class ObjectionDetailView(InspectView):
    template_name = "ppid/admin/objection_detail.html"
    page_title = _("Keberatan")

    def get_page_subtitle(self):
        return self.object.number

    @cached_property
    def header_more_buttons(self):
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        objection: Objection = self.object
        user = self.request.user
        calendar = WorkCalendar.load()
        context.update(
            {
                "objection": objection,
                "req": objection.request,
                "row": register_row(objection),
                "deadline": deadline_of(objection.due_on, objection.answered_at, calendar),
                "received": notices.format_datetime(objection.received_at),
                "answered": notices.format_datetime(objection.answered_at),
                "response_recorded": notices.format_datetime(objection.requester_response_at),
                "commission_deadline": notices.format_date(objection.commission_deadline(calendar)),
                "can_answer": user.has_perm("ppid.answer_objection") and not objection.is_answered,
                "can_record_response": user.has_perm("ppid.record_response")
                and objection.is_answered
                and not objection.requester_response_at,
                "upheld": objection.decision in UPHELD_DECISIONS,
                "followup": followups([objection.pk]).get(objection.pk),
                "history": objection_history(objection),
                "rules": rules,
            }
        )
        return context


def objection_notice(request, pk: int) -> HttpResponse:
    if not may_view(request.user):
        raise PermissionDenied
    objection = get_object_or_404(Objection.objects.select_related("request"), pk=pk)
    if not notices.objection_notice_available(objection):
        raise Http404
    return pdf_response(
        notices.objection_notice(objection), notices.filename(notices.KIND_OBJECTION, objection.number)
    )


# --- actions --------------------------------------------------------------------------------------
def default_position() -> str:
    return f"Atasan PPID {settings.KPU_IDENTITY['name']}"


class ObjectionAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=ObjectionDecision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih keputusan atas keberatan ini."),
            "invalid_choice": _("Pilih salah satu keputusan yang tersedia."),
        },
    )
    answer = text_field(
        _("Tanggapan Atasan PPID"),
        help_text=_(
            "Tertulis dalam tanggapan kepada pemohon: pertimbangan dan, bila keberatan diterima, apa yang "
            "wajib dilakukan PPID."
        ),
        min_length=10,
        rows=6,
        messages_={"required": _("Tuliskan tanggapan atas keberatan ini.")},
    )
    superior_name = forms.CharField(
        label=_("Nama Atasan PPID"),
        max_length=200,
        error_messages={
            "required": _("Tuliskan nama Atasan PPID yang menandatangani tanggapan."),
            "max_length": _("Terlalu panjang: paling banyak %(limit_value)d karakter."),
        },
    )
    superior_position = forms.CharField(
        label=_("Jabatan Atasan PPID"),
        max_length=200,
        error_messages={
            "required": _("Tuliskan jabatan Atasan PPID."),
            "max_length": _("Terlalu panjang: paling banyak %(limit_value)d karakter."),
        },
    )


class ObjectionActionView(ActionView):
    model = Objection
    header_icon = "warning"
    detail_url_name = "ppid_keberatan:detail"


class ObjectionAnswerView(ObjectionActionView):
    permission = "ppid.answer_objection"
    template_name = "ppid/admin/objection_answer.html"
    form_class = ObjectionAnswerForm
    page_title = _("Tanggapi keberatan")

    def refusal(self, objection: Objection) -> str:
        if objection.is_answered:
            return (
                f"Keberatan {objection.number} sudah ditanggapi pada "
                f"{notices.format_date(objection.answered_at)}. Tanggapan tidak dapat diubah."
            )
        return ""

    def get_initial(self):
        user = self.request.user
        previous = (
            Objection.objects.filter(answered_by=user)
            .exclude(superior_position="")
            .order_by("-answered_at")
            .first()
        )
        return {
            "superior_name": notices.person_name(user),
            "superior_position": previous.superior_position if previous else default_position(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objection = self.object
        calendar = WorkCalendar.load()
        context["objection"] = objection
        context["req"] = objection.request
        context["deadline"] = deadline_of(objection.due_on, objection.answered_at, calendar)
        context["commission_deadline"] = notices.format_date(
            add_working_days(calendar, today(), rules.COMMISSION_WORKING_DAYS)
        )
        context["rules"] = rules
        req = objection.request
        context["no_email_steps"] = (
            "" if req.email else no_email_steps(req, "tanggapan tertulis (PDF)", saved=False)
        )
        return context

    def act(self, objection: Objection, form) -> str:
        data = form.cleaned_data
        objection.record_answer(
            decision=data["decision"],
            answer=data["answer"].strip(),
            user=self.request.user,
            superior_name=data["superior_name"].strip(),
            superior_position=data["superior_position"].strip(),
        )
        log(
            objection,
            "ppid.objection_answer",
            user=self.request.user,
            title=objection.number,
            data={"decision": data["decision"]},
        )
        notifications.objection_answered(objection)
        message = action_message(
            objection.request,
            f"Keberatan {objection.number} ditanggapi: {objection.get_decision_display()}.",
            "Pemohon diberi tahu lewat email, dengan tanggapan tertulis terlampir.",
            link(reverse("ppid_keberatan:notice", args=[objection.pk]), "tanggapan tertulis (PDF)"),
        )
        if objection.decision not in UPHELD_DECISIONS:
            return message
        if notifications.objection_upheld(objection):
            told = "PPID diberi tahu lewat email untuk memberikan informasinya kepada pemohon."
        else:
            told = (
                "Tidak ada anggota kelompok PPID yang beralamat email: sampaikan langsung kepada PPID "
                "bahwa informasinya wajib diberikan."
            )
        return format_html("{} {}", message, told)


class ResponseForm(forms.Form):
    requester_response = text_field(
        _("Tanggapan pemohon"),
        help_text=_(
            "Apa yang disampaikan pemohon atas tanggapan Atasan PPID (menerima, atau akan mengajukan "
            "penyelesaian sengketa ke Komisi Informasi), dan lewat apa (surat, email, datang langsung)."
        ),
        min_length=5,
        max_length=2000,
        messages_={"required": _("Tuliskan tanggapan pemohon.")},
    )


class ResponseView(ObjectionActionView):
    permission = "ppid.record_response"
    template_name = "ppid/admin/objection_response.html"
    form_class = ResponseForm
    page_title = _("Catat tanggapan pemohon")

    def refusal(self, objection: Objection) -> str:
        if not objection.is_answered:
            return (
                f"Keberatan {objection.number} belum ditanggapi Atasan PPID: tanggapan pemohon dicatat "
                "setelah tanggapan itu disampaikan."
            )
        if objection.requester_response_at:
            return (
                f"Tanggapan pemohon atas keberatan {objection.number} sudah dicatat pada "
                f"{notices.format_date(objection.requester_response_at)}."
            )
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["objection"] = self.object
        context["req"] = self.object.request
        return context

    def act(self, objection: Objection, form) -> str:
        objection.requester_response = form.cleaned_data["requester_response"].strip()
        objection.requester_response_at = timezone.now()
        objection.save(update_fields=["requester_response", "requester_response_at"])
        log(objection, "ppid.response", user=self.request.user, title=objection.number)
        return f"Tanggapan pemohon atas keberatan {objection.number} tercatat di register."


# --- the viewset ----------------------------------------------------------------------------------
class ObjectionViewSet(ModelViewSet):
    model = Objection
    name = "ppid_keberatan"
    url_prefix = "ppid/keberatan"
    icon = "warning"
    menu_label = _("Register keberatan")
    menu_name = "ppid-keberatan"
    menu_order = 200
    menu_hook = MENU_HOOK
    index_view_class = ObjectionIndexView
    inspect_view_class = ObjectionDetailView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    filterset_class = ObjectionFilterSet
    search_fields = ["number", "request__number", "request__name", "request__email"]
    search_backend_name = None
    list_per_page = 30
    #: the register's columns (``register_row``)
    list_export = [
        "number",
        "received",
        "name",
        "identity",
        "request_number",
        "ground",
        "decision",
        "answered",
        "superior_name",
        "superior_position",
        "response",
    ]
    export_headings = {
        "number": _("Nomor registrasi keberatan"),
        "received": _("Tanggal diterima"),
        "name": _("Nama pemohon"),
        "identity": _("Identitas pemohon (jenis; alamat; telepon; email)"),
        "request_number": _("Nomor permohonan informasi"),
        "ground": _("Alasan keberatan"),
        "decision": _("Keputusan"),
        "answered": _("Tanggal ditanggapi"),
        "superior_name": _("Nama Atasan PPID"),
        "superior_position": _("Jabatan Atasan PPID"),
        "response": _("Tanggapan pemohon"),
    }

    def get_common_view_kwargs(self, **kwargs):
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
            path("<int:pk>/", self.inspect_view, name="detail"),
            path("<int:pk>/tanggapi/", ObjectionAnswerView.as_view(), name="answer"),
            path("<int:pk>/tanggapan-pemohon/", ResponseView.as_view(), name="response"),
            path("<int:pk>/tanggapan-pdf/", objection_notice, name="notice"),
        ]


@hooks.register("register_admin_viewset")
def register_objection_viewset():
    return ObjectionViewSet()
