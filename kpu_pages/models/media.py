"""Dokumentasi (photo and video galleries) and Bahan Sosialisasi (voter-outreach material)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import StreamField
from wagtail.images.models import Image
from wagtail.models import Orderable, Page
from wagtail.search import index

from kpu_pages.blocks import CaptionedImageBlock, VideoEmbedBlock

from .base import (
    LISTING_IMAGE_FILTERS,
    IndexPage,
    SitePage,
    TaggedPageMixin,
    pemilu_panel,
    site_search_fields,
)
from .images import image_with_alt
from .news import tabbed

#: the renditions the gallery's <picture> elements use (see dokumentasi_page.html)
GALLERY_FILTERS = (
    "format-webp|width-400",
    "format-webp|width-800",
    "format-jpeg|width-400",
    "format-jpeg|width-800",
)


# --- Dokumentasi ---------------------------------------------------------------------------
class GalleryPhotoBlock(CaptionedImageBlock):
    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        label = _("Foto")
        description = _("Foto kegiatan dengan teks alternatif (wajib), keterangan, dan kredit")


class GalleryVideoBlock(VideoEmbedBlock):
    class Meta:
        icon = "media"
        template = "blocks/embed_block.html"
        label = _("Video")
        description = _("Video kegiatan dari URL (YouTube kanal resmi KPU dan sejenisnya)")


class GalleryStreamBlock(blocks.StreamBlock):
    photo = GalleryPhotoBlock()
    video = GalleryVideoBlock()

    class Meta:
        label = _("Galeri")


class DokumentasiPage(TaggedPageMixin, SitePage):
    tanggal_kegiatan = models.DateField(_("tanggal kegiatan"), default=timezone.localdate)
    tempat = models.CharField(
        _("tempat"), max_length=200, help_text=_("Contoh: Aula KPU Provinsi Jawa Tengah, Semarang")
    )
    deskripsi = models.TextField(
        _("deskripsi"),
        max_length=2000,
        help_text=_("Apa kegiatannya, siapa yang hadir, apa hasilnya. Satu atau dua paragraf."),
    )
    galeri = StreamField(
        GalleryStreamBlock(),
        verbose_name=_("galeri"),
        blank=True,
        help_text=_("Foto pertama menjadi sampul di daftar dokumentasi."),
    )
    # Denormalised from the first gallery photo on every full save (see save()), so that the
    # listing shows a cover in a fixed number of queries without decoding each StreamField.
    cover_image, cover_image_alt = image_with_alt(_("sampul"), _("teks alternatif sampul"), editable=False)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("tanggal_kegiatan"), FieldPanel("tempat")])], heading=_("Kegiatan")
        ),
        FieldPanel("deskripsi"),
        FieldPanel("galeri"),
    ]
    taxonomy_panels = [FieldPanel("wilayah"), pemilu_panel()]
    edit_handler = tabbed(content_panels, taxonomy_panels)
    search_fields = site_search_fields(
        index.SearchField("deskripsi"),
        index.SearchField("tempat"),
        index.FilterField("tanggal_kegiatan"),
    )
    parent_page_types = ["kpu_pages.DokumentasiIndexPage"]
    subpage_types: list[str] = []
    template = "kpu_pages/dokumentasi_page.html"

    class Meta:
        verbose_name = _("dokumentasi")
        verbose_name_plural = _("dokumentasi")

    @property
    def listing_date(self):
        return self.tanggal_kegiatan

    def set_cover_from_gallery(self) -> None:
        self.cover_image, self.cover_image_alt = None, ""
        for block in self.galeri:
            if block.block_type == "photo" and block.value.get("image"):
                self.cover_image = block.value["image"]
                self.cover_image_alt = block.value.get("alt_text", "")[:250]
                return

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "galeri" in update_fields:
            self.set_cover_from_gallery()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "cover_image", "cover_image_alt"}
        return super().save(*args, **kwargs)

    def gallery_items(self) -> list[dict]:
        """The gallery in order, photos with their renditions prefetched: two queries in all."""
        raw = list(self.galeri.raw_data)
        ids = [item["value"].get("image") for item in raw if item["type"] == "photo"]
        images = Image.objects.filter(pk__in=[pk for pk in ids if pk]).prefetch_renditions(*GALLERY_FILTERS)
        by_id = {image.pk: image for image in images} if ids else {}
        items = []
        for position, item in enumerate(raw):
            if item["type"] == "photo":
                image = by_id.get(item["value"].get("image"))
                if image is not None:
                    items.append({**item["value"], "type": "photo", "image": image})
            else:
                items.append({"type": item["type"], "block": self.galeri[position]})
        return items

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # read only if the page's main part is rendered, not when it is kept ({% page_fragment %})
        context["gallery"] = SimpleLazyObject(self.gallery_items)
        return context


class DokumentasiIndexPage(IndexPage):
    child_model = DokumentasiPage
    order_field = "-tanggal_kegiatan"
    subpage_types = ["kpu_pages.DokumentasiPage"]
    template = "kpu_pages/dokumentasi_index_page.html"

    class Meta:
        verbose_name = _("indeks dokumentasi")
        verbose_name_plural = _("indeks dokumentasi")

    def optimise_listing(self, queryset):
        images = Image.objects.prefetch_renditions(*LISTING_IMAGE_FILTERS)
        return queryset.prefetch_related(models.Prefetch("cover_image", queryset=images))


# --- Bahan Sosialisasi ---------------------------------------------------------------------
class JenisBahan(models.TextChoices):
    POSTER = "poster", _("Poster")
    LEAFLET = "leaflet", _("Leaflet")
    INFOGRAFIS = "infografis", _("Infografis")
    VIDEO = "video", _("Video")
    BUKU_SAKU = "buku-saku", _("Buku saku")


class Sasaran(models.TextChoices):
    PEMULA = "pemula", _("Pemilih pemula")
    PEREMPUAN = "perempuan", _("Perempuan")
    DISABILITAS = "disabilitas", _("Penyandang disabilitas")
    ADAT = "masyarakat-adat", _("Masyarakat adat")
    MARGINAL = "marginal", _("Kelompok marginal")
    KEAGAMAAN = "keagamaan", _("Komunitas keagamaan")
    RELAWAN = "relawan-demokrasi", _("Relawan demokrasi")
    UMUM = "umum", _("Masyarakat umum")


class SasaranField(models.JSONField):
    """A list of ``Sasaran`` codes, edited as checkboxes.

    Stored as a JSON list so it works the same on SQLite and PostgreSQL; filter with
    ``BahanSosialisasiPage.objects.for_sasaran(code)``.
    """

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=Sasaran.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            error_messages={"required": _("Pilih sedikitnya satu sasaran pemilih.")},
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = set(Sasaran.values)
        if not isinstance(value, list) or any(code not in allowed for code in value):
            raise ValidationError(_("Sasaran pemilih tidak dikenal."), code="invalid_choice")


class BahanSosialisasiVideoBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("URL video"), help_text=_("Contoh: tautan YouTube kanal resmi KPU"))
    caption = blocks.CharBlock(label=_("keterangan"), required=False, max_length=300)
    teks_alternatif = blocks.TextBlock(
        label=_("teks alternatif / ringkasan isi"),
        help_text=_("Ringkasan atau naskah video untuk yang tidak dapat melihat atau mendengarnya. Wajib."),
    )

    class Meta:
        icon = "media"
        template = "blocks/bahan_video_block.html"
        label = _("Video")
        description = _("Video dari URL dengan ringkasan isi")


class BahanSosialisasiPage(TaggedPageMixin, SitePage):
    jenis_bahan = models.CharField(_("jenis bahan"), max_length=20, choices=JenisBahan.choices)
    sasaran = SasaranField(
        _("sasaran pemilih"),
        default=list,
        help_text=_("Segmen pemilih yang dituju; boleh lebih dari satu."),
    )
    deskripsi = models.TextField(
        _("deskripsi"), max_length=2000, help_text=_("Untuk apa bahan ini dan bagaimana memakainya.")
    )
    video = StreamField(
        [("video", BahanSosialisasiVideoBlock())],
        verbose_name=_("video"),
        blank=True,
        max_num=1,
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("jenis_bahan"), FieldPanel("sasaran")], heading=_("Jenis dan sasaran")),
        FieldPanel("deskripsi"),
        InlinePanel("berkas", heading=_("Berkas"), label=_("berkas")),
        FieldPanel("video"),
    ]
    taxonomy_panels = [pemilu_panel(), FieldPanel("wilayah")]
    edit_handler = tabbed(content_panels, taxonomy_panels)
    search_fields = site_search_fields(
        index.SearchField("deskripsi"),
        index.FilterField("jenis_bahan"),
    )
    parent_page_types = ["kpu_pages.BahanSosialisasiIndexPage"]
    subpage_types: list[str] = []
    template = "kpu_pages/bahan_sosialisasi_page.html"

    class Meta:
        verbose_name = _("bahan sosialisasi")
        verbose_name_plural = _("bahan sosialisasi")

    def sasaran_labels(self) -> list[str]:
        labels = dict(Sasaran.choices)
        return [str(labels[code]) for code in self.sasaran if code in labels]

    def thumbnail(self):
        """The first image among the files (uses the listing's prefetch)."""
        for berkas in self.berkas.all():
            if berkas.gambar_id:
                return berkas.gambar
        return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def files():
            files = self.berkas.select_related("dokumen", "gambar")
            if isinstance(files, models.QuerySet):
                images = Image.objects.prefetch_renditions(*GALLERY_FILTERS)
                files = files.prefetch_related(models.Prefetch("gambar", queryset=images))
            return list(files)

        # read only if the page's main part is rendered, not when it is kept ({% page_fragment %})
        context["files"] = SimpleLazyObject(files)
        return context


class BahanSosialisasiBerkas(Orderable):
    """One file of a Bahan Sosialisasi: a document or an image, always with a text alternative."""

    page = ParentalKey("kpu_pages.BahanSosialisasiPage", related_name="berkas", on_delete=models.CASCADE)
    judul = models.CharField(_("judul berkas"), max_length=200, help_text=_("Contoh: Poster ukuran A3"))
    gambar = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Poster atau infografis sebagai gambar, tampil di halaman."),
    )
    dokumen = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("dokumen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Berkas unduhan (PDF siap cetak, dan sebagainya)."),
    )
    teks_alternatif = models.TextField(
        _("teks alternatif / ringkasan isi"),
        max_length=3000,
        help_text=_(
            "Wajib. Tuliskan isi poster/leaflet/video dengan kata-kata, untuk yang tidak dapat melihatnya."
        ),
    )

    panels = [
        FieldPanel("judul"),
        FieldRowPanel([FieldPanel("gambar"), FieldPanel("dokumen")]),
        FieldPanel("teks_alternatif"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("berkas")
        verbose_name_plural = _("berkas")

    def __str__(self) -> str:
        return self.judul

    def clean(self):
        super().clean()
        errors = {}
        if not self.gambar_id and not self.dokumen_id:
            errors["dokumen"] = _("Pilih dokumen atau gambar untuk berkas ini.")
        if not (self.teks_alternatif or "").strip():
            errors["teks_alternatif"] = _(
                "Isi teks alternatif / ringkasan isi, untuk pembaca yang tidak dapat melihat berkas ini."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def file_size(self) -> int | None:
        if self.dokumen is None:
            return None
        if self.dokumen.file_size is not None:
            return self.dokumen.file_size
        try:
            return self.dokumen.file.size
        except (OSError, ValueError):
            return None


class BahanSosialisasiIndexPage(IndexPage):
    child_model = BahanSosialisasiPage
    subpage_types = ["kpu_pages.BahanSosialisasiPage"]
    template = "kpu_pages/bahan_sosialisasi_index_page.html"

    class Meta:
        verbose_name = _("indeks bahan sosialisasi")
        verbose_name_plural = _("indeks bahan sosialisasi")

    @staticmethod
    def selected_filters(request) -> dict[str, str]:
        """The valid filters in the query string; unknown values are ignored, not errors."""
        if request is None:
            return {}
        chosen = {}
        jenis = request.GET.get("jenis", "")
        if jenis in JenisBahan.values:
            chosen["jenis"] = jenis
        sasaran = request.GET.get("sasaran", "")
        if sasaran in Sasaran.values:
            chosen["sasaran"] = sasaran
        return chosen

    def get_items(self, request=None):
        items = BahanSosialisasiPage.objects.child_of(self).live().public()
        chosen = self.selected_filters(request)
        if "jenis" in chosen:
            items = items.filter(jenis_bahan=chosen["jenis"])
        if "sasaran" in chosen:
            # JSON list stored as text on SQLite and jsonb on PostgreSQL; the quoted code matches
            # one whole element on both (codes never contain quotes).
            items = items.filter(sasaran__icontains=f'"{chosen["sasaran"]}"')
        return self.optimise_listing(items.order_by("-first_published_at", "-pk"))

    def optimise_listing(self, queryset):
        images = Image.objects.prefetch_renditions(*LISTING_IMAGE_FILTERS)
        files = BahanSosialisasiBerkas.objects.order_by("sort_order").prefetch_related(
            models.Prefetch("gambar", queryset=images)
        )
        return queryset.prefetch_related(models.Prefetch("berkas", queryset=files))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        chosen = self.selected_filters(request)
        context.update(
            filters=chosen,
            jenis_choices=JenisBahan.choices,
            sasaran_choices=Sasaran.choices,
            query_string=urlencode(chosen),
        )
        return context
