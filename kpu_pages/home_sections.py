"""What the home page shows: announcements (pinned first), latest news, latest regulations, links.

Each section is a fixed number of queries, whatever the amount of content.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from wagtail.images.models import Image

from kpu_pages.models.base import LISTING_IMAGE_FILTERS

QUICK_LINKS = [
    ("Cek Daftar Pemilih (DPT Online)", "https://cekdptonline.kpu.go.id/"),
    ("Pengumuman", "/pengumuman/"),
    ("Regulasi (JDIH)", "/regulasi/"),
    ("Data Pemilu", "/data/"),
    ("Bahan Sosialisasi", "/bahan-sosialisasi/"),
    ("Layanan PPID", "/ppid/"),
]


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def home_sections(home) -> dict:
    sections: dict = {"quick_links": QUICK_LINKS}
    berita = _model("kpu_pages.BeritaPage")
    images = Image.objects.prefetch_renditions(*LISTING_IMAGE_FILTERS)
    sections["latest_news"] = list(
        berita.objects.live()
        .public()
        .order_by("-tanggal", "-pk")
        .prefetch_related(models.Prefetch("feature_image", queryset=images))[:4]
    )
    pengumuman = _model("kpu_pages.PengumumanPage")
    if pengumuman is not None:
        # pinned and still valid first, expired ones left out (kpu_pages.models.announcements)
        sections["announcements"] = pengumuman.objects.pinned_and_latest(5)
    regulasi = _model("kpu_pages.RegulasiPage")
    if regulasi is not None:
        sections["latest_regulations"] = list(
            regulasi.objects.live().public().order_by("-tanggal_penetapan", "-pk")[:5]
        )
    return sections
