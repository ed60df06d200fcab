"""Standard (non-news) pages: the Profil section, Kontak, and PPID with its Daftar Informasi Publik.

Section landings (Profil, PPID) are ``IndexPage`` subclasses listing their children in tree order.
Commissioners and DIP entries are ``Orderable`` inline children of their page rather than snippets:
they belong to exactly one page, so they travel with its revisions, its preview and its SOP
approval chain (snippets would need a chain of their own and could change a published DIP
without approval).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import Image
from wagtail.models import Orderable, Page
from wagtail.search import index

from kpu_pages.blocks import BaseStreamBlock

from .base import IndexPage, SitePage, site_search_fields
from .images import ImageAltTextMixin, image_panels, image_with_alt

#: rendition specs the templates ask for; prefetched so a page with many images stays bounded
PORTRAIT_FILTERS = (
    "fill-240x300|format-webp",
    "fill-480x600|format-webp",
    "fill-240x300|format-jpeg",
    "fill-480x600|format-jpeg",
)

phone_validator = RegexValidator(
    r"^\+?[0-9 ()\-.]{6,30}$",
    _("Nomor hanya boleh berisi angka, spasi, tanda kurung, titik, tanda hubung, dan tanda plus di depan."),
)


def tel_href(number: str) -> str:
    """``(024) 8413393`` -> ``+62248413393``, for ``tel:`` links."""
    digits = re.sub(r"\D", "", number or "")
    if not digits:
        return ""
    if number.strip().startswith("+"):
        return f"+{digits}"
    if digits.startswith("0"):
        return f"+62{digits[1:]}"
    return digits


class IntroMixin(models.Model):
    """A plain-text introduction, also shown as the summary on the section landing."""

    intro = models.TextField(
        _("pengantar"),
        max_length=600,
        blank=True,
        help_text=_("Satu atau dua kalimat pembuka; juga tampil sebagai ringkasan di halaman bagian."),
    )

    class Meta:
        abstract = True


class SectionChildMixin:
    """Pages inside a section show the other pages of that section as local navigation."""

    def section_nav(self) -> tuple[Page | None, list[Page]]:
        parent = self.get_parent()
        if parent is None or parent.depth <= 2:
            return None, []
        siblings = list(
            Page.objects.child_of(parent).live().public().only("id", "title", "url_path", "path", "depth")
        )
        return parent, siblings


class SectionIndexPage(IndexPage):
    """A section landing (Profil, PPID) linking to its children in the order editors arranged them."""

    child_model = Page
    order_field = "path"

    class Meta:
        abstract = True

    def get_items(self, request=None):
        items = Page.objects.child_of(self).live().public().order_by("path")
        return self.optimise_listing(items)

    def optimise_listing(self, queryset):
        # one query per child *type* (bounded), not per child
        return queryset.specific()


# --- Profil --------------------------------------------------------------------------------
class ProfilPage(SectionIndexPage):
    parent_page_types = ["kpu_pages.HomePage"]
    subpage_types = [
        "kpu_pages.StandardPage",
        "kpu_pages.AnggotaPage",
        "kpu_pages.StrukturOrganisasiPage",
    ]
    max_count = 1
    template = "kpu_pages/profil_page.html"

    class Meta:
        verbose_name = _("profil (halaman bagian)")
        verbose_name_plural = _("profil (halaman bagian)")


class StandardPage(SectionChildMixin, IntroMixin, SitePage):  # noqa: DJ008 - Page.__str__ is the title
    """A plain page of text: Visi dan Misi, Tugas dan Fungsi, Profil PPID, Maklumat, ..."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("isi"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = site_search_fields(index.SearchField("intro"), index.SearchField("body"))
    parent_page_types = ["kpu_pages.ProfilPage", "kpu_pages.PPIDPage"]
    subpage_types: list[str] = []
    template = "kpu_pages/standard_page.html"

    class Meta:
        verbose_name = _("halaman standar")
        verbose_name_plural = _("halaman standar")


class AnggotaKomisioner(ImageAltTextMixin, Orderable):
    """One commissioner on the Anggota page."""

    page = ParentalKey("kpu_pages.AnggotaPage", related_name="anggota", on_delete=models.CASCADE)
    nama = models.CharField(_("nama lengkap dan gelar"), max_length=150)
    jabatan = models.CharField(
        _("jabatan"), max_length=100, default="Anggota", help_text=_("Contoh: Ketua, Anggota")
    )
    divisi = models.CharField(
        _("divisi"),
        max_length=200,
        blank=True,
        help_text=_("Contoh: Divisi Teknis Penyelenggaraan"),
    )
    foto, foto_alt = image_with_alt(
        _("foto"),
        _("teks alternatif foto"),
        image_help=_("Foto potret tegak; akan dipotong 4:5."),
        alt_help=_(
            "Wajib bila ada foto. Contoh: Foto resmi Ketua KPU Provinsi Jawa Tengah, berkemeja putih."
        ),
    )
    bio = models.TextField(_("profil singkat"), max_length=800, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("nama"), FieldPanel("jabatan")]),
        FieldPanel("divisi"),
        FieldRowPanel(image_panels("foto")),
        FieldPanel("bio"),
    ]
    alt_text_required = {"foto": _("Isi teks alternatif untuk foto anggota ini.")}

    class Meta(Orderable.Meta):
        verbose_name = _("anggota komisioner")
        verbose_name_plural = _("anggota komisioner")

    def __str__(self) -> str:
        return self.nama


class AnggotaPage(SectionChildMixin, IntroMixin, SitePage):  # noqa: DJ008 - Page.__str__ is the title
    """The commissioners, as a grid of cards."""

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("anggota", label=_("anggota"), heading=_("Anggota komisioner"), min_num=1),
    ]
    search_fields = site_search_fields(index.SearchField("intro"))
    parent_page_types = ["kpu_pages.ProfilPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "kpu_pages/anggota_page.html"

    class Meta:
        verbose_name = _("halaman anggota")
        verbose_name_plural = _("halaman anggota")

    def members(self) -> list[AnggotaKomisioner]:
        queryset = self.anggota.all()
        if isinstance(queryset, models.QuerySet):  # a saved page; previews hold members in memory
            images = Image.objects.prefetch_renditions(*PORTRAIT_FILTERS)
            queryset = queryset.prefetch_related(models.Prefetch("foto", queryset=images))
        return list(queryset)


class StrukturOrganisasiPage(ImageAltTextMixin, SectionChildMixin, IntroMixin, SitePage):  # noqa: DJ008 - Page.__str__ is the title
    """The organisation chart: an image with a long description, and the same structure as text."""

    gambar, gambar_alt = image_with_alt(
        _("bagan struktur organisasi"),
        _("teks alternatif bagan"),
        alt_help=_(
            "Wajib bila ada bagan. Contoh: Bagan struktur organisasi Sekretariat KPU Provinsi Jawa Tengah."
        ),
    )
    gambar_deskripsi = models.TextField(
        _("deskripsi panjang bagan"),
        blank=True,
        help_text=_(
            "Wajib bila ada bagan: uraikan hubungan antarkotak (siapa membawahi siapa) agar bagan "
            "dapat dipahami tanpa melihatnya."
        ),
    )
    struktur = RichTextField(
        _("susunan organisasi (versi teks)"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
        help_text=_("Susunan jabatan dan nama pejabat sebagai daftar bertingkat; tampil di bawah bagan."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [*image_panels("gambar"), FieldPanel("gambar_deskripsi")],
            heading=_("Bagan"),
        ),
        FieldPanel("struktur"),
    ]
    search_fields = site_search_fields(index.SearchField("intro"), index.SearchField("struktur"))
    parent_page_types = ["kpu_pages.ProfilPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "kpu_pages/struktur_organisasi_page.html"
    alt_text_required = {"gambar": _("Isi teks alternatif untuk bagan.")}

    class Meta:
        verbose_name = _("halaman struktur organisasi")
        verbose_name_plural = _("halaman struktur organisasi")

    def alt_text_errors(self) -> dict[str, str]:
        errors = super().alt_text_errors()
        if self.gambar_id and not (self.gambar_deskripsi or "").strip():
            errors["gambar_deskripsi"] = _(
                "Isi deskripsi panjang bagan agar dapat dipahami tanpa melihat gambarnya."
            )
        return errors


# --- Kontak --------------------------------------------------------------------------------
class KontakPage(ImageAltTextMixin, IntroMixin, SitePage):  # noqa: DJ008 - Page.__str__ is the title
    """Contact details; empty fields fall back to the official identity in ``settings.KPU_IDENTITY``."""

    alamat = models.TextField(
        _("alamat"),
        blank=True,
        help_text=_("Kosongkan untuk memakai alamat resmi KPU dari pengaturan situs."),
    )
    telepon = models.CharField(
        _("telepon"),
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text=_("Contoh: (024) 8413393. Kosongkan untuk memakai nomor resmi."),
    )
    faks = models.CharField(
        _("faksimile"),
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text=_("Kosongkan untuk memakai nomor faksimile resmi."),
    )
    email = models.EmailField(
        _("surel"), blank=True, help_text=_("Kosongkan untuk memakai alamat surel resmi.")
    )
    jam_layanan = models.TextField(
        _("jam layanan"),
        blank=True,
        default="Senin–Kamis: pukul 08.00–16.00 WIB\nJumat: pukul 08.00–16.30 WIB\n"
        "Sabtu, Minggu, dan hari libur nasional: tutup",
        help_text=_("Satu baris per hari atau kelompok hari."),
    )
    peta, peta_alt = image_with_alt(
        _("peta lokasi (gambar)"),
        _("teks alternatif peta"),
        image_help=_("Gambar peta statis; jangan menyematkan peta dari layanan pihak ketiga."),
        alt_help=_("Wajib bila ada peta: jelaskan letak kantor dan patokan terdekat."),
        alt_max_length=400,
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("informasi tambahan"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("alamat"),
                FieldRowPanel([FieldPanel("telepon"), FieldPanel("faks")]),
                FieldPanel("email"),
                FieldPanel("jam_layanan"),
            ],
            heading=_("Kontak"),
        ),
        MultiFieldPanel(image_panels("peta"), heading=_("Peta lokasi")),
        FieldPanel("body"),
    ]
    search_fields = site_search_fields(index.SearchField("intro"), index.SearchField("alamat"))
    parent_page_types = ["kpu_pages.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    #: a reader on a phone looks for Kontak in the header menu, not at the foot of the page
    show_in_menus_default = True
    template = "kpu_pages/kontak_page.html"
    alt_text_required = {"peta": _("Isi teks alternatif untuk peta lokasi.")}

    class Meta:
        verbose_name = _("halaman kontak")
        verbose_name_plural = _("halaman kontak")

    def contact(self) -> dict[str, str]:
        """What the page shows: the page's own values, else the official identity."""
        identity = settings.KPU_IDENTITY
        data = {
            "nama": identity["long_name"],
            "alamat": self.alamat.strip() or identity["address"],
            "telepon": self.telepon.strip() or identity["telephone"],
            "faks": self.faks.strip() or identity["fax"],
            "email": self.email.strip() or identity["email"],
        }
        data["telepon_href"] = tel_href(data["telepon"])
        data["faks_href"] = tel_href(data["faks"])
        return data

    def jam_layanan_lines(self) -> list[str]:
        return [line.strip() for line in self.jam_layanan.splitlines() if line.strip()]


# --- PPID ----------------------------------------------------------------------------------
class LinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("halaman"), required=False)
    url = blocks.URLBlock(label=_("atau alamat URL"), required=False)
    label = blocks.CharBlock(label=_("teks tautan"), max_length=150)

    class Meta:
        icon = "link"
        label = _("Tautan")
        description = _("Tautan ke halaman situs ini atau ke alamat lain")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Pilih satu: halaman atau alamat URL."))}
            )
        return value


class PPIDPage(SectionIndexPage):
    """PPID landing: what the PPID is, how to ask for information, and links to its pages."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("isi"), blank=True)
    tautan = StreamField(
        [("tautan", LinkBlock())],
        verbose_name=_("tautan layanan"),
        blank=True,
        help_text=_("Contoh: formulir permohonan informasi, PPID KPU RI."),
    )

    content_panels = [*IndexPage.content_panels, FieldPanel("body"), FieldPanel("tautan")]
    search_fields = site_search_fields(index.SearchField("intro"), index.SearchField("body"))
    parent_page_types = ["kpu_pages.HomePage"]
    subpage_types = ["kpu_pages.StandardPage", "kpu_pages.DaftarInformasiPublikPage"]
    max_count = 1
    template = "kpu_pages/ppid_page.html"

    class Meta:
        verbose_name = _("PPID (halaman bagian)")
        verbose_name_plural = _("PPID (halaman bagian)")


class KategoriInformasi(models.TextChoices):
    """The four categories of UU 14/2008 (Pasal 9, 10, 11, 17), in the order the law gives them."""

    BERKALA = "berkala", _("Informasi yang Wajib Disediakan dan Diumumkan Secara Berkala")
    SERTA_MERTA = "serta-merta", _("Informasi yang Wajib Diumumkan Secara Serta Merta")
    SETIAP_SAAT = "setiap-saat", _("Informasi yang Wajib Tersedia Setiap Saat")
    DIKECUALIKAN = "dikecualikan", _("Informasi yang Dikecualikan")


class BentukInformasi(models.TextChoices):
    CETAK = "cetak", _("Cetak")
    ELEKTRONIK = "elektronik", _("Elektronik")
    KEDUANYA = "cetak-elektronik", _("Cetak dan elektronik")


class PeriodePembaruan(models.TextChoices):
    """How often a periodic (berkala) item must be brought up to date (UU 14/2008 Pasal 9 ayat 4)."""

    BULANAN = "bulanan", _("Bulanan")
    TRIWULAN = "triwulan", _("Triwulan (tiga bulan)")
    SEMESTER = "semester", _("Semester (enam bulan)")
    TAHUNAN = "tahunan", _("Tahunan")


#: the months each update period spans
PERIOD_MONTHS = {
    PeriodePembaruan.BULANAN: 1,
    PeriodePembaruan.TRIWULAN: 3,
    PeriodePembaruan.SEMESTER: 6,
    PeriodePembaruan.TAHUNAN: 12,
}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on, kept within the month (31 August + 6 = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


#: the seven DIP columns, (field, heading) in the order of the DIP form
DIP_COLUMNS = [
    ("ringkasan", _("Ringkasan Isi Informasi")),
    ("penguasa", _("Pejabat/Unit/Satker yang Menguasai Informasi")),
    ("penanggung_jawab", _("Penanggung Jawab Pembuatan/Penerbitan Informasi")),
    ("waktu_tempat", _("Waktu dan Tempat Pembuatan Informasi")),
    ("bentuk", _("Bentuk Informasi yang Tersedia")),
    ("retensi", _("Jangka Waktu Penyimpanan/Retensi Arsip")),
    ("jenis_media", _("Jenis Media yang Memuat Informasi")),
]


class InformasiPublik(Orderable):
    """One row of the Daftar Informasi Publik."""

    page = ParentalKey("kpu_pages.DaftarInformasiPublikPage", related_name="entri", on_delete=models.CASCADE)
    kategori = models.CharField(_("kategori"), max_length=20, choices=KategoriInformasi.choices)
    ringkasan = models.TextField(_("ringkasan isi informasi"), max_length=1000)
    penguasa = models.CharField(
        _("pejabat/unit/satker yang menguasai informasi"),
        max_length=250,
        help_text=_("Contoh: Subbagian Keuangan, Umum, dan Logistik"),
    )
    penanggung_jawab = models.CharField(
        _("penanggung jawab pembuatan/penerbitan informasi"),
        max_length=250,
        help_text=_("Contoh: Sekretaris KPU Provinsi Jawa Tengah"),
    )
    waktu_tempat = models.CharField(
        _("waktu dan tempat pembuatan informasi"),
        max_length=250,
        help_text=_("Contoh: Setiap tahun, Kantor KPU Provinsi Jawa Tengah"),
    )
    bentuk = models.CharField(
        _("bentuk informasi yang tersedia"),
        max_length=20,
        choices=BentukInformasi.choices,
        default=BentukInformasi.KEDUANYA,
    )
    retensi = models.CharField(
        _("jangka waktu penyimpanan/retensi arsip"),
        max_length=150,
        help_text=_("Contoh: 5 tahun; Selama berlaku; Permanen"),
    )
    jenis_media = models.CharField(
        _("jenis media yang memuat informasi"),
        max_length=250,
        help_text=_("Contoh: Situs web, papan pengumuman, buku"),
    )
    tautan = models.URLField(
        _("tautan informasi"), blank=True, help_text=_("Opsional: alamat tempat informasi dapat dilihat.")
    )
    dokumen = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("dokumen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Opsional: berkas informasi yang dapat diunduh."),
    )
    unit_penanggung_jawab = models.ForeignKey(
        Group,
        verbose_name=_("unit penanggung jawab pemutakhiran"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Grup pengguna yang diingatkan bila informasi berkala ini terlambat diperbarui. PPID selalu "
            "ikut diingatkan."
        ),
    )
    periode_pembaruan = models.CharField(
        _("periode pembaruan"),
        max_length=20,
        choices=PeriodePembaruan.choices,
        blank=True,
        help_text=_("Wajib untuk informasi berkala: seberapa sering informasi ini harus diperbarui."),
    )
    diperbarui_pada = models.DateField(
        _("terakhir diperbarui"),
        null=True,
        blank=True,
        help_text=_(
            "Tanggal isi informasi ini terakhir diperbarui; tampil di DIP. Wajib untuk informasi berkala: "
            "ubah setiap kali informasinya diperbarui."
        ),
    )
    dasar_hukum_pengecualian = models.TextField(
        _("dasar hukum pengecualian"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Wajib untuk informasi yang dikecualikan. Contoh: Pasal 17 huruf h Undang-Undang Nomor 14 Tahun "
            "2008 tentang Keterbukaan Informasi Publik."
        ),
    )
    uji_konsekuensi = models.TextField(
        _("uji konsekuensi"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Wajib untuk informasi yang dikecualikan: akibat yang timbul bila informasi dibuka dan mengapa "
            "menutupnya melindungi kepentingan yang lebih besar (Pasal 19)."
        ),
    )
    jangka_waktu_pengecualian = models.CharField(
        _("jangka waktu pengecualian"),
        max_length=250,
        blank=True,
        help_text=_("Wajib untuk informasi yang dikecualikan. Contoh: 5 tahun sejak ditetapkan."),
    )

    panels = [
        FieldPanel("kategori"),
        FieldPanel("ringkasan"),
        FieldRowPanel([FieldPanel("penguasa"), FieldPanel("penanggung_jawab")]),
        FieldRowPanel([FieldPanel("waktu_tempat"), FieldPanel("bentuk")]),
        FieldRowPanel([FieldPanel("retensi"), FieldPanel("jenis_media")]),
        FieldRowPanel([FieldPanel("tautan"), FieldPanel("dokumen")]),
        FieldPanel("unit_penanggung_jawab"),
        FieldRowPanel([FieldPanel("periode_pembaruan"), FieldPanel("diperbarui_pada")]),
        MultiFieldPanel(
            [
                FieldPanel("dasar_hukum_pengecualian"),
                FieldPanel("uji_konsekuensi"),
                FieldPanel("jangka_waktu_pengecualian"),
            ],
            heading=_("Pengecualian (khusus informasi yang dikecualikan)"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("informasi publik")
        verbose_name_plural = _("informasi publik")

    def __str__(self) -> str:
        return self.ringkasan[:80]

    def clean(self):
        super().clean()
        errors: dict[str, ValidationError] = {}
        excluded = self.kategori == KategoriInformasi.DIKECUALIKAN
        if excluded and (self.tautan or self.dokumen_id):
            message = _(
                "Informasi yang dikecualikan tidak boleh diberi tautan atau dokumen: isinya tidak dibuka "
                "untuk umum."
            )
            errors["tautan" if self.tautan else "dokumen"] = ValidationError(message)
        if self.kategori == KategoriInformasi.BERKALA:
            if not self.periode_pembaruan:
                errors["periode_pembaruan"] = ValidationError(
                    _("Pilih periode pembaruan: informasi berkala wajib diperbarui secara berkala.")
                )
            if self.diperbarui_pada is None:
                errors["diperbarui_pada"] = ValidationError(
                    _("Isi tanggal terakhir informasi berkala ini diperbarui.")
                )
        elif self.periode_pembaruan:
            errors["periode_pembaruan"] = ValidationError(
                _("Periode pembaruan hanya untuk informasi berkala. Kosongkan isian ini untuk kategori lain.")
            )
        if self.diperbarui_pada is not None and self.diperbarui_pada > timezone.localdate():
            errors["diperbarui_pada"] = ValidationError(
                _("Tanggal terakhir diperbarui tidak boleh melewati hari ini.")
            )
        for field, message in self.exclusion_messages().items():
            value = (getattr(self, field) or "").strip()
            if excluded and not value:
                errors[field] = ValidationError(message)
            elif not excluded and value:
                errors[field] = ValidationError(
                    _(
                        "Isian ini hanya untuk informasi yang dikecualikan. Kosongkan isian ini, atau pilih "
                        "kategori “Informasi yang Dikecualikan”."
                    )
                )
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def exclusion_messages() -> dict[str, str]:
        """The fields an excluded item must carry (UU 14/2008 Pasal 17-20), with what is asked of each."""
        return {
            "dasar_hukum_pengecualian": _("Isi dasar hukum pengecualian informasi ini."),
            "uji_konsekuensi": _("Isi uji konsekuensi: akibat bila informasi ini dibuka untuk umum."),
            "jangka_waktu_pengecualian": _("Isi jangka waktu pengecualian informasi ini."),
        }

    @property
    def is_periodic(self) -> bool:
        return self.kategori == KategoriInformasi.BERKALA

    @property
    def is_excluded(self) -> bool:
        return self.kategori == KategoriInformasi.DIKECUALIKAN

    def next_update_due(self) -> dt.date | None:
        """The date a periodic item is due again: its last update plus its period (None otherwise)."""
        months = PERIOD_MONTHS.get(self.periode_pembaruan)
        if not self.is_periodic or months is None or self.diperbarui_pada is None:
            return None
        return add_months(self.diperbarui_pada, months)


class DaftarInformasiPublikPage(SectionChildMixin, IntroMixin, SitePage):  # noqa: DJ008 - Page.__str__ is the title
    """The DIP: one table per category of public information."""

    keterangan = RichTextField(
        _("keterangan"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Opsional: dasar hukum, tanggal penetapan DIP, dan cara memperoleh informasi."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("keterangan"),
        InlinePanel(
            "entri",
            label=_("informasi"),
            heading=_("Daftar informasi publik"),
            help_text=_("Urutan di sini menjadi urutan nomor di tiap kategori."),
        ),
    ]
    search_fields = site_search_fields(index.SearchField("intro"), index.SearchField("keterangan"))
    parent_page_types = ["kpu_pages.PPIDPage"]
    subpage_types: list[str] = []
    template = "kpu_pages/daftar_informasi_publik_page.html"

    class Meta:
        verbose_name = _("daftar informasi publik")
        verbose_name_plural = _("daftar informasi publik")

    def categories(self) -> list[dict]:
        """Every category (even an empty one), with its entries in editor order."""
        entries = self.entri.all()
        if isinstance(entries, models.QuerySet):  # a saved page; previews hold entries in memory
            entries = entries.select_related("dokumen")
        grouped: dict[str, list[InformasiPublik]] = {key: [] for key in KategoriInformasi.values}
        for entry in entries:
            grouped.setdefault(entry.kategori, []).append(entry)
        return [
            {"key": key, "label": label, "entries": grouped[key], "count": len(grouped[key])}
            for key, label in KategoriInformasi.choices
        ]

    def column_headings(self) -> list[str]:
        return [str(heading) for _field, heading in DIP_COLUMNS]
