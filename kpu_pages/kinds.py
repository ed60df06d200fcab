"""The eight content kinds the SOP names, declared once.

Search, feeds, the home page and the SOP workflow (which routes each kind to its long or short
approval chain, see ``sop_workflow.sop.KIND_CHAINS``) all read this registry instead of naming
models themselves. Models are resolved lazily with ``apps.get_model``: a kind whose model is not
installed (yet) is simply skipped, so this module never imports ``kpu_pages.models``.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags

if TYPE_CHECKING:
    from wagtail.models import Page

#: Used when a kind declares no date field, or its model lacks the declared one.
FALLBACK_DATE_FIELD = "first_published_at"
#: Fields tried in order for a one-paragraph summary of an item; missing or empty ones are skipped.
SUMMARY_FIELDS = ("lead", "perihal", "abstrak", "ringkasan", "deskripsi", "intro", "search_description")


@dataclass(frozen=True)
class Kind:
    """One content kind: its key (also its URL slug), label, detail model and listing."""

    key: str
    #: Indonesian, as a reader sees it (search results, filters, the admin)
    label: str
    #: the detail page model, "app_label.ModelName"
    model_label: str
    #: the path of the kind's listing (index) page on the public site
    index_path: str
    #: the field holding the date a reader associates with an item (shown in results, filtered by year)
    date_field: str = FALLBACK_DATE_FIELD
    #: fields tried in order for a one-paragraph summary
    summary_fields: tuple[str, ...] = SUMMARY_FIELDS

    @property
    def model(self) -> type[Page] | None:
        """The detail model, or None while it is not installed."""
        try:
            return apps.get_model(self.model_label)
        except LookupError:
            return None

    @property
    def is_available(self) -> bool:
        return self.model is not None

    def date_field_name(self) -> str:
        """The declared date field if the model has it, else ``first_published_at``."""
        model = self.model
        if model is None:
            return FALLBACK_DATE_FIELD
        try:
            model._meta.get_field(self.date_field)
        except FieldDoesNotExist:
            return FALLBACK_DATE_FIELD
        return self.date_field

    def year_filter(self, year: int) -> models.Q:
        """A filter on the kind's own model selecting the items dated in ``year`` (Asia/Jakarta)."""
        name = self.date_field_name()
        model = self.model
        assert model is not None  # noqa: S101 - callers only ask available kinds
        start: dt.date | dt.datetime
        end: dt.date | dt.datetime
        if isinstance(model._meta.get_field(name), models.DateTimeField):
            start = timezone.make_aware(dt.datetime(year, 1, 1))
            end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
        else:
            start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        return models.Q(**{f"{name}__gte": start, f"{name}__lt": end})

    def date_of(self, page) -> dt.date | dt.datetime | None:
        return getattr(page, self.date_field_name(), None)

    def summary_of(self, page) -> str:
        return summary_of(page, self.summary_fields)


def summary_of(page, fields: tuple[str, ...] = SUMMARY_FIELDS) -> str:
    """The first non-empty summary field of a page, as plain text."""
    for name in fields:
        value = getattr(page, name, "")
        if value:
            return html.unescape(strip_tags(str(value))).strip()
    return ""


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("berita", "Berita", "kpu_pages.BeritaPage", "/berita/", "tanggal"),
        Kind(
            "liputan-kegiatan",
            "Liputan Kegiatan",
            "kpu_pages.LiputanKegiatanPage",
            "/liputan-kegiatan/",
            "tanggal",
        ),
        Kind("artikel", "Artikel", "kpu_pages.ArtikelPage", "/artikel/", "tanggal"),
        Kind("pengumuman", "Pengumuman", "kpu_pages.PengumumanPage", "/pengumuman/", "tanggal"),
        Kind("regulasi", "Regulasi", "kpu_pages.RegulasiPage", "/regulasi/", "tanggal_penetapan"),
        Kind("data", "Data", "kpu_pages.DataPage", "/data/", "as_of"),
        Kind("dokumentasi", "Dokumentasi", "kpu_pages.DokumentasiPage", "/dokumentasi/", "tanggal_kegiatan"),
        Kind(
            "bahan-sosialisasi",
            "Bahan Sosialisasi",
            "kpu_pages.BahanSosialisasiPage",
            "/bahan-sosialisasi/",
            "first_published_at",
        ),
    )
}


def available_kinds() -> Iterator[Kind]:
    """The kinds whose model is installed, in declaration order."""
    return (kind for kind in KINDS.values() if kind.is_available)


def get_kind(key: str | None) -> Kind | None:
    """The available kind with this key, or None (unknown key or model not installed)."""
    kind = KINDS.get(key or "")
    return kind if kind is not None and kind.is_available else None


def kind_for_model(model: type[models.Model]) -> Kind | None:
    """The kind a page model belongs to (subclasses included), or None for other pages."""
    for kind in available_kinds():
        kind_model = kind.model
        if kind_model is not None and issubclass(model, kind_model):
            return kind
    return None


def kind_for_page(page) -> Kind | None:
    """The kind of a (specific) page, for the SOP's chain routing and for labels."""
    return kind_for_model(type(page))
