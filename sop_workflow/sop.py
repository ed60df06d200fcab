"""The SOP Pengelolaan Website, declared once as data.

Source: SOP 7.2 / ORT. 06 - Ret / 33 / Prov / 11 / 2021 (see shared/SOP.md). Groups, permissions,
tasks and the two workflows are built from this declaration; nothing else names a role or a step.

Glossary: the Indonesian term people read on screen -> its one name in code (modules, functions,
template folders, tests). Indonesian stays in URL slugs, on-screen text and kind keys.

- Pengampu Konsep (penulis) -> author: the page's owner or its submitter (``authors.is_author``)
- menyusun konsep (langkah 1) -> authoring (``authoring.py``, ``ConceptAuthoring``)
- langkah / peran / mutu baku -> step (``SOPTask``) / role (``Role``) / time standard (``standard_minutes``)
- SOP Lengkap / SOP Ringkas (alur) -> chain (``Chain.LONG`` / ``Chain.SHORT``)
- setujui / minta perbaikan -> approve / request changes (Wagtail's ``reject``)
- tarik / batalkan / mulai ulang -> withdraw / cancel / restart: ending a run (``admin/run_end.py``)
- terbit di luar SOP -> outside the chain (``bypass.py``, ``admin/publish.py``)
- jam kerja, hari libur -> the clock: office hours, holidays (``clock.py``, ``admin/clock.py``)
- pengingat / eskalasi -> reminders / escalation (``reminders.py``, ``SOPReminder``)
- Menunggu tinjauan Anda, Terlambat -> dashboard panels (``admin/dashboard.py``, ``progress.py``)
- Arsip Persetujuan (arsip) -> archive: the record (``archive.py``), its exports (``archive_export.py``),
  its screens (``admin/archive.py``); Lembar Persetujuan -> the record's PDF (``record_pdf``)
- rantai arsip -> the archive's hash chain (``ArsipRantai``: its head)
- Kepatuhan SOP (laporan) -> compliance: the figures (``compliance.py``), the report screen
  (``admin/compliance.py``)
- Riwayat SOP -> history (``admin/history.py``); Panduan SOP -> guide (``admin/guide.py``)

Model classes keep their Indonesian names, since renaming them would change their tables, content
types and the admin URLs of the snippet and setting (``/admin/snippets/sop_workflow/harilibur/``):
``ArsipPersetujuan`` (an archive record), ``ArsipRantai`` (the archive chain's head), ``JamKerja``
(office hours), ``HariLibur`` (a holiday). So do migration names (``0005_arsip``, ``0006_pengingat``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Identity:
    name: str
    number: str
    made_on: dt.date
    effective_on: dt.date
    approved_by: str


SOP_IDENTITY = Identity(
    name="SOP Pengelolaan Website, Sekretariat KPU Provinsi Jawa Tengah",
    number="SOP 7.2 / ORT. 06 - Ret / 33 / Prov / 11 / 2021",
    made_on=dt.date(2021, 1, 28),
    effective_on=dt.date(2021, 2, 1),
    approved_by="Ketua KPU Provinsi Jawa Tengah",
)


class Role(StrEnum):
    """The seven columns of the SOP flow chart, in order (R1..R7)."""

    PENGAMPU = "R1"
    PENGELOLA = "R2"
    WEB_ADMIN = "R3"
    TEKMAS = "R4"
    KABAG_HTH = "R5"
    SEKRETARIS = "R6"
    KOMISIONER = "R7"


@dataclass(frozen=True)
class RoleInfo:
    role: Role
    group_name: str  # the Wagtail group, as shown in the admin
    demo_username: str


ROLES: dict[Role, RoleInfo] = {
    info.role: info
    for info in (
        RoleInfo(Role.PENGAMPU, "Pengampu Konsep (Tim Pelaksana Kegiatan)", "pengampu"),
        RoleInfo(Role.PENGELOLA, "Pengelola Website", "pengelola"),
        RoleInfo(Role.WEB_ADMIN, "Web Admin", "webadmin"),
        RoleInfo(Role.TEKMAS, "Sub Koordinator Subbag Tekmas", "tekmas"),
        RoleInfo(Role.KABAG_HTH, "Kabag HTH", "kabaghth"),
        RoleInfo(Role.SEKRETARIS, "Sekretaris", "sekretaris"),
        RoleInfo(Role.KOMISIONER, "Komisioner KPU Jateng Divisi Sosdiklih dan Parmas", "komisioner"),
    )
}


@dataclass(frozen=True)
class Step:
    """One approval step: a Wagtail task in the workflow."""

    key: str
    role: Role
    sop_step: int  # the step number in the SOP's table
    name: str  # Indonesian, as shown in the admin
    standard_minutes: int  # "Mutu Baku: Waktu"
    publishes: bool = False


STEPS: dict[str, Step] = {
    step.key: step
    for step in (
        Step("terima", Role.PENGELOLA, 2, "Pengelola Website: terima konsep", 5),
        Step("validasi", Role.WEB_ADMIN, 3, "Web Admin: koreksi & validasi", 5),
        Step("tekmas", Role.TEKMAS, 4, "Sub Koordinator Subbag Tekmas: koreksi & persetujuan", 30),
        Step("kabag", Role.KABAG_HTH, 5, "Kabag HTH: koreksi & persetujuan", 30),
        Step("sekretaris", Role.SEKRETARIS, 6, "Sekretaris: koreksi & persetujuan", 30),
        Step(
            "komisioner", Role.KOMISIONER, 7, "Komisioner Divisi Sosdiklih dan Parmas: persetujuan akhir", 30
        ),
        Step("unggah", Role.WEB_ADMIN, 11, "Web Admin: unggah", 5, publishes=True),
    )
}

#: Writing the concept (SOP step 1) is the author's; its standard judges the time to submission.
AUTHORING_STANDARD_MINUTES = 60


class Chain(StrEnum):
    LONG = "long"
    SHORT = "short"


@dataclass(frozen=True)
class ChainInfo:
    chain: Chain
    workflow_name: str
    steps: tuple[str, ...]


CHAINS: dict[Chain, ChainInfo] = {
    Chain.LONG: ChainInfo(
        Chain.LONG,
        "SOP Lengkap",
        ("terima", "validasi", "tekmas", "kabag", "sekretaris", "komisioner", "unggah"),
    ),
    Chain.SHORT: ChainInfo(Chain.SHORT, "SOP Ringkas", ("terima", "validasi", "tekmas", "kabag", "unggah")),
}

#: Which chain each content kind takes (keys of kpu_pages.kinds). Anything else takes the long chain.
KIND_CHAINS: dict[str, Chain] = {
    "artikel": Chain.LONG,
    "pengumuman": Chain.LONG,
    "bahan-sosialisasi": Chain.LONG,
    "berita": Chain.SHORT,
    "liputan-kegiatan": Chain.SHORT,
    "regulasi": Chain.SHORT,
    "data": Chain.SHORT,
    "dokumentasi": Chain.SHORT,
}


def chain_for_kind(kind: str | None) -> Chain:
    """The chain a content kind takes; pages the SOP does not name take the long chain."""
    return KIND_CHAINS.get(kind or "", Chain.LONG)


def chain_steps(chain: Chain) -> list[Step]:
    return [STEPS[key] for key in CHAINS[chain].steps]


#: "Dasar Hukum" of the SOP, verbatim from seed/sop-pengelolaan-website-kpu-jateng-2021.txt (numbered 1-5
#: there); printed on every Lembar Persetujuan.
LEGAL_BASIS: tuple[str, ...] = (
    "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik;",
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
    "Peraturan Komisi Informasi Nomor 1 Tahun 2010 tentang Standar Layanan Informasi Publik;",
    "Peraturan KPU Nomor 1 Tahun 2015 tentang Pengelolaan dan Pelayanan Informasi Publik di Lingkungan KPU;",
    "Peraturan Komisi Informasi Nomor 1 Tahun 2019 Tentang Standar Layanan dan Prosedur Penyelesaian "
    "Sengketa Informasi Pemilu dan Pemilihan",
)
