"""The yearly report of the information service: figures, CSV/XLSX exports and chart.

"Laporan Layanan Informasi", a Wagtail ReportView like "Kepatuhan SOP" (``sop_workflow.admin.compliance``):
a year to choose, the figures of ``ppid.report`` in tables, a chart, and the same exports
(``kpu_site.report_exports``: a CSV for Indonesian Excel, an XLSX with numbers as numbers, both opening
with what they cover, every cell safe). Read by the PPID and the Atasan PPID (``ppid.view_report``);
the last item of the "Layanan Informasi" menu.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView

from kpu_site.report_exports import PreambleExportMixin
from ppid import report as figures
from ppid.admin.requests import MENU_HOOK
from ppid.models import InformationRequest, Objection
from ppid.report import YearReport, build_chart, build_report, default_year, is_reportable

REPORT_PERMISSION = "ppid.view_report"


def may_read_report(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(REPORT_PERMISSION))


# --- the rows of the exports -----------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One figure of the exports: its part of the report, what it counts, the number, its unit."""

    section: str
    item: str
    value: int | float | None
    unit: str


REQUESTS = "permohonan"
OBJECTIONS = "keberatan"
DAYS = "hari kerja"


def report_lines(report: YearReport) -> list[Line]:
    """Every figure of the report, in the order of the screen."""
    lines = [
        Line("Permohonan", "Permohonan diterima", report.received, REQUESTS),
        Line("Permohonan", "Sudah dijawab", report.answered, REQUESTS),
        Line("Permohonan", "Belum dijawab", report.unanswered, REQUESTS),
        Line("Permohonan", "Belum dijawab dan melewati batas waktu", report.unanswered_overdue, REQUESTS),
        Line("Permohonan", "Diperpanjang", report.extended, REQUESTS),
        Line("Waktu menjawab", "Rata-rata", report.average_days, DAYS),
        Line("Waktu menjawab", "Median", report.median_days, DAYS),
        Line("Waktu menjawab", "Terlama", report.max_days, DAYS),
        Line("Waktu menjawab", "Dijawab dalam 10 hari kerja", report.on_time, REQUESTS),
        Line("Waktu menjawab", "Dijawab dalam masa perpanjangan", report.within_extension, REQUESTS),
        Line("Waktu menjawab", "Dijawab melewati batas waktu", report.late, REQUESTS),
    ]
    lines += [Line("Keputusan", row.label, row.count, REQUESTS) for row in report.decisions]
    for row in report.refusal_bases:
        lines.append(Line("Alasan penolakan: ditolak", row.label, row.refused, REQUESTS))
        lines.append(Line("Alasan penolakan: diberikan sebagian", row.label, row.partly, REQUESTS))
    lines += [
        Line("Keberatan", "Keberatan diterima", report.objections_received, OBJECTIONS),
        Line("Keberatan", "Ditanggapi dalam 30 hari kerja", report.objections_in_time, OBJECTIONS),
        Line("Keberatan", "Ditanggapi melewati 30 hari kerja", report.objections_late, OBJECTIONS),
        Line("Keberatan", "Belum ditanggapi", report.objections_pending, OBJECTIONS),
        Line(
            "Keberatan",
            "Belum ditanggapi dan melewati batas waktu",
            report.objections_pending_overdue,
            OBJECTIONS,
        ),
    ]
    lines += [
        Line("Keberatan per alasan", row.label, row.count, OBJECTIONS) for row in report.objection_grounds
    ]
    lines += [
        Line("Keberatan per keputusan", row.label, row.count, OBJECTIONS)
        for row in report.objection_decisions
    ]
    for row in report.months:
        lines.append(Line("Permohonan diterima per bulan", row.label, row.requests, REQUESTS))
    for row in report.months:
        lines.append(Line("Permohonan sudah dijawab per bulan diterima", row.label, row.answered, REQUESTS))
    for row in report.months:
        lines.append(Line("Keberatan diterima per bulan", row.label, row.objections, OBJECTIONS))
    return lines


# --- the year to report --------------------------------------------------------------------------
def year_choices() -> list[tuple[str, str]]:
    """The years holding requests or objections, with the default year and this one, newest first."""
    years = {default_year(), figures.current_year()}
    for model in (InformationRequest, Objection):
        years.update(model.objects.order_by().values_list("year", flat=True).distinct())
    return [(str(year), str(year)) for year in sorted(years, reverse=True) if is_reportable(year)]


class YearFilterSet(WagtailFilterSet):
    tahun = django_filters.ChoiceFilter(
        label=_("Tahun laporan"),
        choices=year_choices,
        method="filter_noop",
        empty_label=None,
        help_text=_("Permohonan dan keberatan yang diterima pada tahun ini (WIB)."),
    )

    class Meta:
        model = InformationRequest
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        # The default year stands when none is chosen, and is not shown as an active filter.
        super().__init__(data, *args, **kwargs)
        self.form.fields["tahun"].initial = str(default_year())

    def filter_noop(self, queryset, name, value):
        return queryset

    @cached_property
    def year(self) -> int:
        """The chosen year, or the default one when none (or one outside 2008..this year) is given."""
        value = self.form.cleaned_data.get("tahun") if self.is_valid() else None
        return int(value) if value else default_year()


# --- the view ------------------------------------------------------------------------------------
class YearReportView(PreambleExportMixin, ReportView):
    page_title = _("Laporan Layanan Informasi")
    header_icon = "table"
    results_template_name = "ppid/report/results.html"
    filterset_class = YearFilterSet
    index_url_name = "ppid_report"
    index_results_url_name = "ppid_report_results"
    paginate_by = None

    list_export = ["section", "item", "value", "unit"]
    export_headings = {
        "section": _("Bagian"),
        "item": _("Uraian"),
        "value": _("Jumlah"),
        "unit": _("Satuan"),
    }
    xlsx_sheet_title = "Laporan Layanan Informasi"
    xlsx_column_widths = {"A": 34, "B": 60, "C": 12, "D": 14}

    def dispatch(self, request, *args, **kwargs):
        if not may_read_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def year(self) -> int:
        return self.filters.year if self.filters is not None else default_year()

    def get_filename(self) -> str:
        return f"laporan-layanan-informasi-{self.year}"

    def get_queryset(self):
        return InformationRequest.objects.none()

    def filter_queryset(self, queryset):
        return queryset

    def get_filtered_queryset(self) -> list[Line]:
        self.report = build_report(self.year)
        return report_lines(self.report)

    def export_preamble(self) -> list[list]:
        """The lines before the table in both exports: what the figures cover and on which legal basis."""
        report = self.report
        return [
            ["Laporan", f"Laporan Layanan Informasi Publik {settings.KPU_IDENTITY['name']}"],
            ["Tahun", report.year],
            ["Periode (tanggal diterima, WIB)", report.period_text],
            ["Keadaan per", timezone.localtime(report.as_of).strftime("%d-%m-%Y %H.%M WIB")],
            ["Dasar hukum", figures.REPORT_LEGAL_BASIS],
            ["Batas penyampaian laporan", f"{report.due_on:%d-%m-%Y}"],
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["report"] = self.report
        context["chart"] = build_chart(self.report)
        context["legal_basis"] = figures.REPORT_LEGAL_BASIS
        context["other_years"] = [int(value) for value, _label in year_choices() if int(value) != self.year]
        return context


# --- hooks ---------------------------------------------------------------------------------------
class ReportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_read_report(request.user)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("ppid/laporan/", YearReportView.as_view(), name="ppid_report"),
        path("ppid/laporan/hasil/", YearReportView.as_view(results_only=True), name="ppid_report_results"),
    ]


@hooks.register(MENU_HOOK)
def register_report_menu_item():
    """The last item of the "Layanan Informasi" menu (built in ``ppid.admin.requests``)."""
    return ReportMenuItem(
        _("Laporan Layanan Informasi"),
        reverse("ppid_report"),
        name="laporan-layanan-informasi",
        icon_name="table",
        order=900,
    )
