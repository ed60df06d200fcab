"""The public-information service (layanan informasi publik), declared once as data.

Sources: UU 14/2008 on public-information disclosure (art. 22: answering a request; art. 35-37:
objections), Perki 1/2021 (the standard of public-information service) and PKPU 22/2023 as amended
by PKPU 11/2024 and PKPU 4/2025 (public information at the KPU). Groups, deadlines, grounds and
choices are built from this module; nothing else names a role or a number of days.

Glossary: the Indonesian term people read -> its one name in code.

- permohonan informasi -> request (``InformationRequest``); keberatan -> objection (``Objection``)
- cara permohonan diterima -> channel (``Channel``); mencatat permohonan di meja layanan -> register
- nomor registrasi -> number; tanda bukti -> receipt; pemberitahuan tertulis -> notice (``notices.py``)
- Petugas Layanan Informasi (meja layanan) -> desk; Atasan PPID -> superior
- hari kerja -> working day (``working_days.py``, the SOP's office calendar)
- perpanjangan -> extension; uji konsekuensi -> consequence test
- Daftar Informasi Publik (DIP) -> register (its rows: ``kpu_pages.InformasiPublik``); overdue periodic
  items -> ``dip.py``
- laporan tahunan layanan informasi -> yearly report (``report.py``)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

LEGAL_BASIS = (
    "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
    "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik",
    "Peraturan KPU Nomor 22 Tahun 2023 tentang Pengelolaan dan Pelayanan Informasi Publik di Lingkungan "
    "Komisi Pemilihan Umum, sebagaimana telah diubah terakhir dengan Peraturan KPU Nomor 4 Tahun 2025",
)

# --- Deadlines, in working days of the office calendar (JamKerja, HariLibur) --------------------
#: UU 14/2008 art. 22(7): a request is answered within 10 working days of its receipt ...
ANSWER_WORKING_DAYS = 10
#: ... art. 22(8): extended once, by at most 7 working days, with a written reason.
EXTENSION_WORKING_DAYS = 7
#: art. 36(1): an objection is filed within 30 working days of its ground arising ...
OBJECTION_WINDOW_WORKING_DAYS = 30
#: art. 36(2): ... and answered by the superior within 30 working days of its receipt.
OBJECTION_ANSWER_WORKING_DAYS = 30
#: art. 37(2): an answer that does not satisfy may go to the Komisi Informasi within 14 working days.
COMMISSION_WORKING_DAYS = 14
INFORMATION_COMMISSION = "Komisi Informasi Provinsi Jawa Tengah"

#: reminders: this many working days before a deadline, to the one who must answer; at the deadline
#: (the day itself, not answered), an escalation to the superior as well
REMIND_WORKING_DAYS_BEFORE = 2

#: identity scans are kept this many days after the request's last decision (the objection and the
#: Komisi Informasi windows have long passed by then), then deleted by ``manage.py ppid_purge_identity``
IDENTITY_RETENTION_DAYS = 365

#: a letter's or email's receipt date may go back to 1 January of the previous year, no further: an
#: earlier date is a typo, never a reason to refuse a letter. A letter older than its 10 working days
#: is registered with its own date and is overdue at once (the deadline counts from receipt, art. 22(7)).
RECEIPT_BACKDATE_YEARS = 1

# --- Registration numbers ------------------------------------------------------------------------
#: ``PI-2026-00042``: the 42nd request received in 2026; ``KB-2026-00003``: the 3rd objection.
REQUEST_PREFIX = "PI"
OBJECTION_PREFIX = "KB"
NUMBER_FORMAT = "{prefix}-{year}-{sequence:05d}"
NUMBER_PATTERN = r"^(PI|KB)-(\d{4})-(\d{5,})$"

# --- Uploads -------------------------------------------------------------------------------------
IDENTITY_MAX_BYTES = 5 * 1024 * 1024
IDENTITY_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")
ANSWER_DOCUMENT_MAX_BYTES = 50 * 1024 * 1024

# --- Flood control of the public forms ------------------------------------------------------------
#: at most this many submissions of a public form per client address per hour
SUBMISSIONS_PER_ADDRESS_PER_HOUR = 5


class Role(StrEnum):
    DESK = "desk"
    PPID = "ppid"
    SUPERIOR = "superior"


@dataclass(frozen=True)
class RoleInfo:
    role: Role
    group_name: str
    demo_username: str
    #: the ppid permissions (codenames) of the role's group
    permissions: tuple[str, ...]


ROLES: dict[Role, RoleInfo] = {
    info.role: info
    for info in (
        RoleInfo(
            Role.DESK,
            "Petugas Layanan Informasi",
            "petugasinfo",
            ("view_informationrequest", "view_objection", "record_response", "register_request"),
        ),
        RoleInfo(
            Role.PPID,
            "PPID",
            "ppid",
            (
                "view_informationrequest",
                "view_objection",
                "answer_request",
                "record_response",
                "register_request",
                "view_report",
            ),
        ),
        RoleInfo(
            Role.SUPERIOR,
            "Atasan PPID",
            "atasanppid",
            ("view_informationrequest", "view_objection", "answer_objection", "view_report"),
        ),
    )
}


class RequesterType(models.TextChoices):
    PERSON = "perorangan", _("Perorangan")
    LEGAL_ENTITY = "badan-hukum", _("Badan hukum")


#: what each kind of requester attaches as identity (the form's choice, never the record's label)
IDENTITY_DOCUMENT = {
    RequesterType.PERSON: _("lampirkan KTP"),
    RequesterType.LEGAL_ENTITY: _("lampirkan akta pendirian"),
}


class Channel(models.TextChoices):
    """How a request came in: the public form, or registered by the desk (datang langsung, surat,
    email) under the same number sequence and deadline."""

    ONLINE = "daring", _("Formulir daring")
    WALK_IN = "datang-langsung", _("Datang langsung")
    LETTER = "surat", _("Lewat surat")
    EMAIL = "email", _("Lewat email")


class AccessMethod(models.TextChoices):
    """Cara memperoleh informasi (art. 22(1)c)."""

    SEE = "melihat", _("Melihat")
    READ = "membaca", _("Membaca")
    LISTEN = "mendengarkan", _("Mendengarkan")
    NOTE = "mencatat", _("Mencatat")
    COPY = "salinan", _("Mendapatkan salinan informasi")


class CopyFormat(models.TextChoices):
    SOFT = "softcopy", _("Salinan elektronik (softcopy)")
    HARD = "hardcopy", _("Salinan cetak (hardcopy)")


class Delivery(models.TextChoices):
    """Cara mendapatkan salinan informasi."""

    COLLECT = "mengambil", _("Mengambil langsung di kantor")
    POST = "pos", _("Dikirim lewat pos atau kurir")
    EMAIL = "email", _("Dikirim lewat email")


class Decision(models.TextChoices):
    """The written notice's answer (art. 22(7), Perki 1/2021)."""

    GIVEN = "diberikan", _("Informasi diberikan seluruhnya")
    PARTLY = "sebagian", _("Informasi diberikan sebagian")
    NOT_HELD = "tidak-dikuasai", _("Informasi tidak dikuasai")
    REFUSED = "ditolak", _("Permohonan ditolak")


#: decisions that must state their legal basis; a refusal of excluded information also its
#: consequence test (art. 17, 19)
DECISIONS_WITH_BASIS = (Decision.PARTLY, Decision.REFUSED)
DECISIONS_WITH_DOCUMENT = (Decision.GIVEN, Decision.PARTLY)


class ObjectionGround(models.TextChoices):
    """UU 14/2008 art. 35(1) a-g."""

    REFUSED = "a", _("a. Permohonan informasi ditolak berdasarkan alasan pengecualian (Pasal 17)")
    PERIODIC_NOT_PROVIDED = "b", _("b. Informasi berkala tidak disediakan (Pasal 9)")
    NOT_ANSWERED = "c", _("c. Permintaan informasi tidak ditanggapi")
    NOT_AS_ASKED = "d", _("d. Permintaan informasi ditanggapi tidak sebagaimana yang diminta")
    NOT_FULFILLED = "e", _("e. Permintaan informasi tidak dipenuhi")
    UNREASONABLE_FEE = "f", _("f. Pengenaan biaya yang tidak wajar")
    LATE = "g", _("g. Penyampaian informasi melebihi waktu yang diatur")


class ObjectionDecision(models.TextChoices):
    UPHELD = "diterima", _("Keberatan diterima: PPID wajib memberikan informasi")
    UPHELD_IN_PART = "diterima-sebagian", _("Keberatan diterima sebagian")
    DISMISSED = "ditolak", _("Keberatan ditolak: keputusan PPID dikuatkan")
