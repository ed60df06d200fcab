"""Demo Berita, Liputan Kegiatan and Artikel."""

import datetime as dt

from django.utils import timezone

from kpu_pages.models import (
    ArtikelIndexPage,
    ArtikelPage,
    BeritaIndexPage,
    BeritaPage,
    LiputanKegiatanIndexPage,
    LiputanKegiatanPage,
    Wilayah,
)

from .utils import add_published, demo_image, get_or_create_index

BERITA = [
    (
        "KPU Jateng Tetapkan Daftar Pemilih Tetap Pilkada 2026",
        "Semarang",
        "33.74",
        "KPU Provinsi Jawa Tengah menetapkan daftar pemilih tetap (DPT) dalam rapat pleno terbuka yang "
        "dihadiri Bawaslu, partai politik, dan perwakilan pasangan calon.",
    ),
    (
        "Bimbingan Teknis Pemutakhiran Data Pemilih untuk 35 KPU Kabupaten/Kota",
        "Surakarta",
        "33.72",
        "Ratusan operator dari 35 KPU kabupaten/kota mengikuti bimbingan teknis pemutakhiran data pemilih "
        "berkelanjutan.",
    ),
    (
        "Rapat Koordinasi Persiapan Logistik Pemilihan di Kabupaten Banyumas",
        "Purwokerto",
        "33.02",
        "KPU Jawa Tengah memastikan kesiapan gudang logistik dan jadwal distribusi surat suara.",
    ),
    (
        "KPU Jateng Terima Kunjungan Pemantau Pemilu dari Perguruan Tinggi",
        "Semarang",
        "33.74",
        "Mahasiswa pemantau pemilu berdialog tentang keterbukaan informasi dan partisipasi pemilih muda.",
    ),
    (
        "Simulasi Pemungutan dan Penghitungan Suara di Kota Tegal",
        "Tegal",
        "33.76",
        "Simulasi digelar untuk menguji tata cara di TPS, termasuk layanan bagi pemilih disabilitas.",
    ),
    (
        "Sosialisasi Tahapan Pemilihan kepada Organisasi Kemasyarakatan",
        "Magelang",
        "33.08",
        "Tokoh agama dan pemuda diajak menyebarkan informasi tahapan pemilihan yang benar kepada warga.",
    ),
]

LIPUTAN = [
    ("Liputan Rapat Pleno Rekapitulasi Hasil Penghitungan Suara", "Semarang", "Hotel Patra Semarang"),
    ("Liputan Gerakan Coklit Serentak di Kabupaten Klaten", "Klaten", "Kecamatan Klaten Tengah"),
    ("Liputan Pelantikan Panitia Pemilihan Kecamatan se-Kabupaten Kudus", "Kudus", "Pendopo Kabupaten Kudus"),
    ("Liputan Uji Publik Rancangan Daerah Pemilihan", "Semarang", "Aula KPU Provinsi Jawa Tengah"),
    ("Liputan Kampanye Pemilih Cerdas di Sekolah Menengah Atas", "Salatiga", "SMA Negeri 1 Salatiga"),
]

ARTIKEL = [
    ("Mengapa Data Pemilih yang Akurat Menentukan Kualitas Pemilu", "Dr. Siti Rahayu, M.Si."),
    ("Pemilih Pemula dan Tantangan Informasi Palsu Menjelang Pemilihan", "Muhammad Arifin, S.H."),
    ("TPS Ramah Disabilitas: Dari Regulasi ke Praktik di Lapangan", "Dewi Lestari, S.Sos."),
    ("Keterbukaan Informasi Publik di Lembaga Penyelenggara Pemilu", "Agus Prasetyo, M.H."),
    ("Belajar dari Rekapitulasi: Transparansi Hasil di Setiap Tingkatan", "Rina Kurniasih, S.IP."),
]

PARAGRAPH = (
    "<p>Kegiatan ini merupakan bagian dari tahapan penyelenggaraan pemilihan yang dilaksanakan secara "
    "terbuka. KPU Provinsi Jawa Tengah mengajak masyarakat untuk aktif memeriksa data dan mengikuti "
    "informasi resmi melalui situs ini.</p>"
    "<h2>Tahapan berikutnya</h2>"
    "<p>Seluruh jajaran KPU kabupaten/kota diminta menyampaikan laporan pelaksanaan sesuai jadwal dan "
    "berkoordinasi dengan Bawaslu setempat.</p>"
)


def _body(n: int):
    return [
        ("paragraph", PARAGRAPH),
        (
            "quote",
            {"text": "Informasi yang akurat adalah hak setiap pemilih.", "attribution": "Ketua KPU Jateng"},
        ),
    ]


def load(home) -> int:
    created = 0
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    berita_index = get_or_create_index(home, BeritaIndexPage, "Berita", "berita")
    for n, (title, kota, kode, lead) in enumerate(BERITA):
        image = demo_image(f"Foto berita: {title}", seed=n)
        page = BeritaPage(
            title=title,
            tanggal=now - dt.timedelta(days=n, hours=n),
            kota=kota,
            lead=lead,
            body=_body(n),
            feature_image=image,
            feature_image_alt=f"Suasana kegiatan: {title}",
        )
        if add_published(berita_index, page):
            page.wilayah.set(Wilayah.objects.filter(kode=kode))
            page.save_revision().publish()
            created += 1

    liputan_index = get_or_create_index(
        home, LiputanKegiatanIndexPage, "Liputan Kegiatan", "liputan-kegiatan"
    )
    for n, (title, kota, tempat) in enumerate(LIPUTAN):
        page = LiputanKegiatanPage(
            title=title,
            tanggal=now - dt.timedelta(days=n + 1),
            kota=kota,
            lead=f"{title.replace('Liputan ', '')} berlangsung tertib dan terbuka bagi publik.",
            body=_body(n),
            tanggal_kegiatan=(now - dt.timedelta(days=n + 1)).date(),
            tempat_kegiatan=tempat,
            feature_image=demo_image(f"Foto liputan: {title}", seed=n + 10),
            feature_image_alt=f"Dokumentasi {title.lower()}",
        )
        created += add_published(liputan_index, page)

    artikel_index = get_or_create_index(home, ArtikelIndexPage, "Artikel", "artikel")
    for n, (title, penulis) in enumerate(ARTIKEL):
        page = ArtikelPage(
            title=title,
            tanggal=now - dt.timedelta(days=2 * n + 1),
            kota="Semarang",
            lead="Tulisan reflektif tentang penyelenggaraan pemilu yang jujur, adil, dan terbuka.",
            body=_body(n),
            penulis=penulis,
            bio_penulis="Penulis adalah pegiat kepemiluan di Jawa Tengah.",
        )
        created += add_published(artikel_index, page)
    return created
