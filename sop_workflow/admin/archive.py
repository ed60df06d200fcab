"""The approval archive's admin screens ("Arsip Persetujuan"): list with filters, detail, PDF / CSV / ZIP
downloads, and the hooks that put them in the admin (menu item, URLs).

Readable only by members of the SOP's groups and by superusers; nobody can change or delete a record
here (there is no such view).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import django_filters

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton

from kpu_pages.kinds import KINDS
from kpu_site.spreadsheet_safety import SafeSpreadsheetExportMixin
from sop_workflow import archive_export
from sop_workflow.archive import format_datetime, format_seconds
from sop_workflow.models import ArsipPersetujuan
from sop_workflow.sop import LEGAL_BASIS, ROLES

#: A ZIP is built in the request: beyond this many records, narrow the date range.
ZIP_LIMIT = 500


def can_read_archive(user) -> bool:
    """Superusers and members of the SOP's role groups."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    names = [info.group_name for info in ROLES.values()]
    return user.groups.filter(name__in=names).exists()


class ArchiveAccessMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any):
        if not can_read_archive(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ArchiveFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(label=_("Tanggal"), widget=DateRangePickerWidget)
    kind_key = django_filters.ChoiceFilter(
        label=_("Jenis konten"),
        choices=[(kind.key, kind.label) for kind in KINDS.values()],
        empty_label=_("Semua jenis"),
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Hasil alur"), choices=ArsipPersetujuan.OUTCOMES, empty_label=_("Semua hasil")
    )
    outside_sop = django_filters.ChoiceFilter(
        label=_("Cara terbit"),
        choices=[("false", _("Melalui alur SOP")), ("true", _("Di luar SOP"))],
        empty_label=_("Semua"),
        method="filter_outside_sop",
    )

    class Meta:
        model = ArsipPersetujuan
        fields = ["created_at", "kind_key", "outcome", "outside_sop"]

    def filter_outside_sop(self, queryset, name, value):
        if value in ("true", "false"):
            return queryset.filter(outside_sop=value == "true")
        return queryset


class OutsideSopColumn(Column):
    def get_value(self, instance: ArsipPersetujuan) -> str:
        if not archive_export.is_published(instance):
            return "—"  # a cancelled or restarted run was never published
        return str(_("DI LUAR SOP")) if instance.outside_sop else str(_("melalui SOP"))


class OutcomeColumn(Column):
    def get_value(self, instance: ArsipPersetujuan) -> str:
        return archive_export.outcome_label(instance)


class EndedByColumn(Column):
    """Who published the content, or who cancelled or restarted its run."""

    def get_value(self, instance: ArsipPersetujuan) -> str:
        if archive_export.is_published(instance):
            return instance.published_by_name
        return instance.ended_by_name


class PublishedAtColumn(Column):
    def get_value(self, instance: ArsipPersetujuan) -> str:
        return format_datetime(instance.created_at)


#: Columns left out on a phone (static/css/sop_admin.css): number, date, title and outcome stay readable.
WIDE_ONLY = "sop-wide-only"


class ArchiveListView(ArchiveAccessMixin, SafeSpreadsheetExportMixin, ReportView):
    page_title = _("Arsip Persetujuan")
    header_icon = "clipboard-list"
    index_url_name = "sop_arsip:index"
    index_results_url_name = "sop_arsip:index_results"
    filterset_class = ArchiveFilterSet
    paginate_by = 50
    columns = [
        Column("sequence", label=_("No. arsip")),
        PublishedAtColumn("created_at", label=_("Tanggal")),
        TitleColumn("title", label=_("Konten"), url_name="sop_arsip:detail"),
        Column("kind_label", label=_("Jenis"), classname=WIDE_ONLY),
        Column("chain_name", label=_("Alur SOP"), classname=WIDE_ONLY),
        OutcomeColumn("outcome", label=_("Hasil")),
        OutsideSopColumn("outside_sop", label=_("Cara terbit"), classname=WIDE_ONLY),
        EndedByColumn("published_by_name", label=_("Oleh"), classname=WIDE_ONLY),
    ]
    list_export = [
        "sequence",
        "created_at",
        "title",
        "kind_label",
        "chain_name",
        "outside_sop",
        "bypass_reason",
        "published_by_name",
        "published_by_username",
        "url",
        "page_id",
        "revision_id",
        "record_hash",
        "outcome",
        "recorded_at",
        "ended_by_name",
        "ended_by_username",
        "reason",
        "revision_hash",
    ]
    export_headings = {
        "sequence": _("No. arsip"),
        "created_at": _("Diterbitkan pada"),
        "title": _("Judul"),
        "kind_label": _("Jenis"),
        "chain_name": _("Alur SOP"),
        "outside_sop": _("Di luar SOP"),
        "bypass_reason": _("Alasan di luar SOP"),
        "published_by_name": _("Diterbitkan oleh"),
        "published_by_username": _("Nama pengguna penerbit"),
        "url": _("Alamat publik"),
        "page_id": _("ID halaman"),
        "revision_id": _("ID revisi"),
        "record_hash": _("Hash catatan"),
        "outcome": _("Hasil alur"),
        "recorded_at": _("Tanggal catatan"),
        "ended_by_name": _("Diakhiri oleh"),
        "ended_by_username": _("Nama pengguna yang mengakhiri"),
        "reason": _("Alasan pembatalan"),
        "revision_hash": _("Hash revisi"),
    }

    custom_field_preprocess = {
        "created_at": {"csv": format_datetime, "xlsx": format_datetime},
        "recorded_at": {"csv": format_datetime, "xlsx": format_datetime},
        "outside_sop": {
            "csv": lambda value: "ya" if value else "tidak",
            "xlsx": lambda v: "ya" if v else "tidak",
        },
    }

    def get_queryset(self):
        # The steps and files (JSON) are not shown here: leave them in the database.
        return ArsipPersetujuan.objects.defer("steps", "files").order_by("-sequence")

    def to_row_dict(self, item: ArsipPersetujuan) -> OrderedDict:
        """A run that ended unpublished has no publication date or publisher; every record has a date."""
        row = OrderedDict()
        published = archive_export.is_published(item)
        for field in self.list_export:
            if field == "recorded_at":
                row[field] = item.created_at
            elif field == "outcome":
                row[field] = archive_export.outcome_label(item)
            elif field in ("created_at", "published_by_name", "published_by_username") and not published:
                row[field] = None
            else:
                row[field] = getattr(item, field)
        return row

    @property
    def header_buttons(self) -> list[HeaderButton]:
        query = self.request.GET.copy()
        for key in ("p", "export"):
            query.pop(key, None)
        suffix = f"?{query.urlencode()}" if query else ""
        return [
            HeaderButton(
                _("Unduh ZIP (PDF + index.csv)"),
                url=reverse("sop_arsip:zip") + suffix,
                icon_name="download",
            )
        ]


class ArchiveDetailView(ArchiveAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "sop_workflow/archive/detail.html"
    header_icon = "clipboard-list"

    def get_record(self) -> ArsipPersetujuan:
        if not hasattr(self, "_record"):
            self._record = get_object_or_404(ArsipPersetujuan, pk=self.kwargs["pk"])
        return self._record

    def get_page_title(self) -> str:
        return str(_("Arsip Persetujuan"))

    def get_page_subtitle(self) -> str:
        return self.get_record().title

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            {"url": reverse("sop_arsip:index"), "label": _("Arsip Persetujuan")},
            {"url": "", "label": f"#{self.get_record().sequence} {self.get_record().title}"},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        record = self.get_record()
        context["record"] = record
        context["published"] = archive_export.is_published(record)
        context["outcome_label"] = archive_export.outcome_label(record)
        context["published_at"] = format_datetime(record.created_at)
        context["submitted_at"] = format_datetime(record.submitted_at)
        context["legal_basis"] = LEGAL_BASIS
        context["files"] = [
            {
                **entry,
                "label": archive_export.file_label(entry),
                "hash": archive_export.file_hash_label(entry),
            }
            for entry in record.files
        ]
        context["steps"] = [
            {
                **step,
                "period": archive_export.step_period(step),
                "wall": format_seconds(step["wall_seconds"]),
                "office": format_seconds(step["office_seconds"]),
                "within_label": archive_export.within_label(step),
                "judged": archive_export.was_judged(step),
                "judged_label": archive_export.judged_label(step),
                "corrected_label": archive_export.corrected_label(step),
                "changes_list": step.get("changes"),
            }
            for step in archive_export.shown_steps(record)
        ]
        return context


def _download(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _check(request: HttpRequest) -> None:
    if not can_read_archive(request.user):
        raise PermissionDenied


def record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    record = get_object_or_404(ArsipPersetujuan, pk=pk)
    return _download(
        archive_export.record_pdf(record), archive_export.pdf_filename(record), "application/pdf"
    )


def record_csv(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    record = get_object_or_404(ArsipPersetujuan, pk=pk)
    return _download(
        archive_export.record_csv(record), archive_export.csv_filename(record), "text/csv; charset=utf-8"
    )


def records_zip(request: HttpRequest) -> HttpResponse:
    """The records of the list's current filters (a date range, a kind) as one ZIP."""
    _check(request)
    filters = ArchiveFilterSet(data=request.GET, request=request, queryset=ArsipPersetujuan.objects.all())
    if not filters.is_valid():
        messages.error(
            request, _("Saringan tidak valid: periksa rentang tanggal, jenis konten dan hasil alur.")
        )
        return redirect("sop_arsip:index")
    records = list(filters.qs.order_by("sequence")[: ZIP_LIMIT + 1])
    if len(records) > ZIP_LIMIT:
        messages.error(
            request,
            _(
                "Terlalu banyak catatan untuk satu berkas ZIP (lebih dari %(limit)s). "
                "Persempit rentang tanggal."
            )
            % {"limit": ZIP_LIMIT},
        )
        return redirect(reverse("sop_arsip:index") + f"?{request.GET.urlencode()}")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _download(archive_export.records_zip(records), f"arsip-persetujuan-{stamp}.zip", "application/zip")


# --- hooks ----------------------------------------------------------------------------------------
urlpatterns = [
    path("", ArchiveListView.as_view(), name="index"),
    path("results/", ArchiveListView.as_view(results_only=True), name="index_results"),
    path("zip/", records_zip, name="zip"),
    path("<int:pk>/", ArchiveDetailView.as_view(), name="detail"),
    path("<int:pk>/pdf/", record_pdf, name="pdf"),
    path("<int:pk>/csv/", record_csv, name="csv"),
]


@hooks.register("register_admin_urls")
def register_archive_urls():
    return [path("sop/arsip/", include((urlpatterns, "sop_arsip"), namespace="sop_arsip"))]


class ArchiveMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return can_read_archive(request.user)


@hooks.register("register_admin_menu_item")
def register_archive_menu_item():
    return ArchiveMenuItem(
        _("Arsip Persetujuan"),
        reverse("sop_arsip:index"),
        name="arsip-persetujuan",
        icon_name="clipboard-list",
        order=900,
    )
