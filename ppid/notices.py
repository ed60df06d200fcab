"""The written notices (pemberitahuan tertulis) of the information service, as PDF (A4, ReportLab).

Three notices: the answer to a request (art. 22(7) UU 14/2008), the extension of its deadline
(art. 22(8)) and the superior's answer to an objection (art. 36, with the way to the Komisi Informasi,
art. 37). Each carries the office's letterhead with the KPU logo, the registration number, the dates
written the Indonesian way ("23 November 2026"), the decision and its legal basis. The requester
downloads them from the status page; staff from the admin. A requester registered at the desk without
an email address cannot open the status page: their notices say how the notice (and the document)
reaches them, by the delivery they chose, and that the status is asked at the desk by number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kpu_site import pdf
from kpu_site.dates import format_date, format_datetime
from ppid import rules
from ppid.models import InformationRequest, Objection
from ppid.rules import Decision, Delivery
from ppid.working_days import WorkCalendar, add_working_days, local_date

#: the kinds of notice, as the public URL ``pemberitahuan/<kind>/<number>.pdf`` names them
KIND_ANSWER = "jawaban"
KIND_EXTENSION = "perpanjangan"
KIND_OBJECTION = "keberatan"
PPID_TITLE = "Pejabat Pengelola Informasi dan Dokumentasi (PPID)"


def status_url() -> str:
    """The public status page (number + email), absolute on BASE_URL."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("ppid:status")


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


# --- what the notices say ----------------------------------------------------------------------
def original_due_on(req: InformationRequest, calendar: WorkCalendar | None = None) -> dt.date:
    """The first deadline (10 working days from receipt), before any extension."""
    if req.extended_at is None:
        return req.due_on
    if req.first_due_on is not None:
        return req.first_due_on
    calendar = calendar or WorkCalendar.load()
    return add_working_days(calendar, req.received_on, rules.ANSWER_WORKING_DAYS)


def request_notice_available(req: InformationRequest) -> bool:
    return req.is_answered


def extension_notice_available(req: InformationRequest) -> bool:
    return req.extended_at is not None


def objection_notice_available(objection: Objection) -> bool:
    return objection.is_answered


def filename(kind: str, number: str) -> str:
    """ "pemberitahuan-jawaban-PI-2026-00042.pdf"."""
    return f"pemberitahuan-{kind}-{number}.pdf"


def access_label(req: InformationRequest) -> str:
    parts = [req.get_access_method_display()]
    if req.copy_format:
        parts.append(req.get_copy_format_display())
    if req.delivery:
        parts.append(req.get_delivery_display())
    return "; ".join(str(part) for part in parts if part)


def handover_text(req: InformationRequest, with_document: bool) -> str:
    """How a requester without email gets the notice (and the document): posted if they chose so,
    else at the desk."""
    what = "Pemberitahuan ini dan dokumen informasinya" if with_document else "Pemberitahuan ini"
    if req.delivery == Delivery.POST:
        return (
            f"{what} dikirim kepada Saudara lewat pos atau kurir ke alamat di atas, sesuai cara yang "
            "Saudara pilih."
        )
    chosen = ", sesuai cara yang Saudara pilih" if req.delivery == Delivery.COLLECT else ""
    return f"{what} diserahkan kepada Saudara di meja layanan PPID{chosen}."


def desk_status_text(number: str) -> str:
    """Where a requester without email asks after their request: the desk, by the number."""
    kpu = settings.KPU_IDENTITY
    return (
        "Saudara tidak mencantumkan alamat email, sehingga status permohonan tidak dapat dilihat secara "
        f"daring: tanyakan di meja layanan PPID {kpu['name']}, {kpu['address']}, telepon "
        f"{kpu['telephone']}, dengan menyebut nomor registrasi {number}."
    )


# --- drawing -----------------------------------------------------------------------------------
#: Column widths of a label and its value (mm).
KEY_WIDTHS = (52, 128)


def make_sheet() -> pdf.Sheet:
    """A notice's styles: letter-size type, roomier cells whose long lines continue on the next page."""
    return pdf.Sheet.make(
        body=(9.5, 12.5),
        small=(8, 10),
        cell=(9, 11.5),
        section=(10.5, 6, 3),
        default_style="body",
        padding=(2, 4),
        split_in_row=True,
    )


def _letterhead(sheet: pdf.Sheet, title: str, number: str) -> list[Any]:
    return [*pdf.letterhead(sheet, title, f"Nomor registrasi: {number}"), Spacer(1, 4 * mm)]


def _requester_rows(req: InformationRequest) -> list[tuple[str, Any]]:
    return [
        ("Nama pemohon", req.name),
        ("Jenis pemohon", req.get_requester_type_display()),
        ("Alamat", req.address),
        ("Nomor telepon / email", f"{req.phone} / {req.email or '—'}"),
    ]


def _signature(sheet: pdf.Sheet, on: dt.date | None, role: str, name: str, position: str = "") -> list[Any]:
    lines = [f"Semarang, {format_date(on)}", role]
    block = [[sheet.p(line)] for line in lines]
    block += [
        [Spacer(1, 12 * mm)],
        [sheet.p(name or "(....................................................)", "bold")],
    ]
    if position:
        block.append([sheet.p(position)])
    signature = Table(
        block,
        colWidths=[80 * mm],
        style=[*[(side, (0, 0), (-1, -1), 1) for side in ("TOPPADDING", "BOTTOMPADDING")]],
    )
    return [Spacer(1, 4 * mm), KeepTogether([Table([["", signature]], colWidths=[100 * mm, 80 * mm])])]


def _basis(sheet: pdf.Sheet) -> list[Any]:
    return [
        Spacer(1, 4 * mm),
        sheet.p(
            "Dasar: " + "; ".join(rules.LEGAL_BASIS) + ".",
            "small",
        ),
    ]


def _without_email(
    sheet: pdf.Sheet, req: InformationRequest, number: str, handover_told: bool = False
) -> list[Any]:
    """For a requester without email: how the notice reaches them (unless said already), and the desk."""
    if req.email:
        return []
    text = desk_status_text(number)
    if not handover_told:
        text = f"{handover_text(req, with_document=False)} {text}"
    return [Spacer(1, 3 * mm), sheet.p(text)]


def _build(story: list[Any], title: str, number: str) -> bytes:
    kpu_name = settings.KPU_IDENTITY["name"]
    return pdf.build(
        story,
        title=f"{title} {number}",
        subject="Layanan Informasi Publik",
        footer_left=f"{kpu_name} · Layanan Informasi Publik · dicetak {format_datetime(timezone.now())}",
        footer_right=number,
    )


# --- the three notices -------------------------------------------------------------------------
REQUEST_TITLE = "PEMBERITAHUAN TERTULIS"
EXTENSION_TITLE = "PEMBERITAHUAN PERPANJANGAN WAKTU"
OBJECTION_TITLE = "TANGGAPAN ATASAN PPID ATAS KEBERATAN"


def _decision_text(req: InformationRequest) -> str:
    """The sentence that says what the requester gets."""
    kpu = settings.KPU_IDENTITY["name"]
    return {
        Decision.GIVEN: "Informasi yang Saudara minta diberikan seluruhnya.",
        Decision.PARTLY: (
            "Informasi yang Saudara minta diberikan sebagian; bagian selebihnya tidak dapat diberikan "
            "berdasarkan dasar hukum di bawah ini."
        ),
        Decision.NOT_HELD: f"Informasi yang Saudara minta tidak dikuasai oleh {kpu}.",
        Decision.REFUSED: "Permohonan informasi Saudara ditolak berdasarkan dasar hukum di bawah ini.",
    }.get(req.decision, "")


def request_notice(req: InformationRequest) -> bytes:
    """The answer to a request (Pemberitahuan Tertulis, art. 22(7)); only once it is answered."""
    if not req.is_answered:
        raise ValueError("a request has a written notice once it is answered")
    sheet = make_sheet()
    calendar = WorkCalendar.load()
    deadline = format_date(req.due_on)
    if req.extended_at:
        deadline += f" (diperpanjang dari {format_date(original_due_on(req, calendar))})"
    timing = "tepat waktu" if not req.answered_late else "melewati batas waktu"
    story = [
        *_letterhead(sheet, REQUEST_TITLE, req.number),
        sheet.p(
            f"Berdasarkan permohonan informasi yang kami terima pada tanggal {format_date(req.received_at)} "
            f"dengan nomor registrasi {req.number}, bersama ini kami sampaikan jawaban atas permohonan "
            "Saudara sebagai berikut."
        ),
        sheet.section("Pemohon"),
        sheet.key_values(_requester_rows(req), KEY_WIDTHS),
        sheet.section("Permohonan"),
        sheet.key_values(
            [
                ("Nomor registrasi", req.number),
                ("Tanggal diterima", format_date(req.received_at)),
                ("Batas waktu jawaban", deadline),
                ("Tanggal dijawab", f"{format_date(req.answered_at)} ({timing})"),
                ("Rincian informasi", req.information),
                ("Tujuan penggunaan", req.purpose),
                ("Cara memperoleh", access_label(req)),
            ],
            KEY_WIDTHS,
        ),
        sheet.section("Keputusan"),
    ]
    rows: list[tuple[str, Any]] = [
        ("Keputusan", req.get_decision_display()),
        ("Keterangan", _decision_text(req)),
    ]
    if req.legal_basis:
        rows.append(("Dasar hukum", req.legal_basis))
    if req.consequence_test:
        rows.append(("Uji konsekuensi", req.consequence_test))
    rows.append(("Penjelasan", req.answer))
    with_document = req.decision in rules.DECISIONS_WITH_DOCUMENT
    if with_document and req.email:
        rows.append(
            (
                "Dokumen informasi",
                f"Tersedia untuk diunduh di halaman status permohonan ({status_url()}) dengan nomor "
                "registrasi dan alamat email Saudara, atau diperoleh sesuai cara yang Saudara pilih.",
            )
        )
    elif with_document:
        rows.append(("Dokumen informasi", handover_text(req, with_document=True)))
    story.append(sheet.key_values(rows, KEY_WIDTHS))
    story += _without_email(sheet, req, req.number, handover_told=with_document)
    objection_deadline = req.objection_deadline(calendar)
    story += [
        Spacer(1, 3 * mm),
        sheet.p(
            "Apabila Saudara tidak puas dengan jawaban ini, Saudara dapat mengajukan keberatan kepada "
            f"Atasan PPID dalam {rules.OBJECTION_WINDOW_WORKING_DAYS} hari kerja, paling lambat tanggal "
            f"{format_date(objection_deadline)}, sesuai Pasal 35 dan 36 Undang-Undang Nomor 14 Tahun 2008."
        ),
        *_signature(sheet, local_date(req.answered_at), PPID_TITLE, person_name(req.answered_by)),
        *_basis(sheet),
    ]
    return _build(story, REQUEST_TITLE, req.number)


def extension_notice(req: InformationRequest) -> bytes:
    """The extension of the deadline by 7 working days, with its written reason (art. 22(8))."""
    if req.extended_at is None:
        raise ValueError("a request has an extension notice once it is extended")
    sheet = make_sheet()
    story = [
        *_letterhead(sheet, EXTENSION_TITLE, req.number),
        sheet.p(
            f"Berdasarkan permohonan informasi yang kami terima pada tanggal {format_date(req.received_at)} "
            f"dengan nomor registrasi {req.number}, bersama ini kami beritahukan bahwa waktu untuk "
            f"menjawab permohonan Saudara diperpanjang {rules.EXTENSION_WORKING_DAYS} hari kerja, sesuai "
            "Pasal 22 ayat (8) Undang-Undang Nomor 14 Tahun 2008."
        ),
        sheet.section("Pemohon"),
        sheet.key_values(_requester_rows(req), KEY_WIDTHS),
        sheet.section("Perpanjangan"),
        sheet.key_values(
            [
                ("Nomor registrasi", req.number),
                ("Tanggal diterima", format_date(req.received_at)),
                ("Rincian informasi", req.information),
                ("Batas waktu semula", format_date(original_due_on(req))),
                ("Tanggal perpanjangan", format_date(req.extended_at)),
                ("Batas waktu baru", format_date(req.due_on)),
                ("Alasan perpanjangan", req.extension_reason),
            ],
            KEY_WIDTHS,
        ),
        Spacer(1, 3 * mm),
        sheet.p(
            f"Jawaban atas permohonan Saudara akan kami sampaikan paling lambat tanggal "
            f"{format_date(req.due_on)}. Perpanjangan ini hanya dapat diberikan satu kali."
        ),
        *_without_email(sheet, req, req.number),
        *_signature(sheet, local_date(req.extended_at), PPID_TITLE, person_name(req.extended_by)),
        *_basis(sheet),
    ]
    return _build(story, EXTENSION_TITLE, req.number)


def objection_notice(objection: Objection) -> bytes:
    """The superior's answer to an objection, with the way to the Komisi Informasi (art. 36, 37)."""
    if not objection.is_answered:
        raise ValueError("an objection has a written answer once it is answered")
    sheet = make_sheet()
    req = objection.request
    commission_deadline = objection.commission_deadline()
    story = [
        *_letterhead(sheet, OBJECTION_TITLE, objection.number),
        sheet.p(
            f"Berdasarkan keberatan yang kami terima pada tanggal {format_date(objection.received_at)} "
            f"dengan nomor registrasi {objection.number} atas permohonan informasi nomor {req.number}, "
            "bersama ini Atasan PPID menyampaikan tanggapan sebagai berikut."
        ),
        sheet.section("Pemohon"),
        sheet.key_values(_requester_rows(req), KEY_WIDTHS),
        sheet.section("Keberatan"),
        sheet.key_values(
            [
                ("Nomor registrasi keberatan", objection.number),
                ("Nomor permohonan informasi", req.number),
                ("Tanggal permohonan diterima", format_date(req.received_at)),
                ("Tanggal keberatan diterima", format_date(objection.received_at)),
                ("Batas waktu tanggapan", format_date(objection.due_on)),
                ("Tanggal ditanggapi", format_date(objection.answered_at)),
                ("Alasan keberatan", objection.get_ground_display()),
                ("Uraian keberatan", objection.reason),
            ],
            KEY_WIDTHS,
        ),
        sheet.section("Tanggapan"),
        sheet.key_values(
            [
                ("Keputusan", objection.get_decision_display()),
                ("Tanggapan Atasan PPID", objection.answer),
                ("Atasan PPID", f"{objection.superior_name}, {objection.superior_position}"),
            ],
            KEY_WIDTHS,
        ),
        Spacer(1, 3 * mm),
        sheet.p(
            "Apabila Saudara tidak puas dengan tanggapan ini, Saudara dapat mengajukan permohonan "
            f"penyelesaian sengketa informasi kepada {rules.INFORMATION_COMMISSION} dalam "
            f"{rules.COMMISSION_WORKING_DAYS} hari kerja setelah tanggapan ini diterima, yaitu paling lambat "
            f"tanggal {format_date(commission_deadline)}, sesuai Pasal 37 ayat (2) Undang-Undang Nomor 14 "
            "Tahun 2008."
        ),
        *_without_email(sheet, req, objection.number),
        *_signature(
            sheet,
            local_date(objection.answered_at),
            "Atasan PPID",
            objection.superior_name,
            objection.superior_position,
        ),
        *_basis(sheet),
    ]
    return _build(story, OBJECTION_TITLE, objection.number)
