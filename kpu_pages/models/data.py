"""Data: published election data (DPT, TPS, PPK/PPS, ...) as tables per kabupaten/kota.

An editor uploads each table as a CSV or XLSX document. The file is parsed and validated when
the page is saved (``DataTable.clean``) and the rows are stored as JSON, so the public page
never reads the file again. The public page shows an accessible table, a server-drawn bar
chart (inline SVG, no JavaScript) and two downloads: the original file and a clean CSV built
from the stored rows (``<page-url>unduh/<n>.csv``).
"""

from __future__ import annotations

import csv
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from kpu_pages.data_tables import column_decimals, csv_rows, format_number, parse_document
from kpu_site import spreadsheet_safety

from .base import IndexPage, SitePage, site_search_fields
from .news import tabbed

MAX_TABLES = 10

#: chart geometry (SVG user units); the SVG scales to the width of its container
CHART_WIDTH = 480
CHART_LABEL_WIDTH = 130
CHART_VALUE_WIDTH = 72
CHART_ROW_HEIGHT = 20
CHART_BAR_HEIGHT = 14
CHART_TOP = 8


class DataTable(Orderable):
    """One table of a Data page: its title, the uploaded source file and the parsed rows."""

    page = ParentalKey("kpu_pages.DataPage", related_name="tables", on_delete=models.CASCADE)
    title = models.CharField(
        _("judul tabel"),
        max_length=200,
        help_text=_("Tampil sebagai keterangan tabel. Contoh: DPT per kabupaten/kota menurut jenis kelamin"),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("berkas sumber (CSV atau XLSX)"),
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Unggah CSV atau XLSX (lembar pertama dibaca), paling besar 5 MB dan 5.000 baris. "
            "Baris pertama berisi judul kolom. Kolom pertama berisi nama atau kode kabupaten/kota "
            "(contoh: Kota Semarang, Kab. Cilacap, 33.74); baris terakhir boleh berisi Jumlah atau "
            "Total. Angka ditulis seperti biasa: 1.234.567 atau 12,5. Grafik menggambar kolom "
            "angka pertama, jadi letakkan angka utama (misalnya jumlah) di kolom kedua."
        ),
    )
    data = models.JSONField(_("isi tabel"), default=dict, blank=True, editable=False)

    panels = [FieldPanel("title"), FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("tabel data")
        verbose_name_plural = _("tabel data")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.document_id:
            self.load_document()

    def load_document(self) -> None:
        """Parse the source document into ``data``; errors are reported on the document field."""
        try:
            self.data = parse_document(self.document).as_json()
            self.__dict__.pop("decimals", None)  # worked out again from the new rows
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from error

    # --- what the public page shows ---------------------------------------------------------
    @property
    def headers(self) -> list[dict[str, Any]]:
        return [
            {"text": text, "numeric": numeric}
            for text, numeric in zip(self.data.get("headers", []), self.data.get("numeric", []), strict=False)
        ]

    @cached_property
    def decimals(self) -> list[int]:
        """Per value column: the decimals its numbers are shown with, the same down the column
        (total row included), so that the digits line up under each other."""
        rows = [row["values"] for row in self.data.get("rows", [])]
        if self.data.get("total"):
            rows.append(self.data["total"]["values"])
        numeric = self.data.get("numeric", [])[1:]
        return [
            column_decimals(row[col] for row in rows if col < len(row)) if is_number else 0
            for col, is_number in enumerate(numeric)
        ]

    def _cells(self, values: list[Any]) -> list[dict[str, Any]]:
        numeric = self.data.get("numeric", [])[1:]
        return [
            {"text": format_number(value, decimals) if is_number else value, "numeric": is_number}
            for value, is_number, decimals in zip(values, numeric, self.decimals, strict=False)
        ]

    @property
    def display_rows(self) -> list[dict[str, Any]]:
        return [
            {"label": row["nama"], "cells": self._cells(row["values"])} for row in self.data.get("rows", [])
        ]

    @property
    def display_total(self) -> dict[str, Any] | None:
        total = self.data.get("total")
        return {"label": total["label"], "cells": self._cells(total["values"])} if total else None

    def chart(self) -> dict[str, Any] | None:
        """Horizontal bars for the first numeric column, or None when there is nothing to draw."""
        numeric = self.data.get("numeric", [])
        try:
            column = numeric.index(True, 1)
        except ValueError:
            return None
        rows = self.data.get("rows", [])
        values = [row["values"][column - 1] for row in rows]
        top = max((v for v in values if v is not None), default=0)
        if top <= 0:
            return None
        span = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_VALUE_WIDTH
        bars = []
        for n, (row, value) in enumerate(zip(rows, values, strict=True)):
            y = CHART_TOP + n * CHART_ROW_HEIGHT
            width = round(span * max(value or 0, 0) / top, 1)
            bars.append(
                {
                    "label": row["nama"].replace("Kabupaten ", "Kab. "),
                    "value": format_number(value, self.decimals[column - 1]),
                    "y": y,
                    "width": width,
                    "text_y": y + CHART_BAR_HEIGHT - 2,
                    "value_x": CHART_LABEL_WIDTH + width + 6,
                }
            )
        return {
            "column": self.data["headers"][column],
            "bars": bars,
            "width": CHART_WIDTH,
            "height": CHART_TOP * 2 + len(bars) * CHART_ROW_HEIGHT,
            "label_x": CHART_LABEL_WIDTH - 8,
            "bar_x": CHART_LABEL_WIDTH,
            "bar_height": CHART_BAR_HEIGHT,
        }

    @property
    def file_extension(self) -> str:
        return self.document.file_extension.upper() if self.document_id and self.document else ""


class DataPage(RoutablePageMixin, SitePage):
    """A published data set: one or more tables per kabupaten/kota with their legal basis."""

    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN_KOTA = "kabupaten-kota", _("Kabupaten/Kota")

    as_of = models.DateField(
        _("keadaan per tanggal"),
        help_text=_("Tanggal keadaan data, sesuai berita acara atau dokumen sumber."),
    )
    basis = models.CharField(
        _("dasar data"),
        max_length=255,
        help_text=_("Contoh: Berita Acara Rapat Pleno Nomor 12/PL.02.1-BA/33/2026"),
    )
    level = models.CharField(
        _("tingkat"),
        max_length=20,
        choices=Level.choices,
        default=Level.PROVINSI,
        help_text=_("Tingkat penetapan data: rekap KPU Provinsi atau KPU Kabupaten/Kota."),
    )
    description = models.TextField(
        _("deskripsi singkat"),
        max_length=600,
        help_text=_("Satu atau dua kalimat: data apa ini dan untuk pemilihan apa. Tampil di daftar."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("as_of"), FieldPanel("level"), FieldPanel("basis")], heading=_("Keterangan data")
        ),
        FieldPanel("description"),
        InlinePanel("tables", label=_("Tabel"), heading=_("Tabel"), min_num=1, max_num=MAX_TABLES),
    ]
    edit_handler = tabbed(content_panels)
    search_fields = site_search_fields(
        index.SearchField("description"),
        index.SearchField("basis"),
        index.FilterField("as_of"),
    )
    parent_page_types = ["kpu_pages.DataIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("data")
        verbose_name_plural = _("data")

    @property
    def listing_date(self):
        return self.as_of

    def get_tables(self) -> list[DataTable]:
        return list(self.tables.select_related("document").order_by("sort_order", "pk"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def tables():
            tables = self.get_tables()
            for number, table in enumerate(tables, start=1):
                table.csv_url = self.csv_url(number)
            return tables

        # read only if the page's main part is rendered, not when it is kept ({% page_fragment %})
        context["tables"] = SimpleLazyObject(tables)
        return context

    def csv_url(self, number: int) -> str:
        """``<page-url>unduh/<n>.csv``; Wagtail hands routes a trailing slash, the link has none."""
        return (self.url or "") + self.reverse_subpage("unduh_csv", args=[number]).rstrip("/")

    # Wagtail's routing appends "/" to the path it matches, so the pattern carries one too.
    @path("unduh/<int:number>.csv/", name="unduh_csv")
    def download_csv(self, request, number: int):
        """The stored rows of table ``number`` (1-based) as CSV, with a BOM so Excel reads UTF-8; text cells
        that a spreadsheet would run as a formula are neutralised (kpu_site.spreadsheet_safety)."""
        tables = list(self.tables.order_by("sort_order", "pk").only("pk", "title", "data", "sort_order"))
        if not 1 <= number <= len(tables) or not tables[number - 1].data:
            raise Http404
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{slugify(self.title)[:80] or 'data'}-tabel-{number}.csv"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response.write("\ufeff")
        writer = csv.writer(response, lineterminator="\r\n")
        writer.writerows(spreadsheet_safety.csv_rows(csv_rows(tables[number - 1].data)))
        return response


class DataIndexPage(IndexPage):
    child_model = DataPage
    order_field = "-as_of"
    subpage_types = ["kpu_pages.DataPage"]
    template = "kpu_pages/data_index_page.html"

    class Meta:
        verbose_name = _("indeks data")
        verbose_name_plural = _("indeks data")
