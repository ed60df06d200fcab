"""Berita, Liputan Kegiatan and Artikel: dated news-like content with their listings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.images.models import Image
from wagtail.models import Page

from .base import LISTING_IMAGE_FILTERS, IndexPage, NewsBase, NewsWording


def tabbed(content, taxonomy=None):
    tabs = [ObjectList(content, heading=_("Konten"))]
    if taxonomy:
        tabs.append(ObjectList(taxonomy, heading=_("Klasifikasi")))
    tabs += [
        ObjectList(Page.promote_panels, heading=_("Promosi")),
        ObjectList(Page.settings_panels, heading=_("Pengaturan")),
    ]
    return TabbedInterface(tabs)


class NewsIndexPage(IndexPage):
    order_field = "-tanggal"

    class Meta:
        abstract = True

    def optimise_listing(self, queryset):
        images = Image.objects.prefetch_renditions(*LISTING_IMAGE_FILTERS)
        return queryset.prefetch_related(models.Prefetch("feature_image", queryset=images))


# --- Berita --------------------------------------------------------------------------------
class BeritaTag(TaggedItemBase):
    content_object = ParentalKey(
        "kpu_pages.BeritaPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class BeritaPage(NewsBase):
    tags = ClusterTaggableManager(through=BeritaTag, blank=True, verbose_name=_("tag"))

    parent_page_types = ["kpu_pages.BeritaIndexPage"]
    edit_handler = tabbed(NewsBase.content_panels, NewsBase.taxonomy_panels)
    template = "kpu_pages/berita_page.html"

    class Meta:
        verbose_name = _("berita")
        verbose_name_plural = _("berita")


class BeritaIndexPage(NewsIndexPage):
    child_model = BeritaPage
    subpage_types = ["kpu_pages.BeritaPage"]
    template = "kpu_pages/listing_page.html"

    class Meta:
        verbose_name = _("indeks berita")
        verbose_name_plural = _("indeks berita")


# --- Liputan Kegiatan ----------------------------------------------------------------------
class LiputanKegiatanTag(TaggedItemBase):
    content_object = ParentalKey(
        "kpu_pages.LiputanKegiatanPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class LiputanKegiatanPage(NewsBase):
    tags = ClusterTaggableManager(through=LiputanKegiatanTag, blank=True, verbose_name=_("tag"))
    tanggal_kegiatan = models.DateField(_("tanggal kegiatan"))
    tempat_kegiatan = models.CharField(_("tempat kegiatan"), max_length=200)

    parent_page_types = ["kpu_pages.LiputanKegiatanIndexPage"]
    wording = NewsWording(
        tanggal=_("Tanggal dan waktu terbit (WIB)"),
        tanggal_help=_("Waktu liputan diterbitkan, dalam WIB. Tanggal kegiatannya diisi di bagian Kegiatan."),
        kota=_("Kota (dateline)"),
        kota_help=_("Kota tempat liputan dibuat. Contoh: Semarang"),
        lead=_("Ringkasan liputan"),
        lead_help=_("Satu atau dua kalimat: kegiatan apa, siapa, di mana. Tampil di daftar dan pratinjau."),
    )
    content_panels = [
        *wording.panels()[:2],
        MultiFieldPanel(
            [FieldPanel("tanggal_kegiatan"), FieldPanel("tempat_kegiatan")], heading=_("Kegiatan")
        ),
        *wording.panels()[2:],
    ]
    edit_handler = tabbed(content_panels, NewsBase.taxonomy_panels)
    template = "kpu_pages/berita_page.html"

    class Meta:
        verbose_name = _("liputan kegiatan")
        verbose_name_plural = _("liputan kegiatan")


class LiputanKegiatanIndexPage(NewsIndexPage):
    child_model = LiputanKegiatanPage
    subpage_types = ["kpu_pages.LiputanKegiatanPage"]
    template = "kpu_pages/listing_page.html"

    class Meta:
        verbose_name = _("indeks liputan kegiatan")
        verbose_name_plural = _("indeks liputan kegiatan")


# --- Artikel -------------------------------------------------------------------------------
class ArtikelTag(TaggedItemBase):
    content_object = ParentalKey(
        "kpu_pages.ArtikelPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArtikelPage(NewsBase):
    tags = ClusterTaggableManager(through=ArtikelTag, blank=True, verbose_name=_("tag"))
    penulis = models.CharField(_("penulis"), max_length=120)
    bio_penulis = models.TextField(
        _("bio singkat penulis"), max_length=400, blank=True, help_text=_("Satu atau dua kalimat.")
    )

    parent_page_types = ["kpu_pages.ArtikelIndexPage"]
    wording = NewsWording(
        tanggal=_("Tanggal dan waktu terbit (WIB)"),
        tanggal_help=_("Waktu artikel diterbitkan, dalam WIB."),
        kota=_("Kota penulisan"),
        kota_help=_("Kota tempat artikel ditulis. Contoh: Semarang"),
        lead=_("Ringkasan artikel"),
        lead_help=_("Satu atau dua kalimat yang menggambarkan isi artikel. Tampil di daftar dan pratinjau."),
    )
    content_panels = [
        *wording.panels()[:2],
        MultiFieldPanel([FieldPanel("penulis"), FieldPanel("bio_penulis")], heading=_("Penulis")),
        *wording.panels()[2:],
    ]
    edit_handler = tabbed(content_panels, NewsBase.taxonomy_panels)
    template = "kpu_pages/berita_page.html"

    class Meta:
        verbose_name = _("artikel")
        verbose_name_plural = _("artikel")


class ArtikelIndexPage(NewsIndexPage):
    child_model = ArtikelPage
    subpage_types = ["kpu_pages.ArtikelPage"]
    template = "kpu_pages/listing_page.html"

    class Meta:
        verbose_name = _("indeks artikel")
        verbose_name_plural = _("indeks artikel")
