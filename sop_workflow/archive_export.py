"""The approval archive on paper and in files: the Lembar Persetujuan (PDF, A4), CSV, and a ZIP of both.

PDFs are drawn with ReportLab's platypus; dates read the Indonesian way ("23 November 2026 pukul
09.00 WIB"). Each sheet carries the office's identity, the SOP's and its legal basis, the content and
how its run ended, every step with the revision it judged, the files the page shows with their
hashes, a signature block and the record's hash, so a printed sheet can be checked against the archive.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from django.conf import settings
from django.utils import timezone

from kpu_site import pdf, spreadsheet_safety
from kpu_site.dates import format_date, format_datetime
from sop_workflow.archive import format_seconds
from sop_workflow.models import ArsipPersetujuan
from sop_workflow.sop import LEGAL_BASIS, ROLES, Role

OUTSIDE_SOP = "di luar SOP"
FILE_TYPES = {"document": "dokumen", "image": "gambar"}


# --- as people read a record -------------------------------------------------------------------
def within_label(step: dict[str, Any]) -> str:
    if step.get("within_standard") is None:
        return "—"
    return "sesuai mutu baku" if step["within_standard"] else "melebihi mutu baku"


def outcome_label(record: ArsipPersetujuan) -> str:
    """ "diterbitkan", "dibatalkan" or "dimulai ulang"."""
    return str(record.get_outcome_display())


def is_published(record: ArsipPersetujuan) -> bool:
    return record.outcome == ArsipPersetujuan.OUTCOME_PUBLISHED


def short_hash(value: str | None) -> str:
    return value[:12] if value else "—"


def corrected_label(step: dict[str, Any]) -> str:
    """ "ya" / "tidak"; "—" for steps archived before corrections were recorded."""
    if "corrected" not in step:
        return "—"
    return "ya" if step["corrected"] else "tidak"


def changes_label(step: dict[str, Any]) -> str:
    if "changes" not in step:
        return "—"
    return "; ".join(step["changes"]) or "tidak ada perubahan"


def judged_label(step: dict[str, Any]) -> str:
    """ "revisi 123 (hash 0123456789ab)": the revision the step approved or sent back."""
    if not step.get("revision_id"):
        return "—"
    return f"revisi {step['revision_id']} (hash {short_hash(step.get('revision_hash'))})"


def was_judged(step: dict[str, Any]) -> bool:
    """Approved or sent back: a step cancelled with its run, or still open, judged nothing."""
    return step.get("status") in ("approved", "rejected")


def authoring_step(record: ArsipPersetujuan) -> dict[str, Any] | None:
    """SOP step 1 (writing the concept) shaped as a step row: its author, from first save to submission."""
    authoring = record.authoring
    if not authoring:
        return None
    return {
        "order": "—",
        "sop_step": authoring.get("sop_step", 1),
        "authoring": True,
        "step_name": authoring["step_name"],
        "role": ROLES[Role.PENGAMPU].group_name,
        "person_name": record.submitted_by_name,
        "person_username": record.submitted_by_username,
        "status": "submitted",
        "decision": "konsep diajukan",
        "comment": "",
        "started_at": authoring["started_at"],
        "finished_at": authoring["submitted_at"],
        "wall_seconds": authoring["wall_seconds"],
        "office_seconds": authoring["office_seconds"],
        "standard_minutes": authoring["standard_minutes"],
        "within_standard": authoring["within_standard"],
        "revision_id": authoring["first_revision_id"],
    }


def shown_steps(record: ArsipPersetujuan) -> list[dict[str, Any]]:
    """The steps as every view of a record lists them: writing the concept, then the approval steps,
    each with ``number``, its step number in the SOP ("4 (ulang)" when a step is taken again after a
    request for changes; the run's order for records from before step numbers were kept)."""
    first = authoring_step(record)
    steps = [first, *record.steps] if first else list(record.steps)
    seen: set[Any] = set()
    numbered = []
    for step in steps:
        number = step.get("sop_step") or step["order"]
        numbered.append({**step, "number": f"{number} (ulang)" if number in seen else str(number)})
        seen.add(number)
    return numbered


def revision_cell(step: dict[str, Any]) -> str:
    """The "Revisi" column: the revision the step judged (received, or first saved) and its hash's start."""
    if step.get("authoring"):
        return f"{step['revision_id'] or '—'}\n(pertama)"
    if not was_judged(step):
        return f"{step.get('received_revision_id') or step.get('revision_id') or '—'}\n(diterima)"
    return f"{step.get('revision_id') or '—'}\n{short_hash(step.get('revision_hash'))}"


def detail_line(step: dict[str, Any]) -> str:
    """The line under a step on paper, only where the content changed: what the author changed in answer
    to a request for changes, and what changed at the step (who corrected it). Empty otherwise."""
    parts = []
    if step.get("author_changes"):
        parts.append("Diajukan ulang; perubahan penulis: " + "; ".join(step["author_changes"]))
    if was_judged(step) and not step.get("authoring"):
        if "changes" not in step:
            parts.append("Koreksi dan perubahan tidak tercatat (catatan format lama)")
        elif step["changes"] or step.get("corrected"):
            parts.append(f"Dikoreksi: {corrected_label(step)} · Perubahan: {changes_label(step)}")
    return " · ".join(parts)


def person_label(name: str, username: str) -> str:
    return f"{name} ({username})" if username else (name or "—")


def file_label(entry: dict[str, Any]) -> str:
    kind = FILE_TYPES.get(entry.get("type", ""), entry.get("type", ""))
    return f"{kind} «{entry.get('title', '')}» (id {entry.get('id')}, {entry.get('file', '')})"


def file_hash_label(entry: dict[str, Any]) -> str:
    if entry.get("sha256"):
        return entry["sha256"]
    return f"tidak dapat dibaca: {entry.get('error', '')}"


def pdf_filename(record: ArsipPersetujuan) -> str:
    return f"lembar-persetujuan-{record.sequence:05d}-halaman-{record.page_id}.pdf"


def csv_filename(record: ArsipPersetujuan) -> str:
    return f"arsip-persetujuan-{record.sequence:05d}.csv"


def content_rows(record: ArsipPersetujuan) -> list[tuple[str, str]]:
    """The "Konten" block, as (label, text): the same on paper and on screen."""
    rows = [
        ("Judul", record.title),
        (
            "Jenis / alur / hasil",
            " · ".join(
                (record.kind_label, record.chain_name or OUTSIDE_SOP.upper(), outcome_label(record).upper())
            ),
        ),
        ("Alamat publik", record.url if is_published(record) else f"{record.url} (belum terbit)"),
        (
            "Halaman / revisi",
            f"ID halaman {record.page_id} · revisi {record.revision_id or '—'}"
            + ("" if is_published(record) else " (terakhir)")
            + f" · SHA-256 {record.revision_hash or '—'}",
        ),
    ]
    if record.submitted_by_username:
        submitted = person_label(record.submitted_by_name, record.submitted_by_username)
        rows.append(("Diajukan oleh", f"{submitted}, {format_datetime(record.submitted_at)}"))
    if is_published(record):
        published = person_label(record.published_by_name, record.published_by_username)
        rows.append(("Diterbitkan oleh", f"{published}, {format_datetime(record.created_at)}"))
    else:
        ended = person_label(record.ended_by_name, record.ended_by_username)
        rows.append(
            (f"{outcome_label(record).capitalize()} oleh", f"{ended}, {format_datetime(record.created_at)}")
        )
        rows.append(("Alasan", record.reason or "—"))
    if record.outside_sop:
        rows.append(("Keterangan", "DITERBITKAN DI LUAR SOP oleh superuser"))
        rows.append(("Alasan", record.bypass_reason))
    return rows


# --- PDF ---------------------------------------------------------------------------------------
#: Column widths of a label and its value (mm).
KEY_WIDTHS = (38, 142)


def make_sheet() -> pdf.Sheet:
    """The Lembar's styles: small type and tight cells, so a short chain fits on one page."""
    return pdf.Sheet.make(
        body=(9, 11.5),
        small=(7.5, 9.5),
        cell=(7.5, 9),
        section=(10, 5, 2),
        default_style="cell",
        padding=(1.5, 3),
    )


def _letterhead(sheet: pdf.Sheet, record: ArsipPersetujuan) -> list[Any]:
    story = pdf.letterhead(
        sheet, "LEMBAR PERSETUJUAN PUBLIKASI WEBSITE", f"Nomor arsip {record.sequence}", rule_gap_mm=2
    )
    if not is_published(record):
        story.append(sheet.p(f"ALUR {outcome_label(record).upper()}: KONTEN TIDAK DITERBITKAN", "status"))
    story.append(Spacer(1, 3 * mm))
    return story


def _sop_section(sheet: pdf.Sheet, record: ArsipPersetujuan) -> list[Any]:
    rows = [
        (
            "SOP",
            f"{record.sop_name}\nNomor {record.sop_number} · "
            f"berlaku sejak {format_date(record.sop_effective_on)}",
        )
    ]
    rows.append(("Dasar Hukum", "\n".join(f"{n}. {text}" for n, text in enumerate(LEGAL_BASIS, start=1))))
    return [sheet.section("Dasar"), sheet.key_values(rows, KEY_WIDTHS)]


STEP_HEADER = [
    "No. SOP",
    "Langkah / peran",
    "Petugas",
    "Keputusan / komentar",
    "Waktu",
    "Revisi",
    "Jam kerja",
    "Mutu baku",
]
STEP_WIDTHS = [7, 32, 26, 36, 27, 21, 15, 16]
STEP_LEGEND = (
    "Kolom Revisi: nomor revisi yang dinilai langkah itu dan 12 karakter awal hash SHA-256-nya (lengkap "
    "di arsip). Baris di bawah sebuah langkah menyebut perubahan isi pada langkah itu; tanpa baris itu, "
    "isi yang dinilai sama dengan yang diterima."
)


def step_period(step: dict[str, Any]) -> str:
    """ "7 Desember 2026, 09.00-09.25 WIB", or both dates when the step ran over days."""
    start = format_datetime(step["started_at"])
    if not step["finished_at"]:
        return f"mulai {start}"
    end = format_datetime(step["finished_at"])
    start_day, _, start_time = start.partition(" pukul ")
    end_day, _, end_time = end.partition(" pukul ")
    if start_day == end_day:
        return f"{start_day}, {start_time.removesuffix(' WIB')}-{end_time}"
    return f"{start} s.d. {end}"


def _step_rows(sheet: pdf.Sheet, step: dict[str, Any]) -> list[list[Any]]:
    """One table row per step (who decided what, when, on which revision), and a second one only where
    the content changed."""
    person = f"{step['person_name']} ({step['person_username']})" if step["person_username"] else "—"
    decision = f"{step['decision']}: {step['comment']}" if step["comment"] else step["decision"]
    duration = format_seconds(step["office_seconds"])
    if step["wall_seconds"] != step["office_seconds"]:
        duration += f"\n(total {format_seconds(step['wall_seconds'])})"
    rows = [
        [
            sheet.p(step["number"]),
            sheet.p(step["step_name"]),  # the step's name begins with its role
            sheet.p(person),
            sheet.p(decision),
            sheet.p(step_period(step)),
            sheet.p(revision_cell(step), "small"),
            sheet.p(duration),
            sheet.p(f"{step['standard_minutes']} menit, {within_label(step).removesuffix(' mutu baku')}"),
        ]
    ]
    detail = detail_line(step)
    if detail:
        rows.append(["", sheet.p(detail, "small")] + [""] * (len(STEP_HEADER) - 2))
    return rows


def _steps_section(sheet: pdf.Sheet, record: ArsipPersetujuan) -> list[Any]:
    story: list[Any] = [sheet.section("Langkah persetujuan")]
    steps = shown_steps(record)
    if not steps:
        empty = (
            "Tidak ada langkah persetujuan: konten ini diterbitkan di luar SOP."
            if record.outside_sop
            else "Tidak ada langkah tercatat."
        )
        return story + [sheet.p(empty, "body")]
    rows: list[list[Any]] = [[sheet.p(text, "cell_bold") for text in STEP_HEADER]]
    spans = []
    for step in steps:
        step_rows = _step_rows(sheet, step)
        rows += step_rows
        if len(step_rows) == 2:
            spans.append(((1, len(rows) - 1), (-1, len(rows) - 1)))
    table = sheet.table(rows, STEP_WIDTHS, header=True, spans=spans)
    # A step and its detail line stay on one page.
    table.setStyle([("NOSPLIT", (0, row - 1), (-1, row)) for (_col, row), _end in spans])
    return story + [table, sheet.p(STEP_LEGEND, "small")]


def _files_section(sheet: pdf.Sheet, record: ArsipPersetujuan) -> list[Any]:
    if not is_published(record):
        return []
    story: list[Any] = [sheet.section("Berkas yang ditampilkan")]
    if not record.files:
        return story + [sheet.p("Halaman ini tidak menampilkan dokumen atau gambar.", "body")]
    rows = [[sheet.p(text, "cell_bold") for text in ("Berkas", "SHA-256")]]
    rows += [[sheet.p(file_label(entry)), sheet.p(file_hash_label(entry), "small")] for entry in record.files]
    return story + [sheet.table(rows, [80, 100], header=True)]


def _closing(sheet: pdf.Sheet, record: ArsipPersetujuan, generated_at: dt.datetime) -> list[Any]:
    """The record's hashes (how to check the sheet) beside the signature block, kept together."""
    integrity = [
        [sheet.p(f"Dicetak pada {format_datetime(generated_at)}.", "small")],
        [sheet.p(f"Hash catatan (SHA-256): {record.record_hash}", "small")],
        [sheet.p(f"Hash catatan sebelumnya: {record.previous_hash}", "small")],
        [
            sheet.p(
                "Lembar ini dibuat dari arsip persetujuan (Pencatatan dan Pendataan SOP). Keasliannya dapat "
                "diperiksa dengan mencocokkan hash di atas dengan arsip; hash revisi dan berkas dengan isi "
                "yang tersimpan (perintah sop_verify_archive).",
                "small",
            )
        ],
    ]
    lines = [
        f"Semarang, {format_date(generated_at)}",
        "Mengetahui,",
        "Sekretaris KPU Provinsi Jawa Tengah",
    ]
    signature = [[sheet.p(line, "body")] for line in lines]
    signature += [
        [Spacer(1, 13 * mm)],
        [sheet.p("(....................................................)", "body")],
        [sheet.p("NIP. ..............................................", "body")],
    ]
    tight = [(side, (0, 0), (-1, -1), 1) for side in ("TOPPADDING", "BOTTOMPADDING")]
    block = Table(
        [
            [
                Table(integrity, colWidths=[100 * mm], style=tight),
                Table(signature, colWidths=[72 * mm], style=tight),
            ]
        ],
        colWidths=[108 * mm, 72 * mm],
        style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)],
    )
    return [Spacer(1, 2 * mm), KeepTogether([block])]


def record_pdf(record: ArsipPersetujuan, generated_at: dt.datetime | None = None) -> bytes:
    generated_at = generated_at or timezone.now()
    sheet = make_sheet()
    story = [
        *_letterhead(sheet, record),
        *_sop_section(sheet, record),
        sheet.section("Konten"),
        sheet.key_values(content_rows(record), KEY_WIDTHS),
        *_steps_section(sheet, record),
        *_files_section(sheet, record),
        *_closing(sheet, record, generated_at),
    ]
    return pdf.build(
        story,
        title=f"Lembar Persetujuan #{record.sequence}: {record.title}",
        subject=record.sop_number,
        footer_left=f"{settings.KPU_IDENTITY['name']} · {record.sop_number}",
        footer_right=f"Arsip #{record.sequence}",
    )


# --- CSV ---------------------------------------------------------------------------------------
STEP_COLUMNS = [
    "No. arsip",
    "Judul",
    "Jenis",
    "Alur SOP",
    "Di luar SOP",
    "Alasan di luar SOP",
    "Urutan",
    "Langkah",
    "Peran",
    "Nama",
    "Nama pengguna",
    "Keputusan",
    "Komentar",
    "Mulai",
    "Selesai",
    "Durasi",
    "Durasi jam kerja",
    "Mutu baku (menit)",
    "Hasil",
    "ID revisi dinilai",
    "Hash revisi dinilai",
    "ID revisi diterima",
    "Dikoreksi",
    "Perubahan",
    "Hasil alur",
    "Diakhiri oleh",
    "Alasan pembatalan",
]

INDEX_COLUMNS = [
    "No. arsip",
    "Diterbitkan pada",
    "Judul",
    "Jenis",
    "Alur SOP",
    "Di luar SOP",
    "Alasan di luar SOP",
    "Diterbitkan oleh",
    "Alamat publik",
    "ID halaman",
    "ID revisi",
    "Jumlah langkah",
    "Hash catatan",
    "Berkas PDF",
    "Hasil alur",
    "Tanggal catatan",
    "Diakhiri oleh",
    "Alasan pembatalan",
    "Hash revisi",
    "Berkas (SHA-256)",
]


def _csv_text(rows: Iterable[list[Any]]) -> str:
    """Titles, comments and names people typed go through the formula rule (kpu_site.spreadsheet_safety)."""
    out = io.StringIO()
    out.write("\ufeff")  # Excel then opens the file as UTF-8
    writer = csv.writer(out)
    writer.writerows(spreadsheet_safety.csv_rows(rows))
    return out.getvalue()


def _yes_no(value: bool) -> str:
    return "ya" if value else "tidak"


def _ending(record: ArsipPersetujuan) -> list[Any]:
    ended_by = (
        person_label(record.ended_by_name, record.ended_by_username) if record.ended_by_username else ""
    )
    return [outcome_label(record), ended_by, record.reason]


def _step_csv_row(step: dict[str, Any]) -> list[Any]:
    return [
        step["order"],
        step["step_name"],
        step["role"],
        step["person_name"],
        step["person_username"],
        step["decision"],
        step["comment"],
        format_datetime(step["started_at"]),
        format_datetime(step["finished_at"]),
        format_seconds(step["wall_seconds"]),
        format_seconds(step["office_seconds"]),
        step["standard_minutes"],
        within_label(step),
        step.get("revision_id") or "",
        step.get("revision_hash") or "",
        step.get("received_revision_id") or "",
        corrected_label(step),
        changes_label(step),
    ]


def record_csv(record: ArsipPersetujuan) -> str:
    """One row per step, writing the concept first (one row for a record without steps)."""
    common = [
        record.sequence,
        record.title,
        record.kind_label,
        record.chain_name,
        _yes_no(record.outside_sop),
        record.bypass_reason,
    ]
    rows: list[list[Any]] = [STEP_COLUMNS]
    steps = shown_steps(record)
    for step in steps:
        rows.append([*common, *_step_csv_row(step), *_ending(record)])
    if not steps:
        blank = [""] * (len(STEP_COLUMNS) - len(common) - 3)
        rows.append([*common, *blank, *_ending(record)])
    return _csv_text(rows)


def index_csv(records: Iterable[ArsipPersetujuan]) -> str:
    rows: list[list[Any]] = [INDEX_COLUMNS]
    for record in records:
        files = "; ".join(f"{file_label(entry)} {file_hash_label(entry)}" for entry in record.files)
        rows.append(
            [
                record.sequence,
                format_datetime(record.created_at) if is_published(record) else "",
                record.title,
                record.kind_label,
                record.chain_name,
                _yes_no(record.outside_sop),
                record.bypass_reason,
                f"{record.published_by_name} ({record.published_by_username})"
                if is_published(record)
                else "",
                record.url,
                record.page_id,
                record.revision_id or "",
                len(record.steps),
                record.record_hash,
                pdf_filename(record),
                outcome_label(record),
                format_datetime(record.created_at),
                *_ending(record)[1:],
                record.revision_hash,
                files,
            ]
        )
    return _csv_text(rows)


def records_zip(records: list[ArsipPersetujuan], generated_at: dt.datetime | None = None) -> bytes:
    """One PDF per record plus index.csv."""
    generated_at = generated_at or timezone.now()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for record in records:
            archive.writestr(pdf_filename(record), record_pdf(record, generated_at))
        archive.writestr("index.csv", index_csv(records))
    return buffer.getvalue()
