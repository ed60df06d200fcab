"""The office calendar that SOP time standards are measured against: working week and holidays."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

#: (field prefix, Indonesian day name) for Monday..Sunday, as Python's weekday() numbers them.
DAYS = [
    ("senin", _("Senin")),
    ("selasa", _("Selasa")),
    ("rabu", _("Rabu")),
    ("kamis", _("Kamis")),
    ("jumat", _("Jumat")),
    ("sabtu", _("Sabtu")),
    ("minggu", _("Minggu")),
]
#: The default working week (WIB): Monday-Thursday 07.30-16.00, Friday 07.30-16.30.
DEFAULT_HOURS = {
    "senin": (dt.time(7, 30), dt.time(16, 0)),
    "selasa": (dt.time(7, 30), dt.time(16, 0)),
    "rabu": (dt.time(7, 30), dt.time(16, 0)),
    "kamis": (dt.time(7, 30), dt.time(16, 0)),
    "jumat": (dt.time(7, 30), dt.time(16, 30)),
}


def _day_fields():
    fields = {}
    for key, label in DAYS:
        start, end = DEFAULT_HOURS.get(key, (None, None))
        fields[f"{key}_mulai"] = models.TimeField(
            _("%(day)s mulai") % {"day": label}, null=True, blank=True, default=start
        )
        fields[f"{key}_selesai"] = models.TimeField(
            _("%(day)s selesai") % {"day": label}, null=True, blank=True, default=end
        )
    return fields


class _WorkingWeekFields(models.Model):
    class Meta:
        abstract = True


for _name, _field in _day_fields().items():
    _WorkingWeekFields.add_to_class(_name, _field)


@register_setting(icon="time")
class JamKerja(_WorkingWeekFields, BaseGenericSetting):
    """Office hours per weekday (WIB). Leave a day empty when the office is closed."""

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel(f"{key}_mulai"), FieldPanel(f"{key}_selesai")], heading=label)
                for key, label in DAYS
            ],
            heading=_("Jam kerja kantor (WIB)"),
            help_text=_(
                "Waktu SOP dihitung hanya dalam jam kerja ini, di luar hari libur. Kosongkan kedua kolom "
                "untuk hari kantor tutup."
            ),
        )
    ]

    class Meta:
        verbose_name = _("jam kerja")
        verbose_name_plural = _("jam kerja")

    def __str__(self) -> str:
        return str(_("Jam kerja kantor"))

    def clean(self):
        super().clean()
        errors = {}
        for key, label in DAYS:
            start, end = getattr(self, f"{key}_mulai"), getattr(self, f"{key}_selesai")
            if (start is None) != (end is None):
                errors[f"{key}_selesai"] = _(
                    "Isi jam mulai dan jam selesai %(day)s, atau kosongkan keduanya."
                ) % {"day": label}
            elif start is not None and end <= start:
                errors[f"{key}_selesai"] = _("Jam selesai %(day)s harus sesudah jam mulai.") % {"day": label}
        if errors:
            raise ValidationError(errors)

    def hours(self) -> dict[int, tuple[dt.time, dt.time]]:
        """{weekday: (start, end)} for the days the office is open."""
        week = {}
        for weekday, (key, _label) in enumerate(DAYS):
            start, end = getattr(self, f"{key}_mulai"), getattr(self, f"{key}_selesai")
            if start is not None and end is not None and end > start:
                week[weekday] = (start, end)
        return week


class HariLibur(models.Model):
    """A day the office is closed: a national holiday or a joint leave day (cuti bersama)."""

    class Jenis(models.TextChoices):
        LIBUR_NASIONAL = "libur", _("Libur nasional")
        CUTI_BERSAMA = "cuti", _("Cuti bersama")
        LAINNYA = "lain", _("Lainnya")

    tanggal = models.DateField(
        _("tanggal"), unique=True, error_messages={"unique": _("Tanggal ini sudah ada.")}
    )
    nama = models.CharField(
        _("keterangan"), max_length=150, help_text=_("Contoh: Hari Raya Idul Fitri 1448 H")
    )
    jenis = models.CharField(_("jenis"), max_length=8, choices=Jenis.choices, default=Jenis.LIBUR_NASIONAL)

    panels = [FieldPanel("tanggal"), FieldPanel("nama"), FieldPanel("jenis")]

    class Meta:
        ordering = ["tanggal"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")

    def __str__(self) -> str:
        return f"{self.tanggal:%d-%m-%Y} {self.nama}"
