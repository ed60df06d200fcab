from .data import DataIndexPage, DataPage, DataTable
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
from .snippets import Pemilu, Wilayah

__all__ = [
    "ArtikelIndexPage",
    "ArtikelPage",
    "ArtikelTag",
    "BeritaIndexPage",
    "BeritaPage",
    "BeritaTag",
    "DataIndexPage",
    "DataPage",
    "DataTable",
    "HomePage",
    "LiputanKegiatanIndexPage",
    "LiputanKegiatanPage",
    "LiputanKegiatanTag",
    "Pemilu",
    "Wilayah",
]
