"""Demo Regulasi (JDIH): national and provincial rules on voter data, campaigns and vote tallies, two of
them amending or revoking older ones so the relations show in both directions."""

from __future__ import annotations

import datetime as dt

from kpu_pages.models import RegulasiIndexPage, RegulasiPage, RegulasiRelasi

from .utils import add_published, demo_pdf, get_or_create_index

KPU_RI = "Indonesia. Komisi Pemilihan Umum"

#: Each item: slug, fields, optional relations (jenis, target slug, keterangan), optional attachments.
REGULASI: list[dict] = [
    {
        "slug": "pkpu-7-2022-penyusunan-daftar-pemilih",
        "title": (
            "Peraturan Komisi Pemilihan Umum Nomor 7 Tahun 2022 tentang Penyusunan Daftar Pemilih dalam "
            "Penyelenggaraan Pemilihan Umum dan Sistem Informasi Data Pemilih"
        ),
        "jenis": "pkpu",
        "nomor": "7",
        "tahun": 2022,
        "teu_badan": KPU_RI,
        "tempat_penetapan": "Jakarta",
        "tanggal_penetapan": dt.date(2022, 10, 11),
        "tanggal_pengundangan": dt.date(2022, 10, 13),
        "sumber": "BN 2022 (1044)",
        "subjek": "PEMILU - DAFTAR PEMILIH - SISTEM INFORMASI DATA PEMILIH",
        "bidang_hukum": "Hukum Tata Negara",
        "pemrakarsa": "Komisi Pemilihan Umum",
        "penandatangan": "Ketua Komisi Pemilihan Umum",
        "abstrak": (
            "Peraturan ini mengatur tata cara penyusunan daftar pemilih di dalam dan di luar negeri, mulai "
            "dari pemutakhiran, pencocokan dan penelitian (coklit), penyusunan daftar pemilih sementara, "
            "hingga penetapan daftar pemilih tetap.\n\n"
            "Peraturan ini juga mengatur penggunaan Sistem Informasi Data Pemilih (Sidalih) oleh KPU, KPU "
            "Provinsi, dan KPU Kabupaten/Kota."
        ),
    },
    {
        "slug": "kepkpu-jateng-12-2023-pedoman-pemutakhiran",
        "title": (
            "Keputusan KPU Provinsi Jawa Tengah Nomor 12/PL.02.1-Kpt/33/Prov/2023 tentang Pedoman Teknis "
            "Pemutakhiran Data Pemilih Berkelanjutan di Provinsi Jawa Tengah"
        ),
        "jenis": "kepkpu-prov",
        "nomor": "12/PL.02.1-Kpt/33/Prov/2023",
        "tahun": 2023,
        "tanggal_penetapan": dt.date(2023, 2, 14),
        "subjek": "PEMILU - PEMUTAKHIRAN DATA PEMILIH BERKELANJUTAN",
        "status": "dicabut",
        "penandatangan": "Ketua KPU Provinsi Jawa Tengah",
        "abstrak": (
            "Pedoman bagi KPU Kabupaten/Kota se-Jawa Tengah dalam melaksanakan pemutakhiran data pemilih "
            "berkelanjutan setiap bulan, termasuk koordinasi dengan dinas kependudukan dan pencatatan sipil."
        ),
    },
    {
        "slug": "kepkpu-jateng-45-2023-rekapitulasi-dpt",
        "title": (
            "Keputusan KPU Provinsi Jawa Tengah Nomor 45/PL.02.1-Kpt/33/Prov/2023 tentang Penetapan "
            "Rekapitulasi Daftar Pemilih Tetap Provinsi Jawa Tengah pada Pemilihan Umum Tahun 2024"
        ),
        "jenis": "kepkpu-prov",
        "nomor": "45/PL.02.1-Kpt/33/Prov/2023",
        "tahun": 2023,
        "tanggal_penetapan": dt.date(2023, 6, 21),
        "subjek": "PEMILU 2024 - DAFTAR PEMILIH TETAP",
        "status": "diubah",
        "penandatangan": "Ketua KPU Provinsi Jawa Tengah",
        "abstrak": (
            "Menetapkan rekapitulasi daftar pemilih tetap Provinsi Jawa Tengah untuk Pemilihan Umum Tahun "
            "2024 per kabupaten/kota, kecamatan, dan jumlah tempat pemungutan suara."
        ),
        "lampiran": [
            ("Lampiran I - Rekapitulasi DPT per Kabupaten/Kota", "rekap-dpt-kabkota"),
            ("Lampiran II - Rekapitulasi Jumlah TPS", "rekap-tps"),
        ],
    },
    {
        "slug": "kepkpu-jateng-52-2023-perubahan-rekapitulasi-dpt",
        "title": (
            "Keputusan KPU Provinsi Jawa Tengah Nomor 52/PL.02.1-Kpt/33/Prov/2023 tentang Perubahan atas "
            "Keputusan KPU Provinsi Jawa Tengah Nomor 45/PL.02.1-Kpt/33/Prov/2023 tentang Penetapan "
            "Rekapitulasi Daftar Pemilih Tetap"
        ),
        "jenis": "kepkpu-prov",
        "nomor": "52/PL.02.1-Kpt/33/Prov/2023",
        "tahun": 2023,
        "tanggal_penetapan": dt.date(2023, 7, 10),
        "subjek": "PEMILU 2024 - DAFTAR PEMILIH TETAP - PERUBAHAN",
        "penandatangan": "Ketua KPU Provinsi Jawa Tengah",
        "abstrak": (
            "Mengubah lampiran rekapitulasi daftar pemilih tetap setelah tindak lanjut rekomendasi Bawaslu "
            "Provinsi Jawa Tengah atas data pemilih di tiga kabupaten."
        ),
        "relasi": [("mengubah", "kepkpu-jateng-45-2023-rekapitulasi-dpt", "Lampiran I")],
    },
    {
        "slug": "kepkpu-jateng-8-2024-pedoman-pemutakhiran",
        "title": (
            "Keputusan KPU Provinsi Jawa Tengah Nomor 8/PL.02.1-Kpt/33/Prov/2024 tentang Pedoman Teknis "
            "Pemutakhiran Data Pemilih Berkelanjutan di Provinsi Jawa Tengah"
        ),
        "jenis": "kepkpu-prov",
        "nomor": "8/PL.02.1-Kpt/33/Prov/2024",
        "tahun": 2024,
        "tanggal_penetapan": dt.date(2024, 3, 4),
        "subjek": "PEMILU - PEMUTAKHIRAN DATA PEMILIH BERKELANJUTAN",
        "penandatangan": "Ketua KPU Provinsi Jawa Tengah",
        "abstrak": (
            "Pedoman teknis yang baru bagi KPU Kabupaten/Kota se-Jawa Tengah, menyesuaikan dengan "
            "Peraturan KPU Nomor 7 Tahun 2022 dan mencabut pedoman tahun 2023."
        ),
        "relasi": [("mencabut", "kepkpu-jateng-12-2023-pedoman-pemutakhiran", "")],
    },
    {
        "slug": "pkpu-13-2024-kampanye-pemilihan",
        "title": (
            "Peraturan Komisi Pemilihan Umum Nomor 13 Tahun 2024 tentang Kampanye Pemilihan Gubernur dan "
            "Wakil Gubernur, Bupati dan Wakil Bupati, serta Wali Kota dan Wakil Wali Kota"
        ),
        "jenis": "pkpu",
        "nomor": "13",
        "tahun": 2024,
        "teu_badan": KPU_RI,
        "tempat_penetapan": "Jakarta",
        "tanggal_penetapan": dt.date(2024, 7, 31),
        "subjek": "PEMILIHAN 2024 - KAMPANYE",
        "bidang_hukum": "Hukum Tata Negara",
        "pemrakarsa": "Komisi Pemilihan Umum",
        "penandatangan": "Ketua Komisi Pemilihan Umum",
        "abstrak": (
            "Peraturan ini mengatur jadwal, metode, dan materi kampanye pemilihan kepala daerah, termasuk "
            "debat publik, alat peraga kampanye, dan dana kampanye.\n\n"
            "Materi kampanye wajib dapat diakses oleh pemilih penyandang disabilitas."
        ),
    },
    {
        "slug": "kepkpu-jateng-2024-rekapitulasi-suara-pilgub",
        "title": (
            "Keputusan KPU Provinsi Jawa Tengah tentang Penetapan Hasil Rekapitulasi Suara Pemilihan "
            "Gubernur dan Wakil Gubernur Jawa Tengah Tahun 2024"
        ),
        "jenis": "kepkpu-prov",
        "nomor": "167/PL.02.6-Kpt/33/Prov/2024",
        "tahun": 2024,
        "tanggal_penetapan": dt.date(2024, 12, 7),
        "subjek": "PEMILIHAN 2024 - REKAPITULASI SUARA",
        "penandatangan": "Ketua KPU Provinsi Jawa Tengah",
        "abstrak": (
            "Menetapkan hasil rekapitulasi suara Pemilihan Gubernur dan Wakil Gubernur Jawa Tengah Tahun "
            "2024 dari 35 kabupaten/kota, berikut perolehan suara setiap pasangan calon."
        ),
    },
    {
        "slug": "se-kpu-jateng-3-2024-coklit-serentak",
        "title": (
            "Surat Edaran KPU Provinsi Jawa Tengah Nomor 3 Tahun 2024 tentang Pelaksanaan Pencocokan dan "
            "Penelitian Serentak pada Pemilihan Gubernur dan Wakil Gubernur Jawa Tengah Tahun 2024"
        ),
        "jenis": "se-kpu-prov",
        "nomor": "3",
        "tahun": 2024,
        "tanggal_penetapan": dt.date(2024, 6, 20),
        "subjek": "PEMILIHAN 2024 - COKLIT",
        "penandatangan": "Ketua KPU Provinsi Jawa Tengah",
        "abstrak": (
            "Meminta KPU Kabupaten/Kota se-Jawa Tengah melaksanakan gerakan coklit serentak pada hari "
            "pertama pencocokan dan penelitian, melibatkan tokoh masyarakat di setiap desa/kelurahan."
        ),
    },
]


def load(home) -> int:
    index = get_or_create_index(home, RegulasiIndexPage, "Regulasi", "regulasi")
    created = 0
    for item in REGULASI:
        data = dict(item)
        slug = data.pop("slug")
        relations = data.pop("relasi", [])
        attachments = data.pop("lampiran", [])
        if index.get_children().filter(slug=slug).exists():
            continue
        document = demo_pdf(f"PDF {data['title'][:200]}", [data["abstrak"]])
        page = RegulasiPage(slug=slug, dokumen=document, **data)
        page.lampiran = [
            ("lampiran", {"judul": judul, "dokumen": demo_pdf(f"{judul} ({slug})", [judul])})
            for judul, _key in attachments
        ]
        page.relasi = [
            RegulasiRelasi(
                jenis=jenis,
                target=RegulasiPage.objects.child_of(index).get(slug=target),
                keterangan=keterangan,
            )
            for jenis, target, keterangan in relations
        ]
        created += add_published(index, page)
    return created
