"""The demo's past: a few dozen items that walked their SOP chains over the last weeks, in office hours.

Each item is replayed through the same code the admin runs (saving revisions, starting the workflow,
each step's task action, withdrawing, a superuser's publication outside the chain) with the clock set
to that moment, so the Kepatuhan SOP report, its chart and the approval archive (hash chain included)
look as they will after months of use. No email is sent for the past.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from freezegun import freeze_time

from django.utils import timezone

from wagtail.models import Page

from kpu_pages.demo.utils import demo_image
from kpu_pages.kinds import KINDS
from sop_workflow import notifications
from sop_workflow.admin.run_end import WITHDRAW, end_run
from sop_workflow.clock import WIB, WorkCalendar
from sop_workflow.demo import current_reviewer, decide
from sop_workflow.enforcement import grant_bypass
from sop_workflow.sop import STEPS, Role

#: How far back the past reaches (calendar days before today); most of it falls in the report's
#: default period of 30 days.
HISTORY_DAYS = 33
#: Share of steps that take longer than their standard.
LATE_SHARE = 0.12


@dataclass(frozen=True)
class Item:
    kind: str  # the index page's slug: berita, liputan-kegiatan, artikel
    title: str
    place: str = "Semarang"
    #: "" (the whole chain), "send-back", "correction", "withdraw" or "outside"
    story: str = ""
    note: str = ""  # the request for changes, the reason to withdraw, or to publish outside the chain


HISTORY = [
    Item("berita", "KPU Jateng Gelar Rapat Koordinasi Pemutakhiran Data Pemilih Triwulan IV"),
    Item("artikel", "Menakar Partisipasi Pemilih Muda dalam Pemilihan Serentak"),
    Item("berita", "Rekapitulasi Daftar Pemilih Berkelanjutan Kabupaten Semarang Rampung", "Ungaran"),
    Item(
        "berita",
        "KPU Jateng Terima Audiensi Forum Disabilitas Jawa Tengah",
        story="send-back",
        note="Sebutkan nama organisasi peserta audiensi dengan lengkap dan periksa ejaan nama narasumber.",
    ),
    Item("liputan-kegiatan", "Liputan Sosialisasi Pendidikan Pemilih di Pondok Pesantren", "Kudus"),
    Item("berita", "Bimtek Pengelolaan JDIH untuk Operator KPU Kabupaten/Kota"),
    Item("artikel", "Pemutakhiran Data Pemilih Berkelanjutan: Mengapa Penting Setiap Bulan"),
    Item(
        "berita",
        "KPU Jateng Raih Penghargaan Badan Publik Informatif",
        story="outside",
        note="Siaran pers harus tayang bersamaan dengan pengumuman Komisi Informasi pukul 10.00; Kabag HTH "
        "dan Sekretaris sedang dinas luar tanpa akses. Disetujui lisan oleh Ketua.",
    ),
    Item("berita", "Uji Petik Data Pemilih di Kabupaten Grobogan", "Purwodadi"),
    Item("liputan-kegiatan", "Liputan Rapat Kerja Pengelolaan Arsip Kepemiluan"),
    Item(
        "berita",
        "Rapat Evaluasi Pengelolaan Logistik Pemilihan 2026",
        story="withdraw",
        note="Data logistik masih direvisi Subbag Keuangan, Umum dan Logistik; konsep diajukan lagi "
        "setelah data final.",
    ),
    Item("artikel", "Literasi Digital sebagai Benteng dari Hoaks Pemilu"),
    Item("berita", "Kunjungan Kerja KPU RI ke Gudang Logistik KPU Kabupaten Kendal", "Kendal"),
    Item("berita", "Pelatihan Kehumasan bagi Pengelola Media Sosial KPU Kabupaten/Kota", story="correction"),
    Item("liputan-kegiatan", "Liputan Jalan Sehat Hari Ulang Tahun KPU"),
    Item("berita", "Penandatanganan Nota Kesepahaman dengan Universitas Diponegoro"),
    Item("artikel", "Peran Perempuan dalam Penyelenggaraan Pemilu di Tingkat Desa"),
    Item("berita", "KPU Kota Pekalongan Sosialisasikan Pemilih Berkelanjutan di Pasar", "Pekalongan"),
    Item("liputan-kegiatan", "Liputan Focus Group Discussion Penataan Daerah Pemilihan"),
    Item("berita", "Diskusi Publik Evaluasi Partisipasi Pemilih Muda"),
    Item("artikel", "Arsip Pemilu sebagai Ingatan Demokrasi"),
    Item("berita", "KPU Jateng Ikuti Apel Siaga Netralitas ASN"),
    Item("liputan-kegiatan", "Liputan Pembinaan Badan Ad Hoc di Kabupaten Cilacap", "Cilacap"),
    Item("berita", "Rapat Pleno Rekapitulasi DPB Semester II Provinsi Jawa Tengah"),
    Item("artikel", "Mengenal Sirekap dan Transparansi Hasil Penghitungan Suara"),
    Item(
        "berita", "KPU Jateng Dampingi Simulasi Tanggap Darurat di Kantor KPU Kabupaten Magelang", "Magelang"
    ),
    Item("liputan-kegiatan", "Liputan Pameran Arsip Pemilu di Museum Ranggawarsita"),
    Item("artikel", "Pendidikan Pemilih Sejak Bangku Sekolah"),
    Item("berita", "Sosialisasi Pemilih Berkelanjutan bagi Komunitas Nelayan Rembang", "Rembang"),
    Item("artikel", "Menjaga Netralitas Penyelenggara di Tahun Politik"),
]

LEAD = (
    "KPU Provinsi Jawa Tengah menyampaikan kegiatan ini kepada masyarakat sebagai bagian dari "
    "penyelenggaraan pemilu yang terbuka dan akuntabel."
)
BODY = (
    "<p>KPU Provinsi Jawa Tengah menyampaikan informasi ini kepada masyarakat sebagai bagian dari "
    "keterbukaan informasi penyelenggaraan pemilu.</p>"
)


def past_moments(calendar: WorkCalendar, today: dt.date, count: int, rng: random.Random) -> list[dt.datetime]:
    """``count`` submission moments on working days of the last weeks, oldest first, 09.00-13.30 WIB."""
    days = [
        day
        for offset in range(HISTORY_DAYS, 1, -1)
        if calendar.open_interval(day := today - dt.timedelta(days=offset))
    ]
    picked = sorted(rng.choice(days) for _ in range(count))
    return sorted(
        dt.datetime.combine(day, dt.time(9), WIB) + dt.timedelta(minutes=rng.randrange(0, 270, 5))
        for day in picked
    )


class Replay:
    """Moves the frozen clock forward in office time and runs each action at its moment."""

    def __init__(self, clock, calendar: WorkCalendar, rng: random.Random, users, superuser):
        self.clock, self.calendar, self.rng = clock, calendar, rng
        self.users, self.superuser = users, superuser
        self.author = users[Role.PENGAMPU]
        self.now: dt.datetime | None = None

    def at(self, moment: dt.datetime) -> None:
        self.now = moment
        self.clock.move_to(moment)

    def after(self, office_minutes: float) -> None:
        self.at(self.calendar.deadline(self.now, office_minutes))

    def step_minutes(self, standard: int) -> float:
        if self.rng.random() < LATE_SHARE:
            return standard * self.rng.uniform(1.2, 2.5)
        return standard * self.rng.uniform(0.2, 0.9)

    # --- the author ---
    def write(self, item: Item, submitted: dt.datetime) -> Page:
        """The concept, begun before its submission (now and then over the hour the SOP allows)."""
        minutes = self.rng.uniform(65, 110) if self.rng.random() < 0.15 else self.rng.uniform(20, 55)
        self.at(submitted - dt.timedelta(minutes=minutes))
        index = Page.objects.get(slug=item.kind, depth=3).specific
        page = new_page(item, self.author, submitted)
        index.add_child(instance=page)
        page.save_revision(user=self.author)
        self.at(submitted - dt.timedelta(minutes=minutes / 3))
        page.body = [("paragraph", BODY + "<p>Informasi lebih lanjut dapat diperoleh di kantor KPU.</p>")]
        page.save_revision(user=self.author)
        self.at(submitted)
        return page

    def submit(self, page: Page):
        page.save_revision(user=self.author)
        return page.get_workflow().start(page, self.author)

    # --- the reviewers ---
    def step(self, page: Page, state, action: str = "approve", comment: str = "") -> None:
        task = state.current_task_state.task.specific
        self.after(self.step_minutes(STEPS[task.step_key].standard_minutes))
        decide(self.users, page, state, action, comment)

    def correct(self, page: Page, state) -> None:
        """The current step's reviewer corrects the concept at their own step, then approves it."""
        self.after(2)
        page = page.get_latest_revision_as_object()
        page.title = page.title.replace("Kehumasan", "Kehumasan dan Publikasi")
        page.feature_image_alt = f"Dokumentasi kegiatan: {page.title}"
        page.save_revision(user=current_reviewer(self.users, page, state))
        self.step(page, state)

    def chain(self, item: Item, page: Page, state) -> None:
        story, approvals = item.story, 0
        while state.status == state.STATUS_IN_PROGRESS:
            if story == "send-back" and approvals == 2:
                self.step(page, state, "reject", item.note)
                self.resubmit(page, state)
                story = ""
            elif story == "correction" and approvals == 1:
                self.correct(page, state)
            elif story == "withdraw" and approvals == 3:
                self.withdraw(page, state, item.note)
                return
            else:
                self.step(page, state)
            approvals += 1

    def resubmit(self, page: Page, state) -> None:
        """The author answers the request for changes and resubmits to the step that asked."""
        self.after(35)
        page = page.get_latest_revision_as_object()
        page.lead = LEAD + " Peserta: Forum Komunikasi Disabilitas Jawa Tengah dan SIGAB."
        page.save_revision(user=self.author)
        state.resume(self.author)
        state.refresh_from_db()

    def withdraw(self, page: Page, state, reason: str) -> None:
        self.after(20)
        end_run(page, state, WITHDRAW, self.author, reason)

    def outside(self, page: Page, reason: str) -> None:
        self.after(45)
        revision = page.get_latest_revision()
        grant_bypass(revision.pk, self.superuser.pk, reason)
        revision.publish(user=self.superuser)

    def replay(self, item: Item, submitted: dt.datetime) -> None:
        if item.story == "outside" and self.superuser is None:
            return  # nobody may publish outside the chain
        page = self.write(item, submitted)
        if item.story == "outside":
            self.outside(page, item.note)
            return
        self.chain(item, page, self.submit(page))


def new_page(item: Item, author, when: dt.datetime) -> Page:
    model = KINDS[item.kind].model
    fields = {
        "title": item.title,
        "tanggal": when,
        "kota": item.place,
        "lead": LEAD,
        "body": [("paragraph", BODY)],
        "owner": author,
        "live": False,
    }
    if item.kind != "artikel":
        fields["feature_image"] = demo_image(f"Foto: {item.title}", seed=len(item.title))
        fields["feature_image_alt"] = f"Dokumentasi kegiatan: {item.title}"
    if item.kind == "artikel":
        return model(**fields, penulis=f"{author.first_name} {author.last_name}", bio_penulis="")
    if item.kind == "liputan-kegiatan":
        return model(**fields, tanggal_kegiatan=when.astimezone(WIB).date(), tempat_kegiatan=item.place)
    return model(**fields)


def load_demo_history(users, superuser=None) -> int:
    """Replay HISTORY once (nothing when any of it exists); returns how many items were replayed.

    Without a superuser the publication outside the chain is left out.
    """
    if Page.objects.filter(title__in=[item.title for item in HISTORY]).exists():
        return 0
    calendar = WorkCalendar.load()
    rng = random.Random(2021)  # noqa: S311 - the same demo past every time, not a secret
    moments = past_moments(calendar, timezone.localdate(), len(HISTORY), rng)
    with notifications.silenced(), freeze_time(moments[0]) as clock:
        replay = Replay(clock, calendar, rng, users, superuser)
        for item, moment in zip(HISTORY, moments, strict=True):
            if replay.now is not None:
                # One item ends before the next is submitted: the archive's numbers follow its dates.
                moment = max(moment, calendar.deadline(replay.now, rng.randrange(10, 90)))
            replay.replay(item, moment)
    return len(HISTORY)
