"""Pengumuman: numbered official announcements, pinned first, marked once their validity ends."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, When
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from kpu_pages.blocks import BaseStreamBlock

from .base import IndexPage, SitePage, TaggedPageMixin, pemilu_panel, site_search_fields
from .news import tabbed

HOME_ANNOUNCEMENTS = 5


def today() -> dt.date:
    """Today's date in Asia/Jakarta (the project time zone), whatever the server's clock zone."""
    return timezone.localdate()


class PengumumanQuerySet(PageQuerySet):
    def current(self, on: dt.date | None = None):
        """Announcements still valid on ``on`` (today): no end date, or an end date not yet passed."""
        on = on or today()
        return self.filter(Q(berlaku_sampai__isnull=True) | Q(berlaku_sampai__gte=on))

    def expired(self, on: dt.date | None = None):
        return self.filter(berlaku_sampai__lt=on or today())

    def pinned_first(self, on: dt.date | None = None):
        """Pinned and still valid first, then newest first by ``tanggal``.

        A pinned announcement whose validity has ended drops back into date order: it stays
        listed (marked "Sudah berakhir") but no longer sits on top.
        """
        on = on or today()
        valid = Q(berlaku_sampai__isnull=True) | Q(berlaku_sampai__gte=on)
        return self.annotate(
            sematan_aktif=Case(
                When(Q(disematkan=True) & valid, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        ).order_by("-sematan_aktif", "-tanggal", "-pk")

    def pinned_and_latest(self, limit: int = HOME_ANNOUNCEMENTS):
        """For the home page: live, public, still valid announcements, pinned first. One query."""
        return list(self.live().public().current().pinned_first()[:limit])


PengumumanManager = PageManager.from_queryset(PengumumanQuerySet)


def home_announcements(limit: int = HOME_ANNOUNCEMENTS) -> list[PengumumanPage]:
    return PengumumanPage.objects.pinned_and_latest(limit)


class PengumumanLampiran(Orderable):
    """A downloadable attachment of an announcement (a letter, a form, a list of names...)."""

    page = ParentalKey("kpu_pages.PengumumanPage", related_name="lampiran", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("dokumen"), on_delete=models.CASCADE, related_name="+"
    )
    judul = models.CharField(
        _("judul lampiran"),
        max_length=200,
        blank=True,
        help_text=_("Contoh: Formulir pendaftaran calon anggota PPK. Kosongkan untuk memakai judul dokumen."),
    )

    panels = [FieldPanel("document"), FieldPanel("judul")]

    class Meta(Orderable.Meta):
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.judul or self.document.title

    @property
    def file_type(self) -> str:
        return self.document.file_extension.upper()

    @property
    def file_size(self) -> int | None:
        """Bytes, without a database write (Document.get_file_size() saves when unknown)."""
        if self.document.file_size is not None:
            return self.document.file_size
        try:
            return self.document.file.size
        except (OSError, ValueError):
            return None


class PengumumanPage(TaggedPageMixin, SitePage):
    class Jenis(models.TextChoices):
        PENGUMUMAN = "pengumuman", _("Pengumuman")
        UNDANGAN = "undangan", _("Undangan")
        REKRUTMEN = "rekrutmen", _("Rekrutmen badan ad hoc")
        HASIL_SELEKSI = "hasil-seleksi", _("Hasil seleksi")
        JADWAL = "jadwal", _("Jadwal/tahapan")
        LAINNYA = "lainnya", _("Lainnya")

    nomor_surat = models.CharField(
        _("nomor surat"),
        max_length=120,
        blank=True,
        help_text=_("Contoh: 123/PP.04.1-Pu/33/2026. Kosongkan bila pengumuman tidak bernomor."),
    )
    tanggal = models.DateField(
        _("tanggal"), default=today, db_index=True, help_text=_("Tanggal yang tertera pada surat.")
    )
    perihal = models.CharField(
        _("perihal"),
        max_length=300,
        help_text=_("Pokok isi pengumuman dalam satu kalimat; tampil di daftar dan RSS."),
    )
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices, default=Jenis.PENGUMUMAN)
    berlaku_sampai = models.DateField(
        _("berlaku sampai"),
        null=True,
        blank=True,
        help_text=_(
            "Hari terakhir pengumuman berlaku, misalnya batas pendaftaran. Sesudah tanggal ini "
            "pengumuman ditandai 'Sudah berakhir'. Kosongkan bila tidak ada batas."
        ),
    )
    disematkan = models.BooleanField(
        _("sematkan di atas"),
        default=False,
        help_text=_("Tampilkan paling atas di daftar pengumuman dan di beranda selama masih berlaku."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("isi"), blank=True)

    objects = PengumumanManager()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("nomor_surat"), FieldPanel("tanggal")]),
                FieldPanel("perihal"),
                FieldRowPanel([FieldPanel("jenis"), FieldPanel("berlaku_sampai")]),
                FieldPanel("disematkan"),
            ],
            heading=_("Surat"),
        ),
        FieldPanel("body"),
        InlinePanel("lampiran", heading=_("Lampiran"), label=_("lampiran")),
    ]
    taxonomy_panels = [FieldPanel("wilayah"), pemilu_panel()]
    edit_handler = tabbed(content_panels, taxonomy_panels)
    search_fields = site_search_fields(
        index.SearchField("nomor_surat"),
        index.SearchField("perihal"),
        index.SearchField("body"),
        index.FilterField("tanggal"),
        index.FilterField("jenis"),
    )
    parent_page_types = ["kpu_pages.PengumumanIndexPage"]
    subpage_types: list[str] = []
    template = "kpu_pages/pengumuman_page.html"

    class Meta:
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")

    def clean(self):
        super().clean()
        if self.berlaku_sampai and self.tanggal and self.berlaku_sampai < self.tanggal:
            raise ValidationError(
                {
                    "berlaku_sampai": _(
                        "Tanggal berlaku sampai tidak boleh sebelum tanggal pengumuman (%(tanggal)s)."
                    )
                    % {"tanggal": self.tanggal.strftime("%d-%m-%Y")}
                }
            )

    @property
    def sudah_berakhir(self) -> bool:
        return bool(self.berlaku_sampai and self.berlaku_sampai < today())

    @property
    def listing_date(self):
        return self.tanggal

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # read only if the page's main part is rendered, not when it is kept ({% page_fragment %})
        context["attachments"] = SimpleLazyObject(lambda: list(self.lampiran.select_related("document")))
        return context


class PengumumanIndexPage(IndexPage):
    child_model = PengumumanPage
    subpage_types = ["kpu_pages.PengumumanPage"]
    template = "kpu_pages/pengumuman_index_page.html"

    class Meta:
        verbose_name = _("indeks pengumuman")
        verbose_name_plural = _("indeks pengumuman")

    def get_items(self, request=None):
        return PengumumanPage.objects.child_of(self).live().public().pinned_first()
