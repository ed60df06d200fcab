"""Regulasi: legal documents described with Indonesia's JDIH/JDIHN metadata, with a JDIHN JSON feed.

The page title is the regulation's title (JDIHN ``judul``); ``judul_lengkap`` holds an official title
longer than Wagtail's 255 characters. "Mengubah" and "mencabut" are rows of one orderable
(``RegulasiRelasi``) chosen with a page chooser, so they are versioned with the page's revisions.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from kpu_pages import jdihn

from .base import IdsFirstPaginator, IndexPage, SitePage, paginate, site_search_fields
from .news import tabbed

MIN_TAHUN = 1945
DEFAULT_TEU_BADAN = "Komisi Pemilihan Umum Provinsi Jawa Tengah"

#: what the listing's ``?q=`` looks in; kept lower-cased in one column, ``teks_pencarian``
SEARCH_SOURCES = ("title", "judul_lengkap", "nomor", "subjek", "abstrak")


def search_text(*values: str) -> str:
    """The lower-cased text ``?q=`` searches, from the values of ``SEARCH_SOURCES``."""
    return "\n".join(value for value in values if value).lower()


def max_tahun() -> int:
    return timezone.localdate().year + 1


class TipeDokumen(models.TextChoices):
    PERATURAN = "peraturan", _("Peraturan Perundang-undangan")
    MONOGRAFI = "monografi", _("Monografi Hukum")
    ARTIKEL = "artikel", _("Artikel Hukum")
    PUTUSAN = "putusan", _("Putusan")


class JenisRegulasi(models.TextChoices):
    UU = "uu", _("Undang-Undang")
    PERPPU = "perppu", _("Peraturan Pemerintah Pengganti Undang-Undang")
    PP = "pp", _("Peraturan Pemerintah")
    PERPRES = "perpres", _("Peraturan Presiden")
    PKPU = "pkpu", _("Peraturan KPU")
    KEPKPU = "kepkpu", _("Keputusan KPU")
    KEPKPU_PROV = "kepkpu-prov", _("Keputusan KPU Provinsi")
    SE_KPU = "se-kpu", _("Surat Edaran KPU")
    SE_KPU_PROV = "se-kpu-prov", _("Surat Edaran KPU Provinsi")
    PERDA = "perda", _("Peraturan Daerah")
    PERGUB = "pergub", _("Peraturan Gubernur")
    KEPGUB = "kepgub", _("Keputusan Gubernur")
    PUTUSAN_MK = "putusan-mk", _("Putusan Mahkamah Konstitusi")
    PUTUSAN_MA = "putusan-ma", _("Putusan Mahkamah Agung")
    PUTUSAN_DKPP = "putusan-dkpp", _("Putusan DKPP")
    MONOGRAFI = "monografi", _("Monografi")
    ARTIKEL = "artikel", _("Artikel")
    LAINNYA = "lainnya", _("Lainnya")


#: The usual abbreviation of each jenis, filled in when the editor leaves "singkatan" empty.
SINGKATAN_JENIS: dict[str, str] = {
    "uu": "UU",
    "perppu": "Perppu",
    "pp": "PP",
    "perpres": "Perpres",
    "pkpu": "PKPU",
    "kepkpu": "Kepkpu",
    "kepkpu-prov": "Kepkpu Prov",
    "se-kpu": "SE",
    "se-kpu-prov": "SE",
    "perda": "Perda",
    "pergub": "Pergub",
    "kepgub": "Kepgub",
    "putusan-mk": "Putusan MK",
    "putusan-ma": "Putusan MA",
    "putusan-dkpp": "Putusan DKPP",
}


class StatusRegulasi(models.TextChoices):
    BERLAKU = "berlaku", _("Berlaku")
    TIDAK_BERLAKU = "tidak-berlaku", _("Tidak Berlaku")
    DICABUT = "dicabut", _("Dicabut")
    DIUBAH = "diubah", _("Diubah")


class LampiranBlock(blocks.StructBlock):
    judul = blocks.CharBlock(
        label=_("judul lampiran"), max_length=255, help_text=_("Contoh: Lampiran I - Formulir Model A")
    )
    dokumen = DocumentChooserBlock(label=_("dokumen"))

    class Meta:
        icon = "doc-full"
        template = "blocks/lampiran_block.html"
        label = _("Lampiran")
        description = _("Dokumen lampiran dengan judulnya")


class RegulasiPageForm(WagtailAdminPageForm):
    """Checks the relation rows as a whole: no link to the page itself, no regulation twice."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        formset = self.formsets.get("relasi")
        if formset is None or not hasattr(formset, "cleaned_data"):
            return valid
        seen: set[int] = set()
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            target = data.get("target")
            if not target or data.get("DELETE"):
                continue
            if self.instance.pk and target.pk == self.instance.pk:
                form.add_error("target", _("Regulasi tidak dapat mengubah atau mencabut dirinya sendiri."))
                valid = False
            elif target.pk in seen:
                form.add_error("target", _("Regulasi ini sudah dipilih pada baris lain."))
                valid = False
            seen.add(target.pk)
        return valid


class RegulasiRelasi(Orderable):
    """One "mengubah" or "mencabut" link from a regulation to an older one.

    A page chooser (searchable, scales to thousands of regulations); the inverse ("diubah oleh",
    "dicabut oleh") is computed from the live rows pointing at a page (``RegulasiPage.relations``).
    """

    class Jenis(models.TextChoices):
        MENGUBAH = "mengubah", _("Mengubah")
        MENCABUT = "mencabut", _("Mencabut")

    page = ParentalKey("kpu_pages.RegulasiPage", related_name="relasi", on_delete=models.CASCADE)
    jenis = models.CharField(_("hubungan"), max_length=10, choices=Jenis.choices, default=Jenis.MENGUBAH)
    target = models.ForeignKey(
        "kpu_pages.RegulasiPage",
        verbose_name=_("regulasi"),
        related_name="relasi_masuk",
        on_delete=models.CASCADE,
        help_text=_("Regulasi lama yang diubah atau dicabut oleh regulasi ini."),
    )
    keterangan = models.CharField(
        _("keterangan"),
        max_length=255,
        blank=True,
        help_text=_("Opsional. Contoh: sebagian, Pasal 5 ayat (2)"),
    )

    panels = [
        FieldPanel("jenis"),
        PageChooserPanel("target", "kpu_pages.RegulasiPage"),
        FieldPanel("keterangan"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("relasi regulasi")
        verbose_name_plural = _("relasi regulasi")


class RegulasiPage(SitePage):
    """One legal document with JDIH metadata, its PDF, attachments and relations."""

    tipe_dokumen = models.CharField(
        _("tipe dokumen"), max_length=12, choices=TipeDokumen.choices, default=TipeDokumen.PERATURAN
    )
    judul_lengkap = models.TextField(
        _("judul lengkap"),
        blank=True,
        help_text=_(
            "Isi hanya bila judul resmi lebih panjang dari 255 karakter. Bila kosong, judul halaman dipakai."
        ),
    )
    teu_badan = models.CharField(
        _("T.E.U. badan"),
        max_length=255,
        default=DEFAULT_TEU_BADAN,
        help_text=_("Tajuk entri utama: badan yang mengeluarkan. Contoh: Komisi Pemilihan Umum"),
    )
    nomor = models.CharField(
        _("nomor"),
        max_length=100,
        blank=True,
        help_text=_('Tanpa kata "Nomor". Contoh: 7 atau 123/PL.01.2-Kpt/33/Prov/2024'),
    )
    tahun = models.PositiveSmallIntegerField(
        _("tahun"), db_index=True, help_text=_("Tahun peraturan, contoh: 2024")
    )
    jenis = models.CharField(_("jenis/bentuk"), max_length=16, choices=JenisRegulasi.choices, db_index=True)
    singkatan_jenis = models.CharField(
        _("singkatan jenis"),
        max_length=30,
        blank=True,
        help_text=_("Contoh: PKPU, Kepkpu, SE. Bila kosong, diisi otomatis sesuai jenis."),
    )
    tempat_penetapan = models.CharField(_("tempat penetapan"), max_length=100, default="Semarang")
    tanggal_penetapan = models.DateField(
        _("tanggal penetapan"),
        db_index=True,
        help_text=_("Untuk monografi, artikel, atau putusan: tanggal terbit atau tanggal diputus."),
    )
    tanggal_pengundangan = models.DateField(
        _("tanggal pengundangan"), null=True, blank=True, help_text=_("Kosongkan bila tidak diundangkan.")
    )
    sumber = models.CharField(
        _("sumber"), max_length=150, blank=True, help_text=_("Contoh: BN 2024 (123) atau BD 2024 (5)")
    )
    subjek = models.CharField(
        _("subjek"), max_length=255, blank=True, help_text=_("Contoh: PEMILU - DATA PEMILIH")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=StatusRegulasi.choices,
        default=StatusRegulasi.BERLAKU,
        db_index=True,
        help_text=_('Ubah menjadi "Dicabut" atau "Diubah" bila ada regulasi baru yang mencabut/mengubahnya.'),
    )
    bahasa = models.CharField(_("bahasa"), max_length=50, default="Indonesia")
    lokasi = models.CharField(
        _("lokasi"),
        max_length=150,
        default="KPU Provinsi Jawa Tengah",
        help_text=_("Tempat dokumen asli disimpan."),
    )
    bidang_hukum = models.CharField(
        _("bidang hukum"), max_length=150, blank=True, help_text=_("Contoh: Hukum Tata Negara")
    )
    pemrakarsa = models.CharField(_("pemrakarsa"), max_length=150, blank=True)
    penandatangan = models.CharField(
        _("penandatangan"), max_length=150, blank=True, help_text=_("Contoh: Ketua KPU Provinsi Jawa Tengah")
    )
    abstrak = models.TextField(
        _("abstrak"), blank=True, help_text=_("Ringkasan isi dalam teks biasa; tampil juga di umpan JDIHN.")
    )
    teks_pencarian = models.TextField(
        _("teks pencarian"),
        editable=False,
        default="",
        help_text=_("Judul, nomor, subjek dan abstrak dalam huruf kecil, untuk pencarian daftar regulasi."),
    )
    dokumen = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("berkas utama (PDF)"),
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Salinan resmi regulasi dalam format PDF."),
    )
    lampiran = StreamField(
        [("lampiran", LampiranBlock())],
        verbose_name=_("lampiran"),
        blank=True,
        help_text=_("Dokumen lampiran, masing-masing dengan judul."),
    )

    base_form_class = RegulasiPageForm
    content_panels = [
        FieldPanel("title", help_text=_("Judul resmi, contoh: Peraturan KPU Nomor 7 Tahun 2024 tentang ...")),
        FieldPanel("judul_lengkap"),
        MultiFieldPanel(
            [
                FieldPanel("tipe_dokumen"),
                FieldRowPanel([FieldPanel("jenis"), FieldPanel("singkatan_jenis")]),
                FieldRowPanel([FieldPanel("nomor"), FieldPanel("tahun")]),
                FieldPanel("status"),
            ],
            heading=_("Identitas"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("tempat_penetapan"), FieldPanel("tanggal_penetapan")]),
                FieldRowPanel([FieldPanel("tanggal_pengundangan"), FieldPanel("sumber")]),
            ],
            heading=_("Penetapan dan pengundangan"),
        ),
        FieldPanel("abstrak"),
        FieldPanel("dokumen"),
        FieldPanel("lampiran"),
    ]
    metadata_panels = [
        FieldPanel("teu_badan"),
        FieldPanel("subjek"),
        FieldPanel("bidang_hukum"),
        FieldPanel("pemrakarsa"),
        FieldPanel("penandatangan"),
        FieldPanel("bahasa"),
        FieldPanel("lokasi"),
        InlinePanel("relasi", label=_("Mengubah / mencabut regulasi lain"), heading=_("Relasi")),
    ]
    edit_handler = tabbed(content_panels, metadata_panels)

    search_fields = site_search_fields(
        index.SearchField("judul_lengkap"),
        index.SearchField("abstrak"),
        index.SearchField("subjek"),
        index.SearchField("nomor"),
        index.AutocompleteField("nomor"),
        index.FilterField("tahun"),
        index.FilterField("jenis"),
        index.FilterField("status"),
        index.FilterField("tipe_dokumen"),
        index.FilterField("tanggal_penetapan"),
    )
    parent_page_types = ["kpu_pages.RegulasiIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("regulasi")
        verbose_name_plural = _("regulasi")

    # --- validation ----------------------------------------------------------------------
    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if not self.singkatan_jenis and self.jenis:
            self.singkatan_jenis = SINGKATAN_JENIS.get(self.jenis, "")
        if self.tahun is not None and not MIN_TAHUN <= self.tahun <= max_tahun():
            errors["tahun"] = _("Tahun harus antara %(min)s dan %(max)s.") % {
                "min": MIN_TAHUN,
                "max": max_tahun(),
            }
        if (
            self.tanggal_penetapan
            and self.tanggal_pengundangan
            and self.tanggal_pengundangan < self.tanggal_penetapan
        ):
            errors["tanggal_pengundangan"] = _(
                "Tanggal pengundangan tidak boleh sebelum tanggal penetapan (%(tanggal)s)."
            ) % {"tanggal": date_format(self.tanggal_penetapan, "j F Y")}
        if self.tipe_dokumen in (TipeDokumen.PERATURAN, TipeDokumen.PUTUSAN) and not self.nomor.strip():
            errors["nomor"] = _("Isi nomor untuk peraturan atau putusan.")
        if self.dokumen_id:
            message = pdf_problem(self.dokumen)
            if message:
                errors["dokumen"] = message
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The live row's search text follows its live content: a draft saved with
        # ``update_fields`` that leave the searched fields alone leaves it alone too.
        self.teks_pencarian = search_text(*(getattr(self, name) for name in SEARCH_SOURCES))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SEARCH_SOURCES):
            kwargs["update_fields"] = {*update_fields, "teks_pencarian"}
        return super().save(*args, **kwargs)

    # --- display helpers -----------------------------------------------------------------
    @property
    def judul(self) -> str:
        return self.judul_lengkap.strip() or self.title

    @property
    def nomor_tahun(self) -> str:
        """ "Nomor 7 Tahun 2024", or just "Tahun 2024" when there is no number."""
        if self.nomor and "/" in self.nomor:  # a decree number already carries its year
            return f"Nomor {self.nomor}"
        if self.nomor:
            return f"Nomor {self.nomor} Tahun {self.tahun}"
        return f"Tahun {self.tahun}"

    def relations(self) -> dict[str, list]:
        """Live relations in both directions: mengubah, mencabut, diubah_oleh, dicabut_oleh.

        Two queries whatever the number of relations.
        """
        if hasattr(self, "_relations_cache"):
            return self._relations_cache
        result: dict[str, list] = {"mengubah": [], "mencabut": [], "diubah_oleh": [], "dicabut_oleh": []}
        visible = RegulasiPage.objects.live().public()
        # Through the cluster manager, so a preview shows the draft's own (unsaved) rows.
        outgoing = [row for row in self.relasi.all().select_related("target") if row.target_id]
        shown = set(visible.filter(pk__in=[row.target_id for row in outgoing]).values_list("pk", flat=True))
        for row in outgoing:
            if row.target_id in shown:
                result[row.jenis].append({"page": row.target, "keterangan": row.keterangan})
        incoming = RegulasiRelasi.objects.filter(target_id=self.pk, page__in=visible).select_related("page")
        for row in incoming.order_by("-page__tanggal_penetapan", "pk"):
            key = "diubah_oleh" if row.jenis == RegulasiRelasi.Jenis.MENGUBAH else "dicabut_oleh"
            result[key].append({"page": row.page, "keterangan": row.keterangan})
        self._relations_cache = result
        return result


def pdf_problem(document) -> str | None:
    """An Indonesian message when ``document`` is not a PDF, else None."""
    extension = (document.file_extension or "").lower()
    if extension != "pdf":
        return str(
            _("Berkas utama harus PDF. Dokumen yang dipilih berformat %(ext)s.")
            % {"ext": extension.upper() or _("tidak dikenal")}
        )
    try:
        with document.open_file() as handle:
            head = handle.read(5)
    except (OSError, ValueError):
        return None  # storage unreachable: don't block the editor on an infrastructure hiccup
    if not head.startswith(b"%PDF-"):
        return str(
            _('Berkas "%(name)s" bukan PDF yang sah. Unggah ulang salinan PDF.') % {"name": document.title}
        )
    return None


class RegulasiFilterForm(forms.Form):
    """The listing's GET filters. Invalid values are dropped, never an error page."""

    jenis = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *JenisRegulasi.choices]
    )
    tahun = forms.IntegerField(label=_("Tahun"), required=False, min_value=MIN_TAHUN, max_value=9999)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua status")), *StatusRegulasi.choices]
    )
    q = forms.CharField(label=_("Kata kunci"), required=False, max_length=100, strip=True)

    def values(self) -> dict:
        """The valid filters only; a bad value in one field does not drop the others."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            key: data[key] for key in ("jenis", "tahun", "status", "q") if data.get(key) not in (None, "")
        }


def apply_filters(queryset, values: dict):
    if values.get("jenis"):
        queryset = queryset.filter(jenis=values["jenis"])
    if values.get("tahun"):
        queryset = queryset.filter(tahun=values["tahun"])
    if values.get("status"):
        queryset = queryset.filter(status=values["status"])
    # Every word must appear in the lower-cased search text (``teks_pencarian``): one plain LIKE over
    # one column behaves the same on SQLite and PostgreSQL and combines with the other filters; it
    # is faster than a case-insensitive match over several columns or trigram indexes (pg_trgm).
    # The site-wide search uses ``search_fields`` instead.
    for word in (values.get("q") or "").split()[:8]:
        queryset = queryset.filter(teks_pencarian__contains=word.lower())
    return queryset


class RegulasiIndexPage(RoutablePageMixin, IndexPage):
    """The JDIH listing at /regulasi/, with filters and the JDIHN JSON feed at /regulasi/jdihn.json."""

    child_model = RegulasiPage
    subpage_types = ["kpu_pages.RegulasiPage"]

    class Meta:
        verbose_name = _("indeks regulasi")
        verbose_name_plural = _("indeks regulasi")

    def get_items(self, request=None):
        items = (
            RegulasiPage.objects.child_of(self)
            .live()
            .public()
            # the regulation's own id (``page_ptr_id``, not the page's ``id``, though equal): the
            # whole order then comes from one index (migration 0012), read backwards, so the
            # JDIHN feed streams its first items before the last rows are read, and a deep
            # listing page is reached without sorting every regulation
            .order_by("-tanggal_penetapan", "-tahun", "-page_ptr_id")
        )
        return self.optimise_listing(items)

    def optimise_listing(self, queryset):
        return queryset.select_related("dokumen")

    def get_context(self, request, *args, **kwargs):
        # Skip IndexPage.get_context: it would paginate the unfiltered list.
        context = super(IndexPage, self).get_context(request, *args, **kwargs)
        form = RegulasiFilterForm(request.GET)
        values = form.values()
        ignored = [
            str(form.fields[name].label)
            for name in ("jenis", "tahun", "status", "q")
            if request.GET.get(name, "").strip() and name not in values
        ]

        def years():
            base = RegulasiPage.objects.child_of(self).live().public()
            years = list(base.order_by("-tahun").values_list("tahun", flat=True).distinct())
            if values.get("tahun") and values["tahun"] not in years:
                years = sorted([*years, values["tahun"]], reverse=True)
            return years

        # Read only when the listing is rendered, not when its {% page_fragment %} is kept.
        context.update(
            items=SimpleLazyObject(
                lambda: paginate(
                    request, apply_filters(self.get_items(request), values), paginator_class=IdsFirstPaginator
                )
            ),
            filters=values,
            filtered=bool(values),
            ignored_filters=ignored,
            jenis_choices=JenisRegulasi.choices,
            status_choices=StatusRegulasi.choices,
            tahun_choices=SimpleLazyObject(years),
            query_string=urlencode(values),
            jdihn_url=(self.url or "") + self.reverse_subpage("jdihn").rstrip("/"),
        )
        return context

    @path("jdihn.json/", name="jdihn")
    def jdihn_feed(self, request):
        """Every live, public regulation in JDIHN harvest field names (``kpu_pages.jdihn``)."""
        return jdihn.feed_response(self, request)
