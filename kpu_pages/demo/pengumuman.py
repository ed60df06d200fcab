"""Demo Pengumuman, Dokumentasi and Bahan Sosialisasi.

Dates are relative to today, so the demo always has a pinned current announcement and
expired ones, whenever it is loaded.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kpu_pages.models import (
    BahanSosialisasiBerkas,
    BahanSosialisasiIndexPage,
    BahanSosialisasiPage,
    DokumentasiIndexPage,
    DokumentasiPage,
    PengumumanIndexPage,
    PengumumanLampiran,
    PengumumanPage,
    Wilayah,
)

from .utils import add_published, demo_image, demo_pdf, get_or_create_index

# (title, nomor, jenis, days ago, valid for days after tanggal or None, pinned, perihal, attachments)
PENGUMUMAN = [
    (
        "Pengumuman Nomor 123/PP.04.1-Pu/33/2026 tentang Rekrutmen Anggota PPK",
        "123/PP.04.1-Pu/33/2026",
        "rekrutmen",
        3,
        17,
        True,
        "Pendaftaran calon anggota Panitia Pemilihan Kecamatan (PPK) se-Jawa Tengah.",
        ["Formulir Pendaftaran Calon Anggota PPK", "Surat Pernyataan Calon Anggota PPK"],
    ),
    (
        "Pengumuman Penerimaan Tanggapan Masyarakat terhadap Calon Anggota PPK",
        "131/PP.04.1-Pu/33/2026",
        "pengumuman",
        2,
        9,
        False,
        "Masyarakat dapat menyampaikan tanggapan atas calon anggota PPK yang lolos seleksi tertulis.",
        ["Formulir Tanggapan Masyarakat"],
    ),
    (
        "Hasil Seleksi Administrasi Calon Anggota PPS Kabupaten Banyumas",
        "118/PP.04.2-Pu/33/2026",
        "hasil-seleksi",
        10,
        15,
        False,
        "Daftar nama calon anggota PPS yang memenuhi syarat administrasi.",
        ["Daftar Nama Calon Anggota PPS yang Memenuhi Syarat Administrasi"],
    ),
    (
        "Undangan Rapat Pleno Terbuka Rekapitulasi Daftar Pemilih Berkelanjutan",
        "97/PL.01.2-Und/33/2026",
        "undangan",
        20,
        7,
        False,
        "Undangan kepada Bawaslu, partai politik, dan instansi terkait untuk menghadiri rapat pleno.",
        [],
    ),
    (
        "Jadwal dan Tahapan Pemutakhiran Data Pemilih Berkelanjutan Semester I",
        "85/PL.01.2-Pu/33/2026",
        "jadwal",
        30,
        None,
        False,
        "Jadwal kegiatan pemutakhiran data pemilih berkelanjutan di 35 kabupaten/kota.",
        ["Jadwal Pemutakhiran Data Pemilih Berkelanjutan Semester I"],
    ),
    (
        "Pengumuman Libur Layanan Informasi Publik pada Cuti Bersama Idulfitri",
        "",
        "lainnya",
        60,
        10,
        False,
        "Layanan informasi publik tatap muka ditutup selama cuti bersama; layanan daring tetap dibuka.",
        [],
    ),
]

#: announcements about one kabupaten/kota (the others concern all of Jawa Tengah)
PENGUMUMAN_WILAYAH = {"Hasil Seleksi Administrasi Calon Anggota PPS Kabupaten Banyumas": "33.02"}

PENGUMUMAN_BODY = (
    "<p>Sehubungan dengan tahapan penyelenggaraan pemilihan, Komisi Pemilihan Umum Provinsi Jawa "
    "Tengah mengumumkan hal-hal sebagai berikut.</p>"
    "<ol><li>Ketentuan lengkap tercantum dalam lampiran pengumuman ini.</li>"
    "<li>Informasi lebih lanjut dapat ditanyakan melalui layanan informasi KPU Provinsi Jawa Tengah "
    "pada hari dan jam kerja.</li></ol>"
    "<p>Demikian pengumuman ini disampaikan untuk diketahui.</p>"
)

# (title, tempat, wilayah code, days ago, photo captions)
DOKUMENTASI = [
    (
        "Rapat Pleno Terbuka Rekapitulasi Daftar Pemilih Berkelanjutan Triwulan II",
        "Aula KPU Provinsi Jawa Tengah, Semarang",
        "33.74",
        4,
        [
            "Ketua KPU Provinsi Jawa Tengah membuka rapat pleno terbuka",
            "Perwakilan Bawaslu dan partai politik menyimak paparan data pemilih",
            "Penandatanganan berita acara rekapitulasi oleh anggota KPU",
            "Peserta rapat pleno berfoto bersama usai penetapan",
        ],
    ),
    (
        "Bimbingan Teknis Badan Ad Hoc se-Karesidenan Banyumas",
        "Gedung Serbaguna, Purwokerto",
        "33.02",
        12,
        [
            "Narasumber menjelaskan tata kerja PPK dan PPS",
            "Peserta bimtek berdiskusi dalam kelompok kecil",
            "Simulasi pengisian formulir oleh peserta",
        ],
    ),
    (
        "Sosialisasi Pemilih Pemula di SMA Negeri 3 Semarang",
        "SMA Negeri 3 Semarang",
        "33.74",
        18,
        [
            "Siswa kelas XII mengikuti sosialisasi pemilih pemula di aula sekolah",
            "Siswa mencoba simulasi pemungutan suara dengan surat suara contoh",
            "Sesi tanya jawab tentang cara mengecek DPT secara daring",
        ],
    ),
    (
        "Rapat Koordinasi Pengelolaan Logistik di Gudang KPU Kabupaten Boyolali",
        "Gudang Logistik KPU Kabupaten Boyolali",
        "33.09",
        25,
        [
            "Petugas memeriksa kondisi kotak suara di gudang logistik",
            "Anggota KPU Provinsi meninjau tata letak penyimpanan bilik suara",
        ],
    ),
    (
        "Uji Publik Rancangan Penataan Daerah Pemilihan di Kota Surakarta",
        "Aula KPU Kota Surakarta",
        "33.72",
        40,
        [
            "Pemaparan rancangan penataan daerah pemilihan kepada peserta uji publik",
            "Perwakilan masyarakat menyampaikan masukan",
            "Tim KPU mencatat tanggapan peserta uji publik",
        ],
    ),
]

# (title, jenis, sasaran, description, files: [(judul, kind "image"/"pdf"/"both", teks alternatif)])
BAHAN = [
    (
        "Ayo Cek DPT Online",
        "poster",
        ["umum", "pemula"],
        "Poster ajakan memeriksa nama di Daftar Pemilih Tetap melalui cekdptonline.kpu.go.id. Silakan "
        "unduh dan cetak untuk ditempel di balai desa, sekolah, dan tempat ibadah.",
        [
            (
                "Poster Ayo Cek DPT Online (A3)",
                "both",
                "Poster berwarna merah dengan judul besar 'Ayo Cek DPT Online'. Isi: buka "
                "cekdptonline.kpu.go.id, masukkan Nomor Induk Kependudukan (NIK) sesuai KTP-el, lalu "
                "tekan 'Pencarian'. Bila nama tidak ditemukan, laporkan ke PPS di desa/kelurahan atau "
                "KPU kabupaten/kota. Di bagian bawah tertera logo KPU Provinsi Jawa Tengah.",
            )
        ],
    ),
    (
        "Pemilih Pemula Cerdas",
        "infografis",
        ["pemula"],
        "Infografis untuk siswa SMA/SMK dan mahasiswa yang baru pertama kali memilih: syarat, cara "
        "mengecek DPT, dan cara mengenali informasi palsu.",
        [
            (
                "Infografis Pemilih Pemula Cerdas",
                "image",
                "Infografis tiga langkah. Langkah 1: pastikan berusia 17 tahun atau sudah menikah pada "
                "hari pemungutan suara. Langkah 2: cek nama di DPT online. Langkah 3: cari informasi dari "
                "sumber resmi KPU dan periksa kembali sebelum membagikan berita.",
            )
        ],
    ),
    (
        "Hak Pilih Penyandang Disabilitas",
        "leaflet",
        ["disabilitas", "umum"],
        "Leaflet tentang layanan bagi pemilih penyandang disabilitas di TPS: pendamping, alat bantu "
        "tunanetra, dan TPS yang mudah diakses.",
        [
            (
                "Leaflet Hak Pilih Penyandang Disabilitas (PDF siap cetak)",
                "pdf",
                "Leaflet lipat tiga. Halaman depan: 'Semua Berhak Memilih'. Isi: pemilih disabilitas "
                "boleh didampingi orang pilihannya sendiri; tersedia alat bantu coblos (template braille) "
                "bagi tunanetra; petugas KPPS wajib membantu; TPS harus mudah dijangkau kursi roda.",
            )
        ],
    ),
    (
        "Buku Saku Relawan Demokrasi",
        "buku-saku",
        ["relawan-demokrasi", "keagamaan", "masyarakat-adat"],
        "Panduan ringkas bagi relawan demokrasi yang mendampingi komunitas keagamaan, masyarakat adat, "
        "dan kelompok lain dalam sosialisasi pemilihan.",
        [
            (
                "Buku Saku Relawan Demokrasi",
                "pdf",
                "Buku saku 24 halaman berisi: peran relawan demokrasi, tahapan pemilihan, cara "
                "menyampaikan informasi kepada komunitas, daftar kontak KPU kabupaten/kota, dan "
                "larangan bagi relawan (tidak boleh berpihak kepada peserta pemilihan).",
            )
        ],
    ),
    (
        "Video Tata Cara Mencoblos di TPS",
        "video",
        ["umum", "perempuan", "marginal"],
        "Video singkat tentang urutan pemungutan suara di TPS, dari datang membawa undangan hingga "
        "mencelupkan jari ke tinta. Naskah lengkap tersedia di bawah.",
        [
            (
                "Cuplikan adegan dan naskah video",
                "both",
                "Naskah video: (1) Datang ke TPS membawa formulir pemberitahuan dan KTP-el. (2) Serahkan "
                "kepada petugas KPPS dan tunggu dipanggil. (3) Terima surat suara, periksa apakah rusak. "
                "(4) Coblos di bilik suara pada satu pilihan. (5) Lipat dan masukkan ke kotak suara. "
                "(6) Celupkan jari ke tinta sebagai tanda sudah memilih.",
            )
        ],
    ),
    (
        "Perempuan Berdaya, Perempuan Memilih",
        "poster",
        ["perempuan"],
        "Poster ajakan bagi perempuan untuk menggunakan hak pilih dan ikut mengawasi jalannya pemilihan.",
        [
            (
                "Poster Perempuan Berdaya, Perempuan Memilih",
                "image",
                "Poster bergambar tiga perempuan dari berbagai usia memegang kartu pemilih. Teks: "
                "'Suaramu menentukan masa depan. Datang ke TPS, gunakan hak pilihmu.'",
            )
        ],
    ),
]


def _pengumuman(home, today: dt.date) -> int:
    index = get_or_create_index(home, PengumumanIndexPage, "Pengumuman", "pengumuman")
    created = 0
    for title, nomor, jenis, days_ago, valid_days, pinned, perihal, attachments in PENGUMUMAN:
        tanggal = today - dt.timedelta(days=days_ago)
        page = PengumumanPage(
            title=title,
            nomor_surat=nomor,
            jenis=jenis,
            tanggal=tanggal,
            berlaku_sampai=tanggal + dt.timedelta(days=valid_days) if valid_days is not None else None,
            disematkan=pinned,
            perihal=perihal,
            body=[("paragraph", PENGUMUMAN_BODY)],
        )
        page.lampiran = [
            PengumumanLampiran(document=demo_pdf(name, [perihal]), judul=name) for name in attachments
        ]
        if add_published(index, page):
            if title in PENGUMUMAN_WILAYAH:
                page.wilayah.set(Wilayah.objects.filter(kode=PENGUMUMAN_WILAYAH[title]))
                page.save_revision().publish()
            created += 1
    return created


def _dokumentasi(home, today: dt.date) -> int:
    index = get_or_create_index(home, DokumentasiIndexPage, "Dokumentasi", "dokumentasi")
    created = 0
    for n, (title, tempat, kode, days_ago, captions) in enumerate(DOKUMENTASI):
        gallery = [
            (
                "photo",
                {
                    "image": demo_image(f"Dokumentasi: {caption}", seed=20 + 5 * n + k),
                    "alt_text": caption,
                    "caption": caption + ".",
                    "credit": "Humas KPU Provinsi Jawa Tengah",
                },
            )
            for k, caption in enumerate(captions)
        ]
        page = DokumentasiPage(
            title=title,
            tanggal_kegiatan=today - dt.timedelta(days=days_ago),
            tempat=tempat,
            deskripsi=f"{title} berlangsung di {tempat}. Kegiatan dihadiri jajaran KPU, Bawaslu, dan "
            "pemangku kepentingan, serta terbuka untuk diliput media.",
            galeri=gallery,
        )
        if add_published(index, page):
            page.wilayah.set(Wilayah.objects.filter(kode=kode))
            page.save_revision().publish()
            created += 1
    return created


def _bahan(home) -> int:
    index = get_or_create_index(home, BahanSosialisasiIndexPage, "Bahan Sosialisasi", "bahan-sosialisasi")
    created = 0
    for n, (title, jenis, sasaran, deskripsi, files) in enumerate(BAHAN):
        page = BahanSosialisasiPage(title=title, jenis_bahan=jenis, sasaran=sasaran, deskripsi=deskripsi)
        berkas = []
        for judul, kind, alt in files:
            berkas.append(
                BahanSosialisasiBerkas(
                    judul=judul,
                    gambar=demo_image(f"Bahan sosialisasi: {judul}", seed=50 + n, width=900, height=1200)
                    if kind in ("image", "both")
                    else None,
                    dokumen=demo_pdf(judul, [alt]) if kind in ("pdf", "both") else None,
                    teks_alternatif=alt,
                )
            )
        page.berkas = berkas
        created += add_published(index, page)
    return created


def load(home) -> int:
    today = timezone.localdate()
    return _pengumuman(home, today) + _dokumentasi(home, today) + _bahan(home)
