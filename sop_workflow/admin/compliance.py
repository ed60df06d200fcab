"""The SOP compliance report's admin screen ("Kepatuhan SOP"): a Wagtail ReportView with filters,
chart and exports, under Wagtail's Reports menu (its hooks are at the end).

The figures themselves are computed in ``sop_workflow.compliance``; the exports take their shape from
``kpu_site.report_exports``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import django_filters

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.views.reports import ReportView
from wagtail.models import PageLogEntry, get_page_models

from kpu_pages.kinds import KINDS, available_kinds
from kpu_site.report_exports import PreambleExportMixin
from sop_workflow.bypass import BYPASS_ACTION
from sop_workflow.clock import WorkCalendar
from sop_workflow.compliance import FINISHED_STATUSES, Report, build_chart, build_report
from sop_workflow.models import ArsipPersetujuan, ConceptAuthoring, SOPTask, SOPTaskState
from sop_workflow.progress import in_progress_states
from sop_workflow.sop import CHAINS, KIND_CHAINS, ROLES, SOP_IDENTITY, Chain, Role

#: Who may read the report, besides superusers: the web admin, who runs the chain day to day, and every
#: approver from the sub-coordinator of Subbag Tekmas up (R4 supervises the website team of R2/R3).
COMPLIANCE_ROLES = (Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH, Role.SEKRETARIS, Role.KOMISIONER)
#: The default period: the last 30 days, today included.
DEFAULT_PERIOD_DAYS = 30


def may_read_compliance(user) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    names = [ROLES[role].group_name for role in COMPLIANCE_ROLES]
    return user.groups.filter(name__in=names).exists()


# --- content kinds, resolved to content types once -------------------------------------------------
@cache
def _kind_models() -> dict[str, tuple[type, ...]]:
    """{kind key: the page models of that kind (subclasses included)}."""
    page_models = get_page_models()
    return {
        kind.key: tuple(model for model in page_models if issubclass(model, kind.model))
        for kind in available_kinds()
    }


def kind_content_type_ids(kind_keys: list[str]) -> list[int]:
    """The content type ids of the pages of these kinds (ContentType's cache: no query once warm)."""
    models = [model for key in kind_keys for model in _kind_models().get(key, ())]
    return [ct.pk for ct in ContentType.objects.get_for_models(*models).values()] if models else []


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in available_kinds()]


# --- filters --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Criteria:
    start: dt.datetime | None
    end: dt.datetime | None
    kind: str | None
    chain: Chain | None

    @property
    def period_text(self) -> str:
        """ "01-10-2026 s.d. 30-10-2026" (dates of finishing, office time zone), or "seluruh waktu"."""

        def day(moment: dt.datetime) -> str:
            return timezone.localtime(moment).strftime("%d-%m-%Y")

        if self.start and self.end:
            return f"{day(self.start)} s.d. {day(self.end)}"
        if self.start:
            return f"sejak {day(self.start)}"
        if self.end:
            return f"sampai {day(self.end)}"
        return "seluruh waktu"

    @property
    def period_label(self) -> str:
        text = self.period_text
        return text if text == "seluruh waktu" else f"periode {text}"

    @property
    def filters_label(self) -> str:
        """ "jenis Berita, alur SOP Ringkas", or "semua jenis konten, semua alur"."""
        parts = [f"jenis {KINDS[self.kind].label}" if self.kind in KINDS else "semua jenis konten"]
        parts.append(f"alur {CHAINS[self.chain].workflow_name}" if self.chain else "semua alur")
        return ", ".join(parts)

    @property
    def summary(self) -> str:
        """ "periode 01-10-2026 s.d. 30-10-2026, jenis Berita, alur SOP Ringkas" """
        return f"{self.period_label}, {self.filters_label}"


def default_period() -> tuple[dt.datetime, dt.datetime]:
    """The last 30 days in office time zone: from midnight 29 days ago to the end of today."""
    today = timezone.localdate()
    start = dt.datetime.combine(today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), dt.time.min)
    end = dt.datetime.combine(today, dt.time.max)
    return timezone.make_aware(start), timezone.make_aware(end)


class ComplianceFilterSet(WagtailFilterSet):
    finished_at = django_filters.DateFromToRangeFilter(
        label=_("Periode (tanggal selesai)"),
        widget=DateRangePickerWidget,
        method="filter_noop",
        help_text=_("Tanpa isian: 30 hari terakhir."),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Jenis konten"), choices=_kind_choices, method="filter_noop", empty_label=_("Semua jenis")
    )
    chain = django_filters.ChoiceFilter(
        label=_("Alur SOP"),
        choices=[(chain.value, info.workflow_name) for chain, info in CHAINS.items()],
        method="filter_noop",
        empty_label=_("Semua alur"),
    )

    class Meta:
        model = SOPTaskState
        fields: list[str] = []

    def filter_noop(self, queryset, name, value):
        # The criteria are applied together in filter_queryset (the period has a default).
        return queryset

    @cached_property
    def criteria(self) -> Criteria:
        """What the report covers: the chosen filters, or the defaults where none (or an invalid one)."""
        data = self.form.cleaned_data if self.is_valid() else {}
        period = data.get("finished_at")
        if period and (period.start or period.stop):
            start, end = period.start, period.stop
        else:
            start, end = default_period()
        chain = Chain(data["chain"]) if data.get("chain") else None
        return Criteria(start=start, end=end, kind=data.get("kind") or None, chain=chain)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return filter_states(queryset, self.criteria)


def of_kind_and_chain(queryset: QuerySet, criteria: Criteria) -> QuerySet:
    """Rows of a model with a ``workflow_state`` foreign key, narrowed to the criteria's kind and chain."""
    if criteria.kind:
        queryset = queryset.filter(workflow_state__content_type_id__in=kind_content_type_ids([criteria.kind]))
    if criteria.chain:
        queryset = queryset.filter(workflow_state__workflow__name=CHAINS[criteria.chain].workflow_name)
    return queryset


def within_period(queryset: QuerySet, field: str, criteria: Criteria) -> QuerySet:
    """``queryset`` narrowed to rows whose ``field`` falls in the period, of the kind and chain."""
    if criteria.start:
        queryset = queryset.filter(**{f"{field}__gte": criteria.start})
    if criteria.end:
        queryset = queryset.filter(**{f"{field}__lte": criteria.end})
    return of_kind_and_chain(queryset, criteria)


def filter_states(states: QuerySet, criteria: Criteria) -> QuerySet:
    return within_period(states, "finished_at", criteria)


def filter_pending(states: QuerySet, criteria: Criteria) -> QuerySet:
    """Steps still in progress, of the kind and chain; started before the period's end (whether each is
    late is decided with the clock, in ``compliance.build_report``)."""
    if criteria.end:
        states = states.filter(started_at__lte=criteria.end)
    return of_kind_and_chain(states, criteria)


def filter_authoring(records: QuerySet, criteria: Criteria) -> QuerySet:
    """Concepts (SOP step 1) submitted in the period, of the kind and chain."""
    return within_period(records, "submitted_at", criteria)


def ended_unpublished(criteria: Criteria) -> dict[str, int]:
    """{"cancelled": n, "restarted": m}: runs archived as ended without publication in the period."""
    records = ArsipPersetujuan.objects.filter(
        outcome__in=[ArsipPersetujuan.OUTCOME_CANCELLED, ArsipPersetujuan.OUTCOME_RESTARTED]
    )
    if criteria.start:
        records = records.filter(created_at__gte=criteria.start)
    if criteria.end:
        records = records.filter(created_at__lte=criteria.end)
    if criteria.kind:
        records = records.filter(kind_key=criteria.kind)
    if criteria.chain:
        records = records.filter(chain_name=CHAINS[criteria.chain].workflow_name)
    return dict(records.order_by().values_list("outcome").annotate(count=Count("pk")))


def filter_outside_chain(entries: QuerySet, criteria: Criteria) -> QuerySet:
    """Publications outside the chain, in the period, of the kind; by chain: the chain the page's kind
    takes (a publication outside the chain went through no workflow)."""
    if criteria.start:
        entries = entries.filter(timestamp__gte=criteria.start)
    if criteria.end:
        entries = entries.filter(timestamp__lte=criteria.end)
    if criteria.kind:
        entries = entries.filter(content_type_id__in=kind_content_type_ids([criteria.kind]))
    if criteria.chain:
        short = kind_content_type_ids([key for key, chain in KIND_CHAINS.items() if chain == Chain.SHORT])
        in_short = Q(content_type_id__in=short)
        entries = entries.filter(in_short if criteria.chain == Chain.SHORT else ~in_short)
    return entries


# --- the exports -----------------------------------------------------------------------------------
def number_if_single(value):
    """ "5" -> 5 for the XLSX, so one recorded standard is a number; "5, 10" stays text."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value or None


# --- the view -------------------------------------------------------------------------------------
class ComplianceReportView(PreambleExportMixin, ReportView):
    page_title = _("Kepatuhan SOP")
    header_icon = "time"
    results_template_name = "sop_workflow/compliance/results.html"
    filterset_class = ComplianceFilterSet
    index_url_name = "sop_kepatuhan"
    index_results_url_name = "sop_kepatuhan_results"
    paginate_by = None

    list_export = [
        "level_label",
        "sop_step",
        "step_name",
        "role_label",
        "count",
        "median_office_minutes",
        "p90_office_minutes",
        "median_wall_minutes",
        "standard_minutes",
        "recorded_standards_label",
        "within_share_percent",
        "pending_late",
    ]
    export_headings = {
        "level_label": _("Baris"),
        "sop_step": _("Nomor langkah SOP"),
        "step_name": _("Langkah"),
        "role_label": _("Peran"),
        "count": _("Jumlah selesai"),
        "median_office_minutes": _("Median jam kerja (menit)"),
        "p90_office_minutes": _("Persentil ke-90 jam kerja (menit)"),
        "median_wall_minutes": _("Median waktu nyata (menit)"),
        "standard_minutes": _("Mutu baku berlaku (menit)"),
        "recorded_standards_label": _("Mutu baku tercatat (menit)"),
        "within_share_percent": _("Dalam mutu baku (%)"),
        "pending_late": _("Tertunda melewati mutu baku"),
    }

    xlsx_sheet_title = "Kepatuhan SOP"
    xlsx_column_widths = {"A": 24, "B": 12, "C": 40, "D": 28}
    #: Numbers stay numbers (floats: decimal comma in the CSV, kpu_site.report_exports); one recorded
    #: standard is a number.
    custom_field_preprocess = {
        "recorded_standards_label": {SpreadsheetExportMixin.FORMAT_XLSX: number_if_single},
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_read_compliance(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self) -> str:
        return f"kepatuhan-sop-{timezone.localdate():%Y-%m-%d}"

    def export_preamble(self) -> list[list[str]]:
        """The lines before the table in both exports: what the figures cover and under which SOP."""
        return [
            ["Periode (tanggal selesai)", self.criteria.period_text],
            ["Filter", self.criteria.filters_label],
            ["Nomor SOP", SOP_IDENTITY.number],
        ]

    def get_queryset(self) -> QuerySet:
        return SOPTaskState.objects.filter(status__in=FINISHED_STATUSES, finished_at__isnull=False)

    @cached_property
    def criteria(self) -> Criteria:
        if self.filters is not None:
            return self.filters.criteria
        start, end = default_period()
        return Criteria(start=start, end=end, kind=None, chain=None)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Also when the filter form is invalid: the default period still applies.
        return filter_states(queryset, self.criteria)

    def get_filtered_queryset(self) -> list:
        states = self.filter_queryset(self.get_queryset())
        outside = filter_outside_chain(PageLogEntry.objects.filter(action=BYPASS_ACTION), self.criteria)
        current = dict(SOPTask.objects.values_list("step_key", "standard_minutes"))
        pending = filter_pending(in_progress_states(), self.criteria).values_list(
            "task__soptask__step_key", "started_at", "standard_minutes"
        )
        now = timezone.now()
        self.report: Report = build_report(
            states,
            outside_count=outside.count(),
            calendar=WorkCalendar.load(),
            chain=self.criteria.chain,
            current_standards=current,
            pending=pending,
            late_at=min(self.criteria.end, now) if self.criteria.end else now,
            ended_unpublished=ended_unpublished(self.criteria),
            authoring=filter_authoring(ConceptAuthoring.objects.all(), self.criteria).values_list(
                "started_at", "submitted_at", "standard_minutes"
            ),
        )
        return self.report.rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["report"] = self.report
        context["criteria"] = self.criteria
        context["chart"] = build_chart(self.report.steps, self.criteria.period_label)
        return context


# --- hooks ----------------------------------------------------------------------------------------
class ComplianceMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_read_compliance(request.user)


@hooks.register("register_admin_urls")
def register_compliance_urls():
    return [
        path("reports/kepatuhan-sop/", ComplianceReportView.as_view(), name="sop_kepatuhan"),
        path(
            "reports/kepatuhan-sop/results/",
            ComplianceReportView.as_view(results_only=True),
            name="sop_kepatuhan_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_compliance_menu_item():
    return ComplianceMenuItem(
        _("Kepatuhan SOP"), reverse("sop_kepatuhan"), name="kepatuhan-sop", icon_name="time", order=1100
    )
