from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Wilayah(index.Indexed, models.Model):
    """Jawa Tengah and its 35 kabupaten/kota, with Kemendagri area codes (loaded by a migration)."""

    class Jenis(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    kode = models.CharField(_("kode Kemendagri"), max_length=13, unique=True, help_text=_("Contoh: 33.74"))
    nama = models.CharField(_("nama"), max_length=100)
    jenis = models.CharField(_("jenis"), max_length=12, choices=Jenis.choices)

    panels = [FieldPanel("kode"), FieldPanel("nama"), FieldPanel("jenis")]
    search_fields = [index.SearchField("nama"), index.AutocompleteField("nama"), index.FilterField("kode")]

    class Meta:
        ordering = ["kode"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return self.nama


class Pemilu(index.Indexed, models.Model):
    """An election event (Pemilu, Pilkada) that content can be linked to."""

    class Jenis(models.TextChoices):
        PEMILU = "pemilu", _("Pemilihan Umum (Presiden, DPR, DPD, DPRD)")
        PILGUB = "pilgub", _("Pemilihan Gubernur dan Wakil Gubernur")
        PILKADA = "pilkada", _("Pemilihan Bupati/Wali Kota")

    nama = models.CharField(_("nama"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    jenis = models.CharField(_("jenis"), max_length=12, choices=Jenis.choices)
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    tanggal_pemungutan = models.DateField(_("tanggal pemungutan suara"), null=True, blank=True)

    panels = [
        FieldPanel("nama"),
        FieldPanel("slug"),
        FieldPanel("jenis"),
        FieldPanel("tahun"),
        FieldPanel("tanggal_pemungutan"),
    ]
    search_fields = [index.SearchField("nama"), index.AutocompleteField("nama"), index.FilterField("tahun")]

    class Meta:
        ordering = ["-tahun", "nama"]
        verbose_name = _("pemilu")
        verbose_name_plural = _("pemilu")

    def __str__(self) -> str:
        return self.nama
