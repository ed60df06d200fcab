from .home import HomePage
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
from .regulasi import JDIHN_FIELDS, RegulasiIndexPage, RegulasiPage, RegulasiRelasi
from .snippets import Pemilu, Wilayah

__all__ = [
    "JDIHN_FIELDS",
    "ArtikelIndexPage",
    "ArtikelPage",
    "ArtikelTag",
    "BeritaIndexPage",
    "BeritaPage",
    "BeritaTag",
    "HomePage",
    "LiputanKegiatanIndexPage",
    "LiputanKegiatanPage",
    "LiputanKegiatanTag",
    "Pemilu",
    "RegulasiIndexPage",
    "RegulasiPage",
    "RegulasiRelasi",
    "Wilayah",
]
