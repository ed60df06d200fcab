from .announcements import PengumumanIndexPage, PengumumanLampiran, PengumumanPage, home_announcements
from .home import HomePage
from .media import (
    BahanSosialisasiBerkas,
    BahanSosialisasiIndexPage,
    BahanSosialisasiPage,
    DokumentasiIndexPage,
    DokumentasiPage,
    JenisBahan,
    Sasaran,
)
from .news import (
    ArtikelIndexPage,
    ArtikelPage,
    ArtikelTag,
    BeritaIndexPage,
    BeritaPage,
    BeritaTag,
    LiputanKegiatanIndexPage,
    LiputanKegiatanPage,
    LiputanKegiatanTag,
)
from .snippets import Pemilu, Wilayah

__all__ = [
    "ArtikelIndexPage",
    "ArtikelPage",
    "ArtikelTag",
    "BahanSosialisasiBerkas",
    "BahanSosialisasiIndexPage",
    "BahanSosialisasiPage",
    "BeritaIndexPage",
    "BeritaPage",
    "BeritaTag",
    "DokumentasiIndexPage",
    "DokumentasiPage",
    "HomePage",
    "JenisBahan",
    "LiputanKegiatanIndexPage",
    "LiputanKegiatanPage",
    "LiputanKegiatanTag",
    "Pemilu",
    "PengumumanIndexPage",
    "PengumumanLampiran",
    "PengumumanPage",
    "Sasaran",
    "Wilayah",
    "home_announcements",
]
