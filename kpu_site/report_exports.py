"""The CSV and XLSX exports of the admin reports ("Kepatuhan SOP", "Laporan Layanan Informasi"), one shape.

Both open with a preamble (what the figures cover), a blank row, then the table. Excel in an Indonesian
locale reads ";" between fields and "," as the decimal separator; the byte order mark makes it read the
CSV as UTF-8 (otherwise "–" and accented names are garbled). Every cell goes through
``kpu_site.spreadsheet_safety``.
"""

from __future__ import annotations

import csv

from openpyxl import Workbook
from openpyxl.styles import Font

from wagtail.admin.views.mixins import Echo, ExcelDateFormatter, SpreadsheetExportMixin

from kpu_site.spreadsheet_safety import SafeSpreadsheetExportMixin, csv_cell, csv_row, xlsx_cell

CSV_DELIMITER = ";"
CSV_BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def csv_decimal(value: float) -> str:
    """A non-integer number for the CSV: 87.5 -> "87,5", 469.0 -> "469,0" (no thousands separator)."""
    text = repr(float(value))
    if "e" in text or "E" in text or "n" in text:  # huge, tiny, inf or nan: write it out plainly
        text = f"{value:f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


class PreambleExportMixin(SafeSpreadsheetExportMixin):
    """Put before Wagtail's ``ReportView``. The view gives ``export_preamble()`` (the [label, value] lines
    before the table), ``xlsx_sheet_title`` and ``xlsx_column_widths`` ({"A": 24, ...})."""

    xlsx_sheet_title: str
    xlsx_column_widths: dict[str, float] = {}

    #: Numbers stay numbers: floats get a decimal comma in the CSV.
    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        float: {SpreadsheetExportMixin.FORMAT_CSV: csv_decimal},
    }

    def export_preamble(self) -> list[list]:
        raise NotImplementedError

    def stream_csv(self, queryset):
        """As Wagtail's, after a BOM and the preamble, with ";" between fields; every field through the
        formula rule, the rows in ``write_csv_row``."""
        echo = Echo()
        plain = csv.writer(echo, delimiter=CSV_DELIMITER)
        yield CSV_BOM
        for line in self.export_preamble():
            yield plain.writerow(csv_row(line))
        yield plain.writerow([])
        writer = csv.DictWriter(echo, fieldnames=self.list_export, delimiter=CSV_DELIMITER)
        yield writer.writerow({name: csv_cell(self.get_heading(queryset, name)) for name in self.list_export})
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = CSV_CONTENT_TYPE
        return response

    def write_xlsx(self, queryset, output):
        """As Wagtail's, on the named sheet, after the preamble and a blank row, labels and headings in bold;
        no cell is a formula (the rows in ``generate_xlsx_row``, dates in the site's short format)."""
        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title=self.xlsx_sheet_title)
        for column, width in self.xlsx_column_widths.items():
            worksheet.column_dimensions[column].width = width
        bold = Font(bold=True)

        def label(text):
            cell = xlsx_cell(worksheet, text)
            cell.font = bold
            return cell

        for name, value in self.export_preamble():
            worksheet.append([label(name), xlsx_cell(worksheet, value)])
        worksheet.append([])
        worksheet.append(label(self.get_heading(queryset, name)) for name in self.list_export)
        date_format = ExcelDateFormatter().get()
        for item in queryset:
            worksheet.append(
                self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format)
            )
        workbook.save(output)
