"""Demo Data pages: DPT, TPS, PPK/PPS, disabilitas, pemilih pemula, with generated CSV/XLSX files.

The numbers are invented but plausible: each kabupaten/kota is scaled by a rough population
figure, with a seeded random spread so every run produces the same files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.utils.text import slugify

from wagtail.documents.models import Document

from kpu_pages.data_tables import format_number
from kpu_pages.models import DataIndexPage, DataPage, DataTable, Wilayah

from .utils import add_published, get_or_create_index

#: rough population in thousands, to make the invented numbers plausible
POPULATION = {
    "33.01": 1944, "33.02": 1776, "33.03": 998, "33.04": 1017, "33.05": 1350, "33.06": 769,
    "33.07": 879, "33.08": 1299, "33.09": 1062, "33.10": 1260, "33.11": 907, "33.12": 1043,
    "33.13": 931, "33.14": 976, "33.15": 1453, "33.16": 884, "33.17": 645, "33.18": 1324,
    "33.19": 849, "33.20": 1184, "33.21": 1203, "33.22": 1053, "33.23": 790, "33.24": 1018,
    "33.25": 801, "33.26": 968, "33.27": 1471, "33.28": 1596, "33.29": 1979, "33.71": 121,
    "33.72": 523, "33.73": 193, "33.74": 1653, "33.75": 307, "33.76": 273,
}  # fmt: skip
KECAMATAN_KOTA = {"33.71": 3, "33.72": 5, "33.73": 4, "33.74": 16, "33.75": 4, "33.76": 4}


def kabupaten_kota() -> list[Wilayah]:
    return list(Wilayah.objects.exclude(jenis=Wilayah.Jenis.PROVINSI).order_by("kode"))


def _kecamatan(kode: str) -> int:
    return KECAMATAN_KOTA.get(kode) or max(10, min(26, round(POPULATION[kode] / 70)))


# --- table builders: (headers, rows) with the Wilayah label first ---------------------------
def dpt_rows(wilayah: list[Wilayah], rng: random.Random):
    headers = [
        "Kabupaten/Kota",
        "Jumlah Pemilih",
        "Pemilih Laki-laki",
        "Pemilih Perempuan",
        "Kecamatan",
        "Desa/Kelurahan",
    ]
    rows = []
    for w in wilayah:
        voters = int(POPULATION[w.kode] * 1000 * rng.uniform(0.74, 0.78))
        men = int(voters * rng.uniform(0.49, 0.505))
        kec = _kecamatan(w.kode)
        rows.append([w.nama, voters, men, voters - men, kec, kec * rng.randint(11, 18)])
    return headers, rows


def dptb_rows(wilayah: list[Wilayah], rng: random.Random):
    headers = ["Kabupaten/Kota", "Jumlah DPTb", "DPTb Laki-laki", "DPTb Perempuan"]
    rows = []
    for w in wilayah:
        men, women = rng.randint(150, 2400), rng.randint(150, 2400)
        rows.append([w.nama, men + women, men, women])
    return headers, rows


def tps_rows(wilayah: list[Wilayah], rng: random.Random):
    headers = ["Wilayah", "Jumlah TPS", "TPS Lokasi Khusus", "Rata-rata Pemilih per TPS"]
    rows = []
    for w in wilayah:
        voters = POPULATION[w.kode] * 1000 * 0.76
        tps = int(voters / rng.uniform(480, 560))
        rows.append([w.nama, tps, rng.randint(0, 6), round(voters / tps, 1)])
    return headers, rows


def ppk_pps_rows(wilayah: list[Wilayah], rng: random.Random):
    headers = ["Kode", "Jumlah PPK", "Anggota PPK", "Jumlah PPS", "Anggota PPS"]
    rows = []
    for w in wilayah:
        kec = _kecamatan(w.kode)
        desa = kec * rng.randint(11, 18)
        rows.append([w.kode, kec, kec * 5, desa, desa * 3])
    return headers, rows


DISABILITAS = {
    "Fisik": (1800, 2600),
    "Intelektual": (700, 1300),
    "Mental": (900, 1500),
    "Sensorik Wicara": (250, 500),
    "Sensorik Rungu": (400, 800),
    "Sensorik Netra": (500, 900),
}


def disabilitas_rows(wilayah: list[Wilayah], rng: random.Random):
    headers = ["Kabupaten/Kota", "Jumlah Pemilih Disabilitas", *DISABILITAS]
    rows = []
    for w in wilayah:
        scale = POPULATION[w.kode] / 1000
        counts = [int(scale * rng.randint(low, high)) for low, high in DISABILITAS.values()]
        rows.append([w.nama, sum(counts), *counts])
    return headers, rows


def pemula_rows(wilayah: list[Wilayah], rng: random.Random):
    headers = [
        "Kabupaten/Kota",
        "Jumlah Pemilih Pemula",
        "Usia 17 Tahun",
        "Usia 18-21 Tahun",
        "Persentase terhadap DPT",
    ]
    rows = []
    for w in wilayah:
        voters = POPULATION[w.kode] * 1000 * 0.76
        young = int(voters * rng.uniform(0.012, 0.016))
        older = int(voters * rng.uniform(0.055, 0.07))
        rows.append([w.nama, young + older, young, older, round(100 * (young + older) / voters, 1)])
    return headers, rows


# --- file writers --------------------------------------------------------------------------
def _with_total(headers, rows, skip: set[int] = frozenset()):
    total = ["Jumlah"] + [
        "" if col in skip else sum(row[col] for row in rows) for col in range(1, len(headers))
    ]
    return [*rows, total]


def xlsx_bytes(headers: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers, rows, delimiter=",", encoding="utf-8", indonesian_numbers=False) -> bytes:
    def cell(value):
        if indonesian_numbers and isinstance(value, int | float):
            return format_number(value)
        return value

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode(encoding)


def demo_data_document(title: str, filename: str, make: Callable[[], bytes]) -> Document:
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(title=title)
    document.file.save(filename, ContentFile(make()), save=False)
    document.save()
    return document


def _table(title: str, filename: str, make: Callable[[], bytes]) -> DataTable:
    table = DataTable(title=title, document=demo_data_document(f"Data: {title}", filename, make))
    table.load_document()
    return table


def _page_specs(wilayah) -> list[tuple]:
    """The demo Data pages: (title, as of, basis, description, [(table title, file name, make)])."""
    rng = random.Random(33)  # noqa: S311 - invented demo numbers
    dpt = dpt_rows(wilayah, rng)
    dptb = dptb_rows(wilayah, rng)
    tps = tps_rows(wilayah, rng)
    ppk = ppk_pps_rows(wilayah, rng)
    dis = disabilitas_rows(wilayah, rng)
    pemula = pemula_rows(wilayah, rng)
    return [
        (
            "Rekapitulasi DPT Pilkada 2026 per Kabupaten/Kota",
            dt.date(2026, 9, 20),
            "Berita Acara Rapat Pleno Nomor 12/PL.02.1-BA/33/2026",
            "Daftar pemilih tetap Pemilihan Gubernur dan Wakil Gubernur Jawa Tengah 2026 di 35 "
            "kabupaten/kota, menurut jenis kelamin, beserta daftar pemilih tambahan.",
            [
                ("DPT per kabupaten/kota menurut jenis kelamin", "rekap-dpt-pilkada-2026.xlsx",
                 lambda: xlsx_bytes(dpt[0], _with_total(*dpt))),
                ("Daftar pemilih tambahan (DPTb)", "rekap-dptb-pilkada-2026.csv",
                 lambda: csv_bytes(dptb[0], _with_total(*dptb), encoding="utf-8-sig")),
            ],
        ),
        (
            "Jumlah TPS Pilkada 2026 per Kabupaten/Kota",
            dt.date(2026, 9, 20),
            "Berita Acara Rapat Pleno Nomor 13/PL.02.1-BA/33/2026",
            "Jumlah tempat pemungutan suara, TPS lokasi khusus, dan rata-rata pemilih per TPS.",
            [("Jumlah TPS per kabupaten/kota", "jumlah-tps-pilkada-2026.csv",
              lambda: csv_bytes(tps[0], _with_total(*tps, skip={3}), delimiter=";",
                                indonesian_numbers=True))],
        ),
        (
            "Jumlah PPK dan PPS Pilkada 2026",
            dt.date(2026, 5, 15),
            "Keputusan KPU Provinsi Jawa Tengah Nomor 45 Tahun 2026",
            "Jumlah panitia pemilihan kecamatan (PPK) dan panitia pemungutan suara (PPS) beserta anggotanya.",
            [("PPK dan PPS per kabupaten/kota", "ppk-pps-pilkada-2026.csv",
              lambda: csv_bytes(ppk[0], _with_total(*ppk)))],
        ),
        (
            "Pemilih Disabilitas dalam DPT Pilkada 2026",
            dt.date(2026, 9, 20),
            "Berita Acara Rapat Pleno Nomor 12/PL.02.1-BA/33/2026",
            "Jumlah pemilih penyandang disabilitas menurut ragam disabilitas, "
            "untuk perencanaan TPS yang ramah akses.",
            [("Pemilih disabilitas menurut ragam", "pemilih-disabilitas-2026.xlsx",
              lambda: xlsx_bytes(dis[0], _with_total(*dis)))],
        ),
        (
            "Pemilih Pemula Pilkada 2026",
            dt.date(2026, 9, 20),
            "Berita Acara Rapat Pleno Nomor 12/PL.02.1-BA/33/2026",
            "Pemilih berusia 17 sampai 21 tahun yang tercatat dalam DPT, "
            "sasaran utama sosialisasi pemilih pemula.",
            [("Pemilih pemula per kabupaten/kota", "pemilih-pemula-2026.csv",
              lambda: csv_bytes(pemula[0], _with_total(*pemula, skip={4}), delimiter=";",
                                encoding="cp1252", indonesian_numbers=True))],
        ),
    ]  # fmt: skip


def load(home) -> int:
    wilayah = kabupaten_kota()
    if not wilayah:
        return 0
    index = get_or_create_index(
        home,
        DataIndexPage,
        "Data",
        "data",
        intro="<p>Data kepemiluan yang ditetapkan KPU Provinsi Jawa Tengah, "
        "dapat diunduh dalam format CSV.</p>",
    )
    created = 0
    for title, as_of, basis, description, tables in _page_specs(wilayah):
        slug = slugify(title)[:80]
        if index.get_children().filter(slug=slug).exists():
            continue
        page = DataPage(
            title=title,
            slug=slug,
            as_of=as_of,
            basis=basis,
            level=DataPage.Level.PROVINSI,
            description=description,
            tables=[_table(*table) for table in tables],
        )
        created += add_published(index, page)
    return created
