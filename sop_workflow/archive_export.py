"""The approval archive on paper and in files: the Lembar Persetujuan (PDF, A4), CSV, and a ZIP of both.

PDFs are drawn with ReportLab's platypus; dates read the Indonesian way ("23 November 2026 pukul
09.00 WIB"). Each sheet carries the office's identity, the SOP's, the content, every step and the
record's hash, so a printed sheet can be checked against the archive.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone

from sop_workflow.archive import format_date, format_datetime, format_seconds
from sop_workflow.models import ArsipPersetujuan

OUTSIDE_SOP = "di luar SOP"


def within_label(step: dict[str, Any]) -> str:
    if step.get("within_standard") is None:
        return "—"
    return "sesuai mutu baku" if step["within_standard"] else "melebihi mutu baku"


def pdf_filename(record: ArsipPersetujuan) -> str:
    return f"lembar-persetujuan-{record.sequence:05d}-halaman-{record.page_id}.pdf"


def csv_filename(record: ArsipPersetujuan) -> str:
    return f"arsip-persetujuan-{record.sequence:05d}.csv"


# --- PDF ---------------------------------------------------------------------------------------
def record_pdf(record: ArsipPersetujuan, generated_at: dt.datetime | None = None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    generated_at = generated_at or timezone.now()
    kpu = settings.KPU_IDENTITY
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["Normal"], fontName="Helvetica", fontSize=9, leading=11.5)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5)
    cell = ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9)
    cell_bold = ParagraphStyle("cellb", parent=cell, fontName="Helvetica-Bold")
    head = ParagraphStyle(
        "head", parent=body, fontName="Helvetica-Bold", fontSize=13, leading=16, alignment=TA_CENTER
    )
    centre = ParagraphStyle("centre", parent=small, alignment=TA_CENTER)
    title = ParagraphStyle(
        "title", parent=body, fontName="Helvetica-Bold", fontSize=12, leading=15, alignment=TA_CENTER
    )
    section = ParagraphStyle("section", parent=body, fontName="Helvetica-Bold", fontSize=10, spaceBefore=8)

    def p(text: Any, style=cell) -> Paragraph:
        return Paragraph(escape(str(text if text not in (None, "") else "—")).replace("\n", "<br/>"), style)

    story: list[Any] = [
        Paragraph(escape(kpu["long_name"]).upper(), head),
        Paragraph(
            escape(f"{kpu['address']} · Telp. {kpu['telephone']} · Faks. {kpu['fax']} · {kpu['email']}"),
            centre,
        ),
        Spacer(1, 3 * mm),
        Table(
            [[""]],
            colWidths=[180 * mm],
            rowHeights=[1],
            style=[("LINEABOVE", (0, 0), (-1, -1), 1.2, colors.black)],
        ),
        Spacer(1, 2 * mm),
        Paragraph("LEMBAR PERSETUJUAN PUBLIKASI WEBSITE", title),
        Paragraph(escape(f"Nomor arsip {record.sequence}"), centre),
        Spacer(1, 3 * mm),
    ]

    sop_rows = [
        ["SOP", record.sop_name],
        ["Nomor SOP", record.sop_number],
        ["Berlaku sejak", format_date(record.sop_effective_on)],
    ]
    content_rows = [
        ["Judul", record.title],
        ["Jenis konten", record.kind_label],
        ["Alamat publik", record.url],
        ["ID halaman / revisi", f"{record.page_id} / {record.revision_id or '—'}"],
        ["Alur SOP", record.chain_name or OUTSIDE_SOP.upper()],
    ]
    if record.submitted_by_username:
        content_rows.append(
            [
                "Diajukan oleh",
                f"{record.submitted_by_name} ({record.submitted_by_username}), "
                f"{format_datetime(record.submitted_at)}",
            ]
        )
    content_rows.append(
        [
            "Diterbitkan oleh",
            f"{record.published_by_name} ({record.published_by_username}), "
            f"{format_datetime(record.created_at)}",
        ]
    )
    if record.outside_sop:
        content_rows.append(["Keterangan", "DITERBITKAN DI LUAR SOP oleh superuser"])
        content_rows.append(["Alasan", record.bypass_reason])

    def key_value_table(rows: list[list[str]]) -> Table:
        table = Table([[p(key, cell_bold), p(value)] for key, value in rows], colWidths=[38 * mm, 142 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f0f0")),
                ]
            )
        )
        return table

    story += [Paragraph("Dasar", section), key_value_table(sop_rows)]
    story += [Paragraph("Konten", section), key_value_table(content_rows)]

    story.append(Paragraph("Langkah persetujuan", section))
    if record.steps:
        header = [
            "No.",
            "Langkah / peran",
            "Petugas",
            "Keputusan",
            "Komentar",
            "Waktu",
            "Durasi",
            "Mutu baku",
        ]
        rows: list[list[Any]] = [[p(text, cell_bold) for text in header]]
        for step in record.steps:
            rows.append(
                [
                    p(step["order"]),
                    p(f"{step['step_name']}\n{step['role']}"),
                    p(
                        f"{step['person_name']}\n({step['person_username']})"
                        if step["person_username"]
                        else "—"
                    ),
                    p(step["decision"]),
                    p(step["comment"]),
                    p(
                        f"mulai {format_datetime(step['started_at'])}\n"
                        f"selesai {format_datetime(step['finished_at'])}"
                    ),
                    p(
                        f"{format_seconds(step['office_seconds'])} jam kerja\n"
                        f"({format_seconds(step['wall_seconds'])} total)"
                    ),
                    p(f"{step['standard_minutes']} menit\n{within_label(step)}"),
                ]
            )
        widths = [9, 33, 22, 19, 27, 33, 19, 18]
        table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e0e0e0")),
                ]
            )
        )
        story.append(table)
    else:
        story.append(
            p(
                "Tidak ada langkah persetujuan: konten ini diterbitkan di luar SOP."
                if record.outside_sop
                else "Tidak ada langkah tercatat.",
                body,
            )
        )

    story += [
        Spacer(1, 5 * mm),
        Paragraph(escape(f"Dicetak pada {format_datetime(generated_at)}."), small),
        Paragraph(escape(f"Hash catatan (SHA-256): {record.record_hash}"), small),
        Paragraph(escape(f"Hash catatan sebelumnya: {record.previous_hash}"), small),
        Paragraph(
            "Lembar ini dibuat dari arsip persetujuan (Pencatatan dan Pendataan SOP). Keasliannya dapat "
            "diperiksa dengan mencocokkan hash di atas dengan arsip.",
            small,
        ),
    ]

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(15 * mm, 10 * mm, f"{kpu['name']} · {record.sop_number}")
        canvas.drawRightString(195 * mm, 10 * mm, f"Arsip #{record.sequence} · halaman {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"Lembar Persetujuan #{record.sequence}: {record.title}",
        author=kpu["name"],
        subject=record.sop_number,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


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
]


def _csv_text(rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel then opens the file as UTF-8
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def _yes_no(value: bool) -> str:
    return "ya" if value else "tidak"


def record_csv(record: ArsipPersetujuan) -> str:
    """One row per step (one row for a record without steps)."""
    common = [
        record.sequence,
        record.title,
        record.kind_label,
        record.chain_name,
        _yes_no(record.outside_sop),
        record.bypass_reason,
    ]
    rows: list[list[Any]] = [STEP_COLUMNS]
    for step in record.steps:
        rows.append(
            [
                *common,
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
            ]
        )
    if not record.steps:
        rows.append([*common] + [""] * (len(STEP_COLUMNS) - len(common)))
    return _csv_text(rows)


def index_csv(records: Iterable[ArsipPersetujuan]) -> str:
    rows: list[list[Any]] = [INDEX_COLUMNS]
    for record in records:
        rows.append(
            [
                record.sequence,
                format_datetime(record.created_at),
                record.title,
                record.kind_label,
                record.chain_name,
                _yes_no(record.outside_sop),
                record.bypass_reason,
                f"{record.published_by_name} ({record.published_by_username})",
                record.url,
                record.page_id,
                record.revision_id or "",
                len(record.steps),
                record.record_hash,
                pdf_filename(record),
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
