"""Reading published data tables (CSV or XLSX) into rows keyed by kabupaten/kota.

The parser runs when an editor saves a Data page and its result is stored as JSON, so the public
page never reads the file again. Every problem raises a ``ValidationError`` with an Indonesian
message naming the row ("Baris", counted as in a spreadsheet) and the column, so the editor can fix it.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from kpu_pages.models.snippets import Wilayah
from kpu_site.zip_limits import SafeZip, ZipLimits, ZipRefused

MAX_BYTES = 5 * 1024 * 1024
#: an XLSX is a ZIP: what its parts may unpack to in all (a few KB can unpack to gigabytes); tighter
#: than the site-wide ZIP limit (kpu_site.zip_limits), which also holds every part to its ratio
MAX_UNPACKED_BYTES = 25 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 50

CSV_EXTENSIONS = {"csv"}
XLSX_EXTENSIONS = {"xlsx"}

#: leading bytes of formats that are certainly not a CSV text file
BINARY_SIGNATURES = {
    b"%PDF": "PDF",
    b"\xd0\xcf\x11\xe0": "Excel 97-2003 (XLS) atau Word lama",
    b"\x89PNG": "gambar PNG",
    b"\xff\xd8\xff": "gambar JPEG",
    b"GIF8": "gambar GIF",
    b"PK\x03\x04": "arsip ZIP/Office",
}

TOTAL_LABELS = re.compile(r"^(jumlah|total)\b", re.IGNORECASE)
EMPTY_VALUES = {"", "-", "–", "—"}  # noqa: RUF001 - dashes editors type for "no data"
_NUMBER_ID = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


@dataclass
class ParsedTable:
    """A parsed table; ``as_json()`` is what the Data page stores::

        {
          "headers": ["Wilayah", "Laki-laki", "Jumlah"],
          "numeric": [false, true, true],          # per column
          "rows": [{"kode": "33.01", "nama": "Kabupaten Cilacap", "values": [812345, 1623456]}, ...],
          "total": {"label": "Jumlah", "values": [...]} | null,
        }

    ``values`` leaves out the first (Wilayah) column. Numbers are ints (or floats when they have
    decimals); empty cells are ``None``; text columns keep strings. The header is row 1.
    """

    headers: list[str]
    numeric: list[bool]
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {"headers": self.headers, "numeric": self.numeric, "rows": self.rows, "total": self.total}


# --- numbers -------------------------------------------------------------------------------
def parse_number(text: str) -> int | float | None:
    """Indonesian formatting: "1.234.567" -> 1234567, "12,5" -> 12.5, "1.234,5" -> 1234.5.

    Returns ``None`` when ``text`` is not a number in that format. "12.5" is not accepted: in
    Indonesian a dot groups thousands, so it is ambiguous.
    """
    text = text.strip().replace("\u00a0", "")
    if not _NUMBER_ID.match(text):
        return None
    try:
        value = Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None
    return int(value) if value == value.to_integral_value() else float(value)


#: the most decimals a table shows (more are rounded away on the page; the CSV keeps them)
MAX_DECIMALS = 2


def decimals_of(value: int | float | None) -> int:
    """How many decimals ``value`` needs, at most ``MAX_DECIMALS``: 7 -> 0, 7.1 -> 1, 12.345 -> 2."""
    if not isinstance(value, float) or not math.isfinite(value):
        return 0
    exponent = Decimal(repr(round(value, MAX_DECIMALS))).normalize().as_tuple().exponent
    return min(MAX_DECIMALS, max(0, -exponent)) if isinstance(exponent, int) else 0


def column_decimals(values: Iterable[int | float | None]) -> int:
    """The decimals every number of one column is shown with: as many as its most precise number
    needs (at most ``MAX_DECIMALS``), so that 8 and 7,1 line up as "8,0" and "7,1"."""
    return max((decimals_of(value) for value in values), default=0)


def format_number(value: int | float | None, decimals: int | None = None) -> str:
    """1234567 -> "1.234.567", 12.5 -> "12,5" (the way Indonesian readers write numbers).

    With ``decimals`` the number is written with exactly that many (``format_number(8, 1)`` ->
    "8,0"); without, with as many as it needs, at most ``MAX_DECIMALS``.
    """
    if value is None:
        return "–"  # noqa: RUF001
    if decimals is None:
        decimals = decimals_of(value)
    whole, _, fraction = f"{value:,.{decimals}f}".partition(".")
    return whole.replace(",", ".") + ("," + fraction if fraction else "")


# --- wilayah lookup ------------------------------------------------------------------------
def _normalise_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip().lower())
    text = re.sub(r"^kab(?:\.\s*|\s+)", "kabupaten ", text)
    return text


class WilayahLookup:
    """Find a kabupaten/kota by Kemendagri code ("33.74" or "3374") or by name."""

    def __init__(self, wilayah: Iterable[Any] | None = None):
        if wilayah is None:
            wilayah = Wilayah.objects.exclude(jenis=Wilayah.Jenis.PROVINSI)
        self.by_code: dict[str, Any] = {}
        self.by_name: dict[str, Any] = {}
        bare: dict[str, list[Any]] = {}
        for item in wilayah:
            self.by_code[item.kode] = item
            self.by_code[item.kode.replace(".", "")] = item
            self.by_name[_normalise_name(item.nama)] = item
            short = re.sub(r"^(kabupaten|kota) ", "", _normalise_name(item.nama))
            bare.setdefault(short, []).append(item)
        self.bare = bare

    def find(self, text: str) -> tuple[Any | None, str | None]:
        """(wilayah, None) when found, else (None, reason shown to the editor)."""
        key = text.strip()
        if key in self.by_code:
            return self.by_code[key], None
        name = _normalise_name(key)
        if name in self.by_name:
            return self.by_name[name], None
        matches = self.bare.get(name, [])
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            names = " atau ".join(m.nama for m in matches)
            return None, f"bisa berarti {names}; tulis nama lengkapnya atau kodenya."
        return None, "tidak dikenal sebagai kabupaten/kota di Jawa Tengah."


# --- reading the file ----------------------------------------------------------------------
def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def read_upload(file, name: str) -> list[list[Any]]:
    """The raw grid of cells (header first) from a CSV or XLSX file object, size-checked."""
    raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationError(
            f"Berkas terlalu besar (lebih dari {MAX_BYTES // (1024 * 1024)} MB). "
            "Pecah datanya menjadi beberapa tabel."
        )
    return read_bytes(raw, name)


def read_bytes(raw: bytes, name: str) -> list[list[Any]]:
    if not raw.strip():
        raise ValidationError(f'Berkas "{name}" kosong.')
    ext = _extension(name)
    if ext not in CSV_EXTENSIONS | XLSX_EXTENSIONS:
        raise ValidationError(
            f'Berkas "{name}" bukan CSV atau XLSX. Simpan tabel dari Excel atau LibreOffice '
            "sebagai .xlsx atau .csv, lalu unggah lagi."
        )
    if ext in XLSX_EXTENSIONS:
        return _read_xlsx(raw, name)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" and some Windows tools write UTF-16 with a byte-order mark
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(
                f'Berkas "{name}" bertanda UTF-16 tetapi isinya rusak. Simpan ulang sebagai CSV (UTF-8).'
            ) from error
    for signature, kind in BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise ValidationError(
                f'Berkas "{name}" bernama .csv tetapi isinya {kind}, bukan teks CSV. '
                "Simpan ulang sebagai CSV atau XLSX."
            )
    if b"\x00" in raw[:8192]:
        raise ValidationError(
            f'Berkas "{name}" bukan teks CSV (isinya biner). Simpan ulang sebagai CSV (UTF-8) atau XLSX.'
        )
    return _read_csv(raw)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _sniff_delimiter(lines: list[str]) -> str:
    """',' or ';': the one that splits the header into most columns consistently."""
    best, best_score = ",", (-1, -1)
    for delimiter in (",", ";"):
        rows = list(csv.reader(lines[:20], delimiter=delimiter))
        if not rows:
            continue
        width = len(rows[0])
        consistent = sum(1 for row in rows if len(row) == width)
        score = (consistent if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(raw: bytes) -> list[list[Any]]:
    text = _decode(raw)
    lines = text.splitlines()
    delimiter = None
    if lines and re.match(r"^sep=.$", lines[0].strip()):  # Excel's own delimiter hint
        delimiter = lines[0].strip()[-1]
        text = "\n".join(lines[1:])
        lines = lines[1:]
    delimiter = delimiter or _sniff_delimiter(lines)
    grid: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            grid.append(row)
            if len(grid) > MAX_ROWS + 2:
                break
    except csv.Error as error:
        raise ValidationError(
            f"Baris {len(grid) + 1}: tanda kutip tidak tertutup atau format CSV rusak ({error})."
        ) from error
    return grid


def _read_xlsx(raw: bytes, name: str) -> list[list[Any]]:
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        # an OLE compound file: an encrypted (password-protected) XLSX, or an old .xls renamed
        raise ValidationError(
            f'Berkas "{name}" dilindungi kata sandi atau berformat Excel 97-2003 (XLS), sehingga tidak '
            "dapat dibaca. Buka di Excel atau LibreOffice, hapus kata sandinya, simpan sebagai .xlsx, "
            "lalu unggah lagi."
        )
    if not raw.startswith(b"PK\x03\x04"):
        raise ValidationError(
            f'Berkas "{name}" bernama .xlsx tetapi isinya bukan berkas Excel XLSX. '
            "Buka di Excel atau LibreOffice lalu simpan sebagai .xlsx."
        )
    try:
        with SafeZip(io.BytesIO(raw), ZipLimits.from_settings(unpacked=MAX_UNPACKED_BYTES)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise ValidationError(
                    f'Berkas "{name}" adalah arsip ZIP, bukan buku kerja Excel. '
                    "Unggah berkas .xlsx atau .csv."
                )
            # openpyxl opens the ZIP itself: it reads a copy whose every part was unpacked within the limits
            workbook_file = archive.copy()
    except ZipRefused as refusal:
        raise ValidationError(
            f'Berkas "{name}" {refusal.reason}. Buka di Excel atau LibreOffice, hapus lembar, gambar atau '
            "format yang tidak perlu (atau pecah datanya menjadi beberapa tabel), simpan sebagai .xlsx, lalu "
            "unggah lagi."
        ) from None
    except zipfile.BadZipFile as error:
        raise ValidationError(f'Berkas "{name}" rusak dan tidak dapat dibuka sebagai XLSX.') from error
    with workbook_file:
        return _read_workbook(workbook_file, name)


def _read_workbook(workbook_file, name: str) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(workbook_file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for broken files
        raise ValidationError(
            f'Berkas "{name}" tidak dapat dibaca sebagai XLSX. Simpan ulang dari Excel atau LibreOffice.'
        ) from error
    try:
        sheet = workbook.worksheets[0]
        grid: list[list[Any]] = []
        # one column past the limit is enough to report "too many columns" without reading a
        # sheet whose recorded dimension is thousands of columns wide
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            grid.append(list(row))
            if len(grid) > MAX_ROWS + 2:
                break
    finally:
        workbook.close()
    if any(cell is None for row in grid for cell in row):
        workbook_file.seek(0)
        _refuse_formulas_without_values(workbook_file, name, grid)
    # read-only sheets report a fixed width: drop trailing columns that are empty everywhere
    width = max((_used_width(row) for row in grid), default=0)
    return [row[:width] + [None] * (width - len(row)) for row in grid]


def _refuse_formulas_without_values(workbook_file, name: str, grid: list[list[Any]]) -> None:
    """A formula is read through the value Excel stored with it; a file written by a program that
    stores none (not Excel or LibreOffice) would otherwise show empty cells without a word."""
    from openpyxl import load_workbook

    workbook = load_workbook(workbook_file, read_only=True, data_only=False)
    try:
        rows = workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS + 1, max_row=len(grid), values_only=True)
        for line, (formulas, values) in enumerate(zip(rows, grid, strict=False), start=1):
            for col, (formula, value) in enumerate(zip(formulas, values, strict=False), start=1):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    raise ValidationError(
                        f'Berkas "{name}", baris {line}, kolom {col}: sel berisi rumus {formula} tanpa '
                        "hasil yang tersimpan. Buka berkas di Excel atau LibreOffice, simpan ulang, "
                        "lalu unggah lagi."
                    )
    finally:
        workbook.close()


def _used_width(row: list[Any]) -> int:
    width = len(row)
    while width and _cell_text(row[width - 1]) == "":
        width -= 1
    return width


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- from grid to table --------------------------------------------------------------------
def _is_blank(row: list[Any]) -> bool:
    return all(_cell_text(cell) == "" for cell in row)


def _numeric_value(cell: Any) -> int | float | None | str:
    """A number, ``None`` for an empty cell, or the original text when it is not a number."""
    if isinstance(cell, bool):
        return _cell_text(cell)
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else cell
    text = _cell_text(cell)
    if text in EMPTY_VALUES:
        return None
    number = parse_number(text)
    return text if number is None else number


def parse_grid(grid: list[list[Any]], lookup: WilayahLookup | None = None) -> ParsedTable:
    """Validate a raw grid (header row first) and turn it into a ``ParsedTable``."""
    numbered = [(n, row) for n, row in enumerate(grid, start=1) if not _is_blank(row)]
    if not numbered:
        raise ValidationError("Berkas tidak berisi data.")
    headers = _headers(*numbered[0])
    cells_by_row = _data_rows(numbered[1:], len(headers))
    numeric = _numeric_columns(cells_by_row, len(headers))
    lookup = lookup or WilayahLookup()
    rows: list[dict[str, Any]] = []
    total = None
    used: dict[str, int] = {}
    for index, (line, row) in enumerate(cells_by_row):
        label = _cell_text(row[0])
        is_last = index == len(cells_by_row) - 1
        wilayah = _row_wilayah(line, label, headers[0], is_last, lookup, used)
        values = _row_values(line, row, headers, numeric)
        if wilayah is None:
            total = {"label": label, "values": values}
        else:
            rows.append({"kode": wilayah.kode, "nama": wilayah.nama, "values": values})
    if not rows:
        raise ValidationError("Berkas tidak berisi baris kabupaten/kota; hanya baris jumlah.")
    return ParsedTable(headers=headers, numeric=numeric, rows=rows, total=total)


def _headers(header_line: int, header_row: list[Any]) -> list[str]:
    """The column titles: at least two, at most ``MAX_COLUMNS``, none empty, no two alike."""
    headers = [_cell_text(cell) for cell in header_row]
    while headers and headers[-1] == "":
        headers.pop()
    if len(headers) < 2:
        raise ValidationError(
            f"Baris {header_line}: perlu paling sedikit dua kolom (Wilayah dan satu kolom angka). "
            "Periksa pemisah kolom (koma atau titik koma)."
        )
    if len(headers) > MAX_COLUMNS:
        raise ValidationError(f"Baris {header_line}: terlalu banyak kolom (paling banyak {MAX_COLUMNS}).")
    seen: dict[str, int] = {}
    for col, header in enumerate(headers, start=1):
        if not header:
            raise ValidationError(f"Baris {header_line}, kolom {col}: judul kolom kosong.")
        key = header.casefold()
        if key in seen:
            raise ValidationError(
                f'Baris {header_line}, kolom {col}: judul kolom "{header}" sudah dipakai di kolom '
                f"{seen[key]}. Setiap kolom harus punya judul yang berbeda."
            )
        seen[key] = col
    return headers


def _data_rows(data: list[tuple[int, list[Any]]], width: int) -> list[tuple[int, list[Any]]]:
    """The data rows (line number, cells), each exactly ``width`` cells wide; at most ``MAX_ROWS``."""
    if not data:
        raise ValidationError("Berkas hanya berisi judul kolom; belum ada baris data.")
    if len(data) > MAX_ROWS:
        raise ValidationError(
            f"Berkas berisi lebih dari {MAX_ROWS} baris data. Pecah menjadi beberapa tabel."
        )
    cells_by_row: list[tuple[int, list[Any]]] = []
    for line, row in data:
        if len(row) > width and all(_cell_text(cell) == "" for cell in row[width:]):
            row = row[:width]
        if len(row) != width:
            raise ValidationError(
                f"Baris {line}: berisi {len(row)} kolom, padahal judul kolom ada {width}. "
                "Setiap baris harus punya jumlah kolom yang sama."
            )
        cells_by_row.append((line, row))
    return cells_by_row


def _numeric_columns(cells_by_row: list[tuple[int, list[Any]]], width: int) -> list[bool]:
    """Per column, whether it is numeric: most of its filled cells are numbers (the rest are then
    errors). The first column, the kabupaten/kota, never is."""
    numeric = [False]
    for col in range(1, width):
        values = [_numeric_value(row[col]) for _, row in cells_by_row]
        filled = [v for v in values if v is not None]
        numbers = [v for v in filled if not isinstance(v, str)]
        numeric.append(bool(filled) and len(numbers) * 2 > len(filled))
    return numeric


def _row_wilayah(
    line: int, label: str, first: str, is_last: bool, lookup: WilayahLookup, used: dict[str, int]
) -> Wilayah | None:
    """The kabupaten/kota a row is about, or None for the total row (the last one only); ``used``
    records each kabupaten/kota's line so that none comes twice."""
    if not label:
        raise ValidationError(f'Baris {line}, kolom "{first}": nama atau kode kabupaten/kota kosong.')
    if TOTAL_LABELS.match(label):
        if not is_last:
            raise ValidationError(
                f'Baris {line}, kolom "{first}": baris "{label}" harus menjadi baris terakhir.'
            )
        return None
    wilayah, reason = lookup.find(label)
    if wilayah is None:
        raise ValidationError(f'Baris {line}, kolom "{first}": "{label}" {reason}')
    if wilayah.kode in used:
        raise ValidationError(
            f'Baris {line}, kolom "{first}": {wilayah.nama} sudah ada di baris {used[wilayah.kode]}.'
        )
    used[wilayah.kode] = line
    return wilayah


def _row_values(line: int, row: list[Any], headers: list[str], numeric: list[bool]) -> list[Any]:
    """A row's values after the first column: numbers in numeric columns, text elsewhere."""
    values: list[Any] = []
    for col in range(1, len(headers)):
        if numeric[col]:
            value = _numeric_value(row[col])
            if isinstance(value, str):
                raise ValidationError(f'Baris {line}, kolom "{headers[col]}": "{value}" bukan angka.')
            values.append(value)
        else:
            values.append(_cell_text(row[col]))
    return values


def parse_file(file, name: str, lookup: WilayahLookup | None = None) -> ParsedTable:
    """Read and validate an uploaded CSV/XLSX file object."""
    return parse_grid(read_upload(file, name), lookup)


def parse_document(document, lookup: WilayahLookup | None = None) -> ParsedTable:
    """Read and validate a Wagtail document; a missing file is reported, not raised as 500."""
    name = document.filename
    try:
        size = document.file.size
    except (OSError, ValueError) as error:
        raise ValidationError(f'Berkas "{name}" tidak ditemukan di penyimpanan. Unggah ulang.') from error
    if size > MAX_BYTES:
        raise ValidationError(
            f'Berkas "{name}" terlalu besar (lebih dari {MAX_BYTES // (1024 * 1024)} MB). '
            "Pecah datanya menjadi beberapa tabel."
        )
    document.file.open("rb")
    try:
        return parse_file(document.file, name, lookup)
    finally:
        document.file.close()


def csv_rows(data: dict[str, Any]) -> Iterator[list[Any]]:
    """The stored table as CSV rows: header, one row per kabupaten/kota, then the total."""
    yield list(data["headers"])
    for row in data["rows"]:
        yield [row["nama"], *("" if v is None else v for v in row["values"])]
    if data.get("total"):
        yield [data["total"]["label"], *("" if v is None else v for v in data["total"]["values"])]
