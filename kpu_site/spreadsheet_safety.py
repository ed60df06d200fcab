"""Formula injection: the one rule every CSV and XLSX the site writes follows, public and admin.

A spreadsheet reads a cell that begins with "=", "+", "-", "@", a tab or a carriage return as a formula
(OWASP "CSV Injection"): a page title ``=HYPERLINK(...)`` would run on the desk of whoever opens the
export. Such text is neutralised; numbers, and text that is a plain number ("-12", "-7,5", "-7.5"), are not.
- CSV has no cell types: the text gets a leading apostrophe (OWASP's advice); some programs show it.
- XLSX has: the cell is text (never a formula) carrying Excel's quote prefix, what Excel itself records
  when someone types '=1. It shows exactly what the editor typed and stays text when edited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

#: what makes a spreadsheet read a cell as a formula (or, for tab and CR, what it skips before one)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: a negative number as the site writes one: "-12", "-7,5" (Indonesian CSV), "-7.5", "-1.234,5"
_PLAIN_NUMBER = re.compile(r"-(?:\d{1,3}(?:\.\d{3})+|\d+)(?:[.,]\d+)?")


def is_formula_like(value: Any) -> bool:
    """Text a spreadsheet would evaluate: it begins with a trigger and is not a plain negative number."""
    return (
        isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value)
    )


def csv_cell(value: Any) -> Any:
    """The value for a CSV field: formula-like text behind an apostrophe, anything else unchanged."""
    return "'" + value if is_formula_like(value) else value


def csv_row(row: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in row]


def csv_rows(rows: Iterable[Iterable[Any]]) -> Iterator[list[Any]]:
    return (csv_row(row) for row in rows)


def guard_xlsx_cell(cell):
    """An openpyxl cell made safe in place: formula-like text becomes a quote-prefixed text cell."""
    if is_formula_like(cell.value):
        cell.data_type = "s"  # openpyxl makes a string beginning with "=" a formula
        cell.quotePrefix = True
    return cell


def xlsx_cell(worksheet, value: Any):
    """A write-only cell holding ``value``, safe (for worksheets opened with ``write_only=True``)."""
    from openpyxl.cell import WriteOnlyCell

    return guard_xlsx_cell(WriteOnlyCell(worksheet, value))


class SafeSpreadsheetExportMixin:
    """Put before Wagtail's ``ReportView`` (or any ``SpreadsheetExportMixin`` view): every exported value,
    after the view's own ``custom_field_preprocess`` / ``custom_value_preprocess``, through the rule."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: csv_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):
            yield guard_xlsx_cell(cell)
