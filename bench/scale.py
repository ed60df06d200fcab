#!/usr/bin/env python3
"""Scale benchmark: many Berita, Regulasi and Pengumuman on PostgreSQL.

On a database of its own (dropped at the end unless ``--keep``), measures the public URLs with the
demo content, then again after bulk-loading content and its search index entries. Server time only
(Django's test client in-process) and query counts. Goal: p95 within ``GOAL_P95_MS`` for every URL
(a streamed one by its ``FIRST_BYTES``) and no more queries than with demo content; exit 1 if missed.

    .venv/bin/python bench/scale.py            # 100k / 10k / 5k items, a few minutes
    .venv/bin/python bench/scale.py --quick    # 10k / 1k / 500 items, fewer repetitions
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SERVER = os.environ.get("SCALE_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432/")
GOAL_P95_MS = 100.0
#: a streamed response has "answered" once this many bytes have come (the first items)
FIRST_BYTES = 1024

# --- vocabulary for realistic, varied Indonesian titles and leads ---------------------------------
KEGIATAN = [
    "Rapat Pleno Terbuka",
    "Sosialisasi",
    "Bimbingan Teknis",
    "Rapat Koordinasi",
    "Rekapitulasi Suara",
    "Pencocokan dan Penelitian",
    "Pemutakhiran Data Pemilih",
    "Pelantikan",
    "Seleksi Terbuka",
    "Simulasi Pemungutan Suara",
    "Uji Publik",
    "Verifikasi Faktual",
    "Kampanye Tertib",
    "Debat Publik",
    "Distribusi Logistik",
    "Pendidikan Pemilih",
    "Evaluasi Penyelenggaraan",
    "Penetapan Daftar Pemilih Tetap",
    "Pendaftaran Calon",
    "Pengawasan Partisipatif",
]
OBJEK = [
    "Anggota PPK",
    "Anggota PPS",
    "KPPS",
    "Pemilih Pemula",
    "Penyandang Disabilitas",
    "Partai Politik",
    "Calon Perseorangan",
    "Pemilih Muda",
    "Petugas Pantarlih",
    "Media Massa",
    "Tokoh Agama",
    "Pelajar SMA",
    "Mahasiswa",
    "Perempuan Pemilih",
    "Komunitas Desa",
]
PEMILU = ["Pemilu 2024", "Pilkada 2024", "Pemilu 2019", "Pilkada 2020", "Pilgub Jateng", "Pemilu 2029"]
WILAYAH = [
    "Semarang",
    "Kudus",
    "Pati",
    "Jepara",
    "Demak",
    "Kendal",
    "Batang",
    "Pekalongan",
    "Pemalang",
    "Tegal",
    "Brebes",
    "Banyumas",
    "Cilacap",
    "Purbalingga",
    "Banjarnegara",
    "Kebumen",
    "Purworejo",
    "Wonosobo",
    "Magelang",
    "Boyolali",
    "Klaten",
    "Sukoharjo",
    "Wonogiri",
    "Karanganyar",
    "Sragen",
    "Grobogan",
    "Blora",
    "Rembang",
    "Temanggung",
    "Salatiga",
    "Surakarta",
]
KALIMAT = [
    "KPU Provinsi Jawa Tengah mengajak masyarakat untuk aktif memeriksa data pemilih.",
    "Kegiatan ini dihadiri jajaran KPU kabupaten/kota, Bawaslu dan perwakilan partai politik.",
    "Peserta mendapat materi tentang tata cara pemungutan dan penghitungan suara di TPS.",
    "Ketua KPU menegaskan pentingnya integritas penyelenggara di semua tingkatan.",
    "Hasil rekapitulasi ditetapkan dalam rapat pleno terbuka dan diumumkan kepada publik.",
    "Pemilih yang belum terdaftar dapat melapor ke PPS setempat dengan membawa KTP elektronik.",
    "Logistik pemilu didistribusikan tepat waktu, tepat jumlah dan tepat sasaran.",
    "Sosialisasi menyasar kelompok rentan agar hak pilih mereka terlindungi.",
    "Tahapan berikutnya adalah pengumuman daftar calon sementara untuk mendapat tanggapan masyarakat.",
    "Seluruh dokumen dapat diunduh melalui laman PPID KPU Provinsi Jawa Tengah.",
    "Bimbingan teknis berlangsung dua hari dengan simulasi pengisian formulir.",
    "Partisipasi pemilih di Jawa Tengah meningkat dibandingkan pemilihan sebelumnya.",
    "Petugas pantarlih mendatangi rumah warga untuk mencocokkan data kependudukan.",
    "Kampanye harus berlangsung damai tanpa ujaran kebencian dan politik uang.",
    "Relawan demokrasi membantu menjangkau pemilih pemula di sekolah dan kampus.",
]
TENTANG = [
    "Tahapan, Program dan Jadwal Penyelenggaraan",
    "Pemutakhiran Data dan Penyusunan Daftar Pemilih",
    "Pencalonan Anggota Dewan Perwakilan Rakyat Daerah",
    "Kampanye Pemilihan Umum",
    "Dana Kampanye Peserta Pemilu",
    "Pemungutan dan Penghitungan Suara",
    "Rekapitulasi Hasil Penghitungan Perolehan Suara",
    "Pembentukan dan Tata Kerja Badan Ad Hoc",
    "Norma, Standar, Prosedur dan Kebutuhan Pengadaan Logistik",
    "Partisipasi Masyarakat dalam Penyelenggaraan Pemilihan",
    "Penetapan Pasangan Calon Terpilih",
    "Pedoman Teknis Verifikasi Partai Politik",
    "Pengelolaan Informasi dan Dokumentasi",
    "Kode Etik Penyelenggara Pemilu",
]
SUBJEK = [
    "PEMILU - DATA PEMILIH",
    "PEMILU - KAMPANYE",
    "PEMILU - LOGISTIK",
    "PILKADA - PENCALONAN",
    "ORGANISASI",
]
JENIS_REG = ["pkpu", "kepkpu", "kepkpu-prov", "se-kpu", "se-kpu-prov", "uu", "pp", "perda", "putusan-mk"]
SINGKATAN = {
    "pkpu": "PKPU",
    "kepkpu": "Kepkpu",
    "kepkpu-prov": "Kepkpu Prov",
    "se-kpu": "SE",
    "se-kpu-prov": "SE",
}
STATUS_REG = ["berlaku"] * 6 + ["diubah", "dicabut", "tidak-berlaku"]
JENIS_PENGUMUMAN = ["pengumuman", "undangan", "rekrutmen", "hasil-seleksi", "jadwal", "lainnya"]

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def encode_step(number: int) -> str:
    """treebeard's MP_Node step: ``number`` in base 36, four characters."""
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def decode_step(step: str) -> int:
    return int(step, len(ALPHABET))


def slugify_short(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)[:60].strip("-")


# --- database lifecycle -------------------------------------------------------------------------
def admin_sql(statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(SERVER + "postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


def close_database(database: str, keep: bool) -> None:
    """Close Django's connections, then drop the benchmark's database unless it is to be kept."""
    from django.db import connections

    connections.close_all()
    if keep:
        print(f"Basis data disimpan: {SERVER}{database}")
    else:
        admin_sql(f"DROP DATABASE IF EXISTS {database}")


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = SERVER + database
    os.environ["DJANGO_SETTINGS_MODULE"] = "kpu_site.settings.test"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DEMO_PASSWORD", "bench-demo-password")
    import django

    django.setup()


def prepare_site(verbose: bool = False) -> None:
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    # as after a deployment: every image has the sizes the templates use (the test settings this
    # script runs under leave them to the first reader; bench/load.py serves this database too)
    call_command("make_renditions", stdout=out)
    if verbose:
        print(out.getvalue())


# --- bulk generation ----------------------------------------------------------------------------
class Copier:
    """COPY rows into a table through psycopg2 (tab-separated text)."""

    def __init__(self, table: str, columns: list[str]):
        self.table, self.columns, self.buffer = table, columns, io.StringIO()

    @staticmethod
    def cell(value) -> str:
        if value is None:
            return r"\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        text = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
        return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")

    def add(self, *values) -> None:
        self.buffer.write("\t".join(self.cell(value) for value in values) + "\n")

    def flush(self, cursor) -> None:
        self.buffer.seek(0)
        cursor.copy_expert(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN", self.buffer)
        self.buffer = io.StringIO()


PAGE_COLUMNS = [
    "id",
    "path",
    "depth",
    "numchild",
    "title",
    "draft_title",
    "slug",
    "live",
    "has_unpublished_changes",
    "url_path",
    "seo_title",
    "show_in_menus",
    "search_description",
    "expired",
    "content_type_id",
    "owner_id",
    "locked",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "translation_key",
    "locale_id",
]


def add_children(
    index_page,
    model,
    count: int,
    make_row,
    rng: random.Random,
    live: bool = True,
    owner_id: int | None = None,
) -> list[int]:
    """COPY ``count`` live children of ``index_page`` (base rows and ``model``'s own rows).

    ``make_row(number, rng)`` returns (title, published datetime, {column: value} for the child table).
    Paths continue after the index's last child; numchild is updated; ids come from the identity
    sequence. Returns the new page ids.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from wagtail.models import Page

    content_type = ContentType.objects.get_for_model(model)
    last_child = (
        Page.objects.filter(path__startswith=index_page.path, depth=index_page.depth + 1)
        .order_by("-path")
        .first()
    )
    next_step = decode_step(last_child.path[-STEPLEN:]) + 1 if last_child else 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('wagtailcore_page', 'id')) FROM generate_series(1, %s)",
            [count],
        )
        ids = [row[0] for row in cursor.fetchall()]
    base = Copier("wagtailcore_page", PAGE_COLUMNS)
    child = None
    locale_id = index_page.locale_id
    for number, page_id in enumerate(ids):
        title, published, own = make_row(number, rng)
        if child is None:
            child = Copier(model._meta.db_table, ["page_ptr_id", *own])
        slug = f"{slugify_short(title)}-{page_id}"
        base.add(
            page_id,
            index_page.path + encode_step(next_step + number),
            index_page.depth + 1,
            0,
            title,
            title,
            slug,
            live,
            not live,
            f"{index_page.url_path}{slug}/",
            "",
            False,
            "",
            False,
            content_type.pk,
            owner_id,
            False,
            published if live else None,
            published if live else None,
            None,
            uuid.uuid4(),
            locale_id,
        )
        child.add(page_id, *own.values())
    with connection.cursor() as cursor:
        base.flush(cursor)
        child.flush(cursor)
        cursor.execute(
            "UPDATE wagtailcore_page SET numchild = numchild + %s WHERE id = %s", [count, index_page.pk]
        )
    return ids


def year_sql(model) -> str:
    """The year a kind's item is dated in, in SQL over its page (``p``) and its own row (``c``)."""
    from django.conf import settings
    from django.db import models

    from kpu_pages.kinds import kind_for_model

    name = kind_for_model(model).date_field_name()
    field = model._meta.get_field(name)
    column = f"{'c' if field.model is model else 'p'}.{field.column}"
    if isinstance(field, models.DateTimeField):
        column = f"({column} AT TIME ZONE '{settings.TIME_ZONE}')"
    return f"extract(year FROM {column})::int"


def index_entries(model, ids: list[int], body_columns: list[str], autocomplete_extra: list[str]) -> None:
    """The rows Wagtail's PostgreSQL search backend writes for these pages, computed in SQL.

    Same vectors as ``modelsearch``'s ``ObjectIndexer``: title with weight B (boost 2) in the
    configured text-search configuration, the other SearchFields as body with weight D, ending with
    the page's year word (``SitePage.search_year_word``: its kind's date, in the site's time zone),
    the AutocompleteFields with the ``simple`` configuration; then title_norm as the backend refreshes it:
    only the new rows, as ``_refresh_title_norms`` does (rewriting every row after each kind left the
    table with three dead rows for each live one, and search reading three times the blocks).
    """
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from kpu_pages.models.base import YEAR_WORD_PREFIX

    config = settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] or "simple"
    content_type = ContentType.objects.get_for_model(model)
    table = model._meta.db_table
    word = f"'{YEAR_WORD_PREFIX}' || {year_sql(model)}"
    body_vector = " || ".join(
        [
            *(f"setweight(to_tsvector('{config}', coalesce(c.{name}, '')), 'D')" for name in body_columns),
            f"setweight(to_tsvector('{config}', {word}), 'D')",
        ]
    )
    body_text = " || ' ' || ".join([*(f"coalesce(c.{name}, '')" for name in body_columns), word])
    autocomplete = " || ".join(
        f"setweight(to_tsvector('simple', coalesce({name}, '')), 'D')"
        for name in ["p.title", *autocomplete_extra]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO wagtailsearch_indexentry
                (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
            SELECT %s, p.id::text, setweight(to_tsvector('{config}', p.title), 'B'), {autocomplete},
                   {body_vector}, 1.0, p.title, {body_text}
            FROM wagtailcore_page p JOIN {table} c ON c.page_ptr_id = p.id
            WHERE p.id BETWEEN %s AND %s
            """,  # noqa: S608 - identifiers come from model metadata, values are parameters
            [content_type.pk, min(ids), max(ids)],
        )
        cursor.execute(
            """
            UPDATE wagtailsearch_indexentry SET title_norm = avg.value / length(title)
            FROM (SELECT avg(length(title)) AS value FROM wagtailsearch_indexentry
                  WHERE length(title) > 0) avg
            WHERE length(title) > 0 AND title_norm = 1.0
            """
        )


def random_moment(rng: random.Random, first_year: int = 2004) -> dt.datetime:
    from django.utils import timezone

    start = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = timezone.now() - dt.timedelta(days=1)
    return start + dt.timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))


def berita_row(number: int, rng: random.Random):
    kegiatan, objek, wilayah, pemilu = (
        rng.choice(KEGIATAN),
        rng.choice(OBJEK),
        rng.choice(WILAYAH),
        rng.choice(PEMILU),
    )
    title = f"{kegiatan} {objek} di {wilayah} Menjelang {pemilu}"
    moment = random_moment(rng)
    lead = f"{wilayah.upper()} - " + " ".join(rng.sample(KALIMAT, 3))
    return (
        title,
        moment,
        {
            "tanggal": moment,
            "kota": wilayah,
            "lead": lead,
            "body": "[]",
            "feature_image_alt": "",
            "related_pages": "[]",
            "feature_image_id": None,
        },
    )


def regulasi_row(number: int, rng: random.Random):
    jenis = rng.choice(JENIS_REG)
    year = rng.randint(2004, dt.date.today().year)
    tanggal = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    label = {
        "pkpu": "Peraturan Komisi Pemilihan Umum",
        "uu": "Undang-Undang",
        "pp": "Peraturan Pemerintah",
    }.get(jenis, "Keputusan Komisi Pemilihan Umum Provinsi Jawa Tengah")
    nomor = (
        str(number + 1)
        if jenis in ("pkpu", "uu", "pp", "perda")
        else f"{number + 1}/PL.01-Kpt/33/Prov/{year}"
    )
    tentang = rng.choice(TENTANG)
    title = f"{label} Nomor {nomor} Tahun {year} tentang {tentang}"
    published = dt.datetime.combine(tanggal, dt.time(9, 0), tzinfo=dt.UTC)
    subjek = rng.choice(SUBJEK)
    abstrak = f"Mengatur {tentang.lower()}. " + " ".join(rng.sample(KALIMAT, 2))
    from kpu_pages.models.regulasi import search_text  # what RegulasiPage.save() writes

    return (
        title,
        published,
        {
            "tipe_dokumen": "putusan" if jenis.startswith("putusan") else "peraturan",
            "judul_lengkap": "",
            "teu_badan": "Komisi Pemilihan Umum Provinsi Jawa Tengah",
            "nomor": nomor,
            "tahun": year,
            "jenis": jenis,
            "singkatan_jenis": SINGKATAN.get(jenis, ""),
            "tempat_penetapan": "Semarang",
            "tanggal_penetapan": tanggal,
            "tanggal_pengundangan": tanggal + dt.timedelta(days=rng.randint(0, 20)),
            "sumber": f"BN {year} ({rng.randint(1, 900)})",
            "subjek": subjek,
            "status": rng.choice(STATUS_REG),
            "bahasa": "Indonesia",
            "lokasi": "KPU Provinsi Jawa Tengah",
            "bidang_hukum": "Hukum Tata Negara",
            "pemrakarsa": "",
            "penandatangan": "Ketua KPU Provinsi Jawa Tengah",
            "abstrak": abstrak,
            "teks_pencarian": search_text(title, "", nomor, subjek, abstrak),
            "lampiran": "[]",
            "dokumen_id": None,
        },
    )


def pengumuman_row(number: int, rng: random.Random):
    moment = random_moment(rng, 2010)
    jenis = rng.choice(JENIS_PENGUMUMAN)
    perihal = f"{rng.choice(KEGIATAN)} {rng.choice(OBJEK)} Kabupaten {rng.choice(WILAYAH)}"
    title = f"Pengumuman {perihal}"
    return (
        title,
        moment,
        {
            "nomor_surat": f"{number + 1}/PP.04.1-Pu/33/{moment.year}",
            "tanggal": moment.date(),
            "perihal": perihal,
            "jenis": jenis,
            "berlaku_sampai": moment.date() + dt.timedelta(days=rng.randint(7, 60)),
            "disematkan": False,
            "body": "[]",
        },
    )


def generate(berita: int, regulasi: int, pengumuman: int, seed: int = 7) -> dict[str, float]:
    from django.db import connection, transaction

    from kpu_pages.models import (
        BeritaIndexPage,
        BeritaPage,
        PengumumanIndexPage,
        PengumumanPage,
        RegulasiIndexPage,
        RegulasiPage,
    )

    rng = random.Random(seed)
    timings = {}
    plan = [
        ("Berita", BeritaIndexPage, BeritaPage, berita, berita_row, ["lead"], []),
        (
            "Regulasi",
            RegulasiIndexPage,
            RegulasiPage,
            regulasi,
            regulasi_row,
            ["judul_lengkap", "abstrak", "subjek", "nomor"],
            ["c.nomor"],
        ),
        (
            "Pengumuman",
            PengumumanIndexPage,
            PengumumanPage,
            pengumuman,
            pengumuman_row,
            ["nomor_surat", "perihal"],
            [],
        ),
    ]
    for label, index_model, model, count, make_row, body_columns, autocomplete in plan:
        if not count:
            continue
        started = time.perf_counter()
        index_page = index_model.objects.get()
        with transaction.atomic():
            ids = []
            for offset in range(0, count, 20_000):
                index_page.refresh_from_db()
                ids += add_children(index_page, model, min(20_000, count - offset), make_row, rng)
            index_entries(model, ids, body_columns, autocomplete)
        timings[label] = time.perf_counter() - started
        print(f"  {count:>7} {label:<10} dibuat dalam {timings[label]:.1f} s", flush=True)
    with connection.cursor() as cursor:
        # What autovacuum does on a live site after a bulk import: dead rows marked reusable, the
        # visibility map and the planner's statistics brought up to date.
        cursor.execute("VACUUM ANALYZE")
    return timings


# --- measuring ----------------------------------------------------------------------------------
def last_page(path: str, model, per_page: int = 10) -> str:
    """The deepest listing page a reader can reach (listings stop at LISTING_MAX_PAGES)."""
    from kpu_pages.models.base import LISTING_MAX_PAGES

    count = model.objects.live().public().count()
    return f"{path}?halaman={min(LISTING_MAX_PAGES, max(1, math.ceil(count / per_page)))}"


def targets() -> list[tuple[str, str]]:
    from kpu_pages.models import BeritaPage, PengumumanPage, RegulasiPage

    year = dt.date.today().year - 2
    return [
        ("beranda", "/"),
        ("berita hal. 1", "/berita/"),
        ("berita hal. terakhir", last_page("/berita/", BeritaPage)),
        ("pengumuman hal. 1", "/pengumuman/"),
        ("pengumuman hal. terakhir", last_page("/pengumuman/", PengumumanPage)),
        ("regulasi hal. 1", "/regulasi/"),
        ("regulasi hal. terakhir", last_page("/regulasi/", RegulasiPage)),
        ("regulasi ?jenis=pkpu", "/regulasi/?jenis=pkpu"),
        ("regulasi ?tahun", f"/regulasi/?tahun={year}"),
        ("regulasi ?status=dicabut", "/regulasi/?status=dicabut"),
        ("regulasi ?q=kampanye", "/regulasi/?q=kampanye"),
        ("regulasi semua filter", f"/regulasi/?jenis=pkpu&tahun={year}&status=berlaku&q=pemilihan"),
        ("cari pemilihan", "/cari/?q=pemilihan"),
        ("cari rekapitulasi suara", "/cari/?q=rekapitulasi+suara"),
        ("cari memilih jenis=regulasi", "/cari/?q=memilih&jenis=regulasi"),
        ("cari kampanye tahun", f"/cari/?q=kampanye&tahun={year}"),
        ("cari disabilitas tahun", f"/cari/?q=disabilitas&tahun={year}"),
        ("cari hal. 50", "/cari/?q=pemilih&halaman=50"),
        ("jdihn.json?halaman=1", "/regulasi/jdihn.json?halaman=1"),
        ("jdihn.json (semua)", "/regulasi/jdihn.json"),
        ("rss berita", "/berita/rss/"),
        ("rss pengumuman", "/pengumuman/rss/"),
        ("rss regulasi", "/regulasi/rss/"),
        ("sitemap.xml", "/sitemap.xml"),
        ("sitemap-halaman terakhir", "LAST_SITEMAP"),
    ]


def sitemap_last_section(client) -> str:
    """The last file of the sitemap index (or the sitemap itself when it is one file)."""
    import re

    body = client.get("/sitemap.xml").content.decode()
    files = re.findall(r"<loc>https?://[^/]+(/sitemap[^<]*)</loc>", body)
    return files[-1].replace("&amp;", "&") if files else "/sitemap.xml"


#: not counted as queries: they carry no data and cost the same for any amount of it (the whole JDIHN
#: feed reads its server-side cursor inside a transaction, kpu_pages.jdihn.jdihn_stream)
#: statements not counted as queries
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def is_transaction_control(sql: str) -> bool:
    return sql.lstrip().upper().startswith(TRANSACTION_CONTROL)


def percentile_95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def measure(repetitions: int, only: list[str] | None = None) -> dict[str, dict]:
    """Each target URL ``repetitions`` times (after a warm-up); ``only``: labels containing one of
    these strings."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    results = {}
    for label, path in targets():
        if only and not any(part in label for part in only):
            continue
        if path == "LAST_SITEMAP":
            path = sitemap_last_section(client)
        client.get(path)  # warm-up: templates, content types, site root paths
        times, firsts, queries, size, status, db_ms = [], [], 0, 0, 0, 0.0
        reps = repetitions
        for rep in range(reps):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                if getattr(response, "streaming", False):
                    size = 0
                    for chunk in response.streaming_content:
                        size += len(chunk)
                        if size >= FIRST_BYTES and len(firsts) == rep:
                            firsts.append((time.perf_counter() - started) * 1000)
                    if len(firsts) == rep:  # shorter than FIRST_BYTES
                        firsts.append((time.perf_counter() - started) * 1000)
                else:
                    size = len(response.content)
                times.append((time.perf_counter() - started) * 1000)
            queries = sum(
                1 for query in captured.captured_queries if not is_transaction_control(query["sql"])
            )
            status = response.status_code
            db_ms = sum(float(query["time"]) for query in captured.captured_queries) * 1000
            if rep == 0 and times[0] > 1000:
                break  # one slow response is enough to know
        results[label] = {
            "path": path,
            "p50": statistics.median(times),
            "p95": percentile_95(times),
            "max": max(times),
            # a streamed response: its first FIRST_BYTES, the figure the goal applies to
            "first_p50": statistics.median(firsts) if firsts else None,
            "first_p95": percentile_95(firsts) if firsts else None,
            "queries": queries,
            "db_ms": db_ms,
            "status": status,
            "kb": size / 1024,
            "n": len(times),
        }
        first = (
            f"  (awal {results[label]['first_p50']:.1f} / {results[label]['first_p95']:.1f} ms)"
            if firsts
            else ""
        )
        print(
            f"  {label:<30} p50 {results[label]['p50']:7.1f} ms  p95 {results[label]['p95']:7.1f} ms  "
            f"DB {db_ms:6.1f} ms  {queries:3d} kueri  {status}{first}",
            flush=True,
        )
    return results


def goal_figure(row: dict) -> float:
    """What the p95 goal applies to: the whole response, or a streamed one's first bytes."""
    return row["first_p95"] if row.get("first_p95") is not None else row["p95"]


def print_table(demo: dict, scale: dict, counts: str) -> bool:
    """A Markdown table of the scale figures next to the demo-content ones; True when every goal is met."""
    ok = True
    print(f"\nHasil ({counts}), waktu server per permintaan (ms):\n")
    print(
        "| URL | p50 | p95 | maks | DB | kueri | p95 demo | kueri demo | KB | sasaran |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    for label, row in scale.items():
        base = demo.get(label, {})
        # A list long enough to stream sets one planner setting for its transaction (kpu_pages/jdihn.py):
        # one statement more than the single page the demo's few items get, whatever the list's length.
        streams_only_here = row.get("first_p95") is not None and base.get("first_p95") is None
        fewer = row["queries"] <= base.get("queries", row["queries"]) + streams_only_here
        goal = goal_figure(row) <= GOAL_P95_MS and fewer and row["status"] == 200
        ok &= goal
        cells = [
            f"{label} `{row['path']}`",
            f"{row['p50']:.0f}",
            f"{row['p95']:.0f}"
            + (f" (awal {row['first_p95']:.0f})" if row.get("first_p95") is not None else ""),
            f"{row['max']:.0f}",
            f"{row['db_ms']:.0f}",
            str(row["queries"]),
            f"{base['p95']:.0f}" if base else "-",
            str(base.get("queries", "-")),
            f"{row['kb']:.0f}",
            "ya" if goal else ("TIDAK" if row["status"] == 200 else f"TIDAK ({row['status']})"),
        ]
        print("| " + " | ".join(cells) + " |")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k/1k/500 items and fewer repetitions")
    parser.add_argument("--berita", type=int)
    parser.add_argument("--regulasi", type=int)
    parser.add_argument("--pengumuman", type=int)
    parser.add_argument("--repetitions", type=int)
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    parser.add_argument(
        "--reuse", metavar="DATABASE", help="only measure an existing database kept with --keep"
    )
    parser.add_argument(
        "--only", action="append", metavar="TEXT", help="only the URLs whose label contains TEXT (repeatable)"
    )
    args = parser.parse_args()
    scale = 0.1 if args.quick else 1.0
    berita = args.berita if args.berita is not None else int(100_000 * scale)
    regulasi = args.regulasi if args.regulasi is not None else int(10_000 * scale)
    pengumuman = args.pengumuman if args.pengumuman is not None else int(5_000 * scale)
    repetitions = args.repetitions or (8 if args.quick else 30)

    if args.reuse:
        setup_django(args.reuse)
        measure(args.repetitions or 10, args.only)
        print(f"Beban mesin (loadavg 1/5/15 menit): {os.getloadavg()}")
        return 0
    database = f"kpu_scale_{os.getpid()}"
    admin_sql(f"CREATE DATABASE {database}")
    started = time.perf_counter()
    try:
        setup_django(database)
        print(f"Basis data {database}: migrasi dan konten demo...", flush=True)
        prepare_site()
        print(f"Mengukur dengan konten demo ({repetitions}x per URL)...", flush=True)
        demo = measure(repetitions)
        print(f"Membuat {berita} Berita, {regulasi} Regulasi, {pengumuman} Pengumuman...", flush=True)
        generate(berita, regulasi, pengumuman)
        print(f"Mengukur dengan konten skala ({repetitions}x per URL)...", flush=True)
        measured = measure(repetitions)
        ok = print_table(demo, measured, f"+{berita} Berita, +{regulasi} Regulasi, +{pengumuman} Pengumuman")
        verdict = "TERCAPAI" if ok else "TIDAK TERCAPAI"
        print(f"\nSasaran: p95 <= {GOAL_P95_MS:.0f} ms dan kueri <= demo. {verdict}")
        print(f"Beban mesin (loadavg 1/5/15 menit): {os.getloadavg()}")
        print(f"Waktu total {time.perf_counter() - started:.0f} s")
        return 0 if ok else 1
    finally:
        close_database(database, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
