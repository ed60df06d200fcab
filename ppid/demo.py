"""Demo of the information service: one account per PPID role and requests in every state.

``manage.py load_ppid_demo`` (dev and test settings only, idempotent). The accounts share the SOP demo
accounts' password (``DEMO_PASSWORD`` or ``var/demo-password``, ``kpu_site.demo_accounts``) and second
factor (``akun.demo``).
Each request is received, extended and answered through the model's own actions with the clock set
to a past office morning (freezegun), counted back in working days from today, so its state is true
on the day the demo is loaded: new, near its deadline, overdue, extended, answered with each
decision, refused with its legal basis and consequence test, and objected (one objection answered,
one pending). No email is sent.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from freezegun import freeze_time
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import CommandError

from kpu_site.demo_accounts import demo_password as demo_password  # read here by load_ppid_demo
from kpu_site.demo_accounts import ensure_demo_user
from ppid.models import InformationRequest, Objection
from ppid.rules import (
    ROLES,
    AccessMethod,
    CopyFormat,
    Decision,
    Delivery,
    ObjectionDecision,
    Role,
)
from ppid.setup import setup_groups
from ppid.working_days import WIB, WorkCalendar, is_working_day, today

DEMO_NAMES = {
    Role.DESK: ("Nur", "Layanan"),
    Role.PPID: ("Adi", "Pranoto"),
    Role.SUPERIOR: ("Retno", "Wulandari"),
}
SUPERIOR_POSITION = "Sekretaris KPU Provinsi Jawa Tengah selaku Atasan PPID"


def require_demo_allowed() -> None:
    if not getattr(settings, "DEMO_CONTENT_ALLOWED", False):
        raise CommandError("Data dan akun demo tidak boleh dibuat dengan pengaturan produksi.")


def load_demo_users(password: str) -> dict[Role, object]:
    """One account per PPID role (``kpu_site.demo_accounts``), signing in with ``password``."""
    setup_groups(apps)
    return {
        role: ensure_demo_user(info.demo_username, *DEMO_NAMES[role], info.group_name, password)
        for role, info in ROLES.items()
    }


# --- the past, counted back in working days ------------------------------------------------------
def working_days_ago(calendar: WorkCalendar, on: dt.date, days: int) -> dt.date:
    """The working day ``days`` working days before ``on`` (``on`` itself never counts)."""
    day, counted = on, 0
    while counted < days:
        day -= dt.timedelta(days=1)
        if is_working_day(calendar, day):
            counted += 1
    return day


def morning(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), WIB)


def identity_image(name: str) -> ContentFile:
    """A placeholder scan, plainly marked as an example."""
    image = Image.new("RGB", (640, 400), (226, 236, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 629, 389), outline=(30, 60, 110), width=4)
    draw.text((30, 30), "CONTOH - BUKAN DOKUMEN IDENTITAS ASLI", fill=(160, 20, 20))
    draw.text((30, 90), f"Nama: {name}", fill=(20, 20, 20))
    draw.text((30, 120), "Data demo situs KPU Provinsi Jawa Tengah", fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="identitas.png")


def answer_pdf(title: str) -> ContentFile:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.setTitle(title)
    sheet.setFont("Helvetica-Bold", 14)
    sheet.drawString(72, 770, "KPU Provinsi Jawa Tengah")
    sheet.setFont("Helvetica", 11)
    sheet.drawString(72, 745, title)
    sheet.drawString(72, 720, "Contoh dokumen informasi untuk data demo.")
    sheet.showPage()
    sheet.save()
    return ContentFile(buffer.getvalue(), name="dokumen-informasi.pdf")


# --- the requests --------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoObjection:
    ground: str
    reason: str
    received_ago: int
    answered_ago: int | None = None
    decision: str = ""
    answer: str = ""


@dataclass(frozen=True)
class DemoRequest:
    """One demo request: who, what, and its past in working days before today."""

    state: str
    name: str
    email: str
    occupation: str
    information: str
    purpose: str
    received_ago: int
    access_method: str = AccessMethod.COPY
    copy_format: str = CopyFormat.SOFT
    delivery: str = Delivery.EMAIL
    extended_ago: int | None = None
    extension_reason: str = ""
    answered_ago: int | None = None
    decision: str = ""
    answer: str = ""
    legal_basis: str = ""
    consequence_test: str = ""
    objections: tuple[DemoObjection, ...] = field(default_factory=tuple)


LEGAL_PERSONAL = (
    "Pasal 17 huruf h angka 2 dan huruf j Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi "
    "Publik (informasi yang dapat mengungkap rahasia pribadi)"
)
CONSEQUENCE_PERSONAL = (
    "Membuka Nomor Induk Kependudukan dan alamat lengkap pemilih dapat disalahgunakan untuk pencurian "
    "identitas dan melanggar perlindungan data pribadi. Kepentingan publik atas rekapitulasi terpenuhi oleh "
    "data agregat per desa yang diberikan, sehingga menutup data pribadi melindungi kepentingan yang lebih "
    "besar."
)

CONSEQUENCE_KPPS = (
    "Membuka nama, alamat, dan Nomor Induk Kependudukan anggota KPPS dapat disalahgunakan untuk pencurian "
    "identitas dan tekanan kepada penyelenggara di tingkat TPS. Hasil pemungutan suara pada formulir "
    "model C. Hasil sudah terbuka tanpa data pribadi tersebut, sehingga menutupnya melindungi kepentingan "
    "yang lebih besar."
)

DEMO_REQUESTS = (
    DemoRequest(
        state="baru",
        name="Siti Aminah",
        email="siti.aminah@contoh.id",
        occupation="Mahasiswa",
        information="Rekapitulasi jumlah pemilih tetap Pemilu 2024 per kabupaten/kota di Jawa Tengah.",
        purpose="Bahan skripsi tentang partisipasi pemilih.",
        received_ago=1,
    ),
    DemoRequest(
        state="baru, menjelang batas waktu",
        name="Bambang Setiawan",
        email="bambang.setiawan@contoh.id",
        occupation="Wartawan",
        information="Daftar hadir dan notulen rapat pleno rekapitulasi tingkat provinsi Pemilu 2024.",
        purpose="Bahan liputan.",
        received_ago=9,
        copy_format=CopyFormat.HARD,
        delivery=Delivery.COLLECT,
    ),
    DemoRequest(
        state="terlambat",
        name="Dwi Lestari",
        email="dwi.lestari@contoh.id",
        occupation="Peneliti",
        information="Laporan dana kampanye peserta Pemilu Anggota DPRD Provinsi Jawa Tengah 2024.",
        purpose="Penelitian pendanaan politik.",
        received_ago=13,
    ),
    DemoRequest(
        state="diperpanjang",
        name="Yayasan Pemantau Pemilu Jawa Tengah",
        email="sekretariat@pemantau-jateng.contoh.id",
        occupation="Lembaga pemantau pemilu",
        information="Salinan seluruh keputusan KPU Provinsi Jawa Tengah tentang penetapan DCT DPRD 2024.",
        purpose="Evaluasi pencalonan.",
        received_ago=8,
        extended_ago=1,
        extension_reason=(
            "Keputusan yang diminta berjumlah lebih dari 80 dokumen dan tersimpan di arsip beberapa "
            "bagian, sehingga masih dihimpun dan dipindai."
        ),
    ),
    DemoRequest(
        state="dijawab: diberikan",
        name="Hendro Wibowo",
        email="hendro.wibowo@contoh.id",
        occupation="Guru",
        information="Jadwal dan tahapan Pemilihan Gubernur dan Wakil Gubernur Jawa Tengah 2024.",
        purpose="Bahan ajar PKn.",
        received_ago=15,
        answered_ago=8,
        decision=Decision.GIVEN,
        answer="Informasi yang diminta terlampir dalam bentuk salinan elektronik (PDF).",
    ),
    DemoRequest(
        state="dijawab: sebagian",
        name="Rahmat Hidayat",
        email="rahmat.hidayat@contoh.id",
        occupation="Pengurus partai politik",
        information="Salinan DPT Kecamatan Tembalang lengkap dengan NIK dan alamat pemilih.",
        purpose="Verifikasi pemilih.",
        received_ago=14,
        answered_ago=6,
        decision=Decision.PARTLY,
        answer=(
            "Jumlah pemilih per desa/kelurahan diberikan (terlampir). NIK dan alamat lengkap pemilih tidak "
            "dapat diberikan."
        ),
        legal_basis=LEGAL_PERSONAL,
        consequence_test=CONSEQUENCE_PERSONAL,
    ),
    DemoRequest(
        state="dijawab: tidak dikuasai",
        name="Maria Ulfa",
        email="maria.ulfa@contoh.id",
        occupation="Wiraswasta",
        information="Data penerima bantuan sosial di Kota Semarang tahun 2024.",
        purpose="Pengecekan data keluarga.",
        received_ago=12,
        answered_ago=5,
        decision=Decision.NOT_HELD,
        answer=(
            "Data penerima bantuan sosial tidak dikuasai KPU Provinsi Jawa Tengah. Informasi tersebut "
            "dapat dimintakan kepada Dinas Sosial Kota Semarang."
        ),
    ),
    DemoRequest(
        state="dijawab: ditolak",
        name="Agus Salim",
        email="agus.salim@contoh.id",
        occupation="Karyawan swasta",
        information="Salinan formulir model C. Hasil beserta data pribadi anggota KPPS se-Kota Surakarta.",
        purpose="Keperluan pribadi.",
        received_ago=11,
        answered_ago=3,
        decision=Decision.REFUSED,
        answer="Permohonan ditolak karena yang diminta adalah data pribadi anggota KPPS.",
        legal_basis=LEGAL_PERSONAL,
        consequence_test=CONSEQUENCE_KPPS,
    ),
    DemoRequest(
        state="keberatan ditanggapi",
        name="Lembaga Bantuan Hukum Semarang",
        email="lbh.semarang@contoh.id",
        occupation="Lembaga bantuan hukum",
        information="Hasil pemeriksaan kesehatan bakal calon anggota DPD dari Jawa Tengah.",
        purpose="Advokasi.",
        received_ago=45,
        answered_ago=38,
        decision=Decision.REFUSED,
        answer="Hasil pemeriksaan kesehatan termasuk rahasia pribadi bakal calon.",
        legal_basis=(
            "Pasal 17 huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008 (riwayat dan kondisi kesehatan)"
        ),
        consequence_test=(
            "Membuka hasil pemeriksaan kesehatan mengungkap riwayat dan kondisi medis seseorang; kesimpulan "
            "memenuhi syarat atau tidak sudah diumumkan, sehingga menutup rinciannya tidak merugikan "
            "kepentingan publik."
        ),
        objections=(
            DemoObjection(
                ground="a",
                reason="Kami hanya meminta kesimpulan pemeriksaan, bukan rincian medis.",
                received_ago=30,
                answered_ago=6,
                decision=ObjectionDecision.UPHELD_IN_PART,
                answer=(
                    "Kesimpulan pemeriksaan (memenuhi syarat / tidak memenuhi syarat) per bakal calon wajib "
                    "diberikan PPID; rincian medis tetap dikecualikan."
                ),
            ),
        ),
    ),
    DemoRequest(
        state="keberatan menunggu tanggapan",
        name="Fajar Nugroho",
        email="fajar.nugroho@contoh.id",
        occupation="Mahasiswa",
        information="Anggaran sosialisasi Pemilu 2024 KPU Provinsi Jawa Tengah beserta rinciannya.",
        purpose="Penelitian tesis.",
        received_ago=20,
        answered_ago=12,
        decision=Decision.PARTLY,
        answer="Rekapitulasi anggaran sosialisasi per kegiatan diberikan (terlampir).",
        legal_basis="Pasal 17 huruf i Undang-Undang Nomor 14 Tahun 2008 (memorandum antar Badan Publik)",
        objections=(
            DemoObjection(
                ground="d",
                reason="Yang kami minta adalah rincian per kabupaten/kota, bukan rekapitulasi per kegiatan.",
                received_ago=4,
            ),
        ),
    ),
)


def load_demo_request(spec: DemoRequest, users: dict, calendar: WorkCalendar, on: dt.date) -> bool:
    """Create one demo request with its past; False when it is already there."""
    if InformationRequest.objects.filter(email=spec.email, information=spec.information).exists():
        return False
    ppid, superior = users[Role.PPID], users[Role.SUPERIOR]
    with freeze_time(morning(working_days_ago(calendar, on, spec.received_ago))):
        req = InformationRequest.receive(
            calendar=calendar,
            name=spec.name,
            address="Jl. Pemuda No. 10, Kota Semarang, Jawa Tengah",
            occupation=spec.occupation,
            phone="081234567890",
            email=spec.email,
            identity_scan=identity_image(spec.name),
            information=spec.information,
            purpose=spec.purpose,
            access_method=spec.access_method,
            copy_format=spec.copy_format,
            delivery=spec.delivery,
        )
    if spec.extended_ago is not None:
        with freeze_time(morning(working_days_ago(calendar, on, spec.extended_ago), 10)):
            req.extend(spec.extension_reason, ppid, calendar=calendar)
    if spec.answered_ago is not None:
        with freeze_time(morning(working_days_ago(calendar, on, spec.answered_ago), 14)):
            req.record_answer(
                decision=spec.decision,
                answer=spec.answer,
                user=ppid,
                legal_basis=spec.legal_basis,
                consequence_test=spec.consequence_test,
                document=answer_pdf(spec.information[:80])
                if spec.decision in (Decision.GIVEN, Decision.PARTLY)
                else None,
            )
    for demo_objection in spec.objections:
        with freeze_time(morning(working_days_ago(calendar, on, demo_objection.received_ago), 11)):
            objection = Objection.receive(
                calendar=calendar, request=req, ground=demo_objection.ground, reason=demo_objection.reason
            )
        if demo_objection.answered_ago is not None:
            with freeze_time(morning(working_days_ago(calendar, on, demo_objection.answered_ago), 15)):
                objection.record_answer(
                    decision=demo_objection.decision,
                    answer=demo_objection.answer,
                    user=superior,
                    superior_name=superior.get_full_name(),
                    superior_position=SUPERIOR_POSITION,
                )
    return True


def load_demo_requests(users: dict) -> int:
    calendar = WorkCalendar.load()
    on = today()
    return sum(1 for spec in DEMO_REQUESTS if load_demo_request(spec, users, calendar, on))
