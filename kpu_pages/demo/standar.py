"""Demo Profil section, Kontak, and PPID with its Daftar Informasi Publik."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone

from wagtail.images.models import Image

from kpu_pages.models import (
    AnggotaKomisioner,
    AnggotaPage,
    DaftarInformasiPublikPage,
    InformasiPublik,
    KategoriInformasi,
    KontakPage,
    PPIDPage,
    ProfilPage,
    StandardPage,
    StrukturOrganisasiPage,
)
from kpu_pages.models.standard import PeriodePembaruan

from .utils import add_published, demo_image, demo_pdf, get_or_create_index

# --- Profil --------------------------------------------------------------------------------
SEJARAH = (
    "<p>Komisi Pemilihan Umum dibentuk sebagai lembaga penyelenggara pemilu yang bersifat nasional, "
    "tetap, dan mandiri. Di Jawa Tengah, KPU Provinsi menjadi bagian dari hierarki KPU yang "
    "mengoordinasikan 35 KPU kabupaten/kota.</p>"
    "<p>Sejak Pemilu 2004, KPU Provinsi Jawa Tengah menyelenggarakan pemilihan umum dan pemilihan "
    "gubernur dan wakil gubernur, serta menyupervisi pemilihan bupati dan wali kota di wilayahnya.</p>"
)

VISI_MISI = (
    "<h2>Visi</h2>"
    "<p>Menjadi penyelenggara pemilihan umum yang mandiri, profesional, dan berintegritas untuk "
    "terwujudnya pemilu yang langsung, umum, bebas, rahasia, jujur, dan adil.</p>"
    "<h2>Misi</h2>"
    "<ol>"
    "<li>Meningkatkan kualitas penyelenggaraan pemilu yang efektif dan efisien, transparan, "
    "akuntabel, serta aksesibel.</li>"
    "<li>Meningkatkan integritas, kemandirian, kepastian hukum, dan profesionalitas penyelenggara "
    "pemilu.</li>"
    "<li>Meningkatkan partisipasi dan kualitas pemilih melalui sosialisasi dan pendidikan pemilih "
    "yang berkelanjutan.</li>"
    "<li>Memanfaatkan teknologi informasi dalam mendukung penyelenggaraan pemilu yang terbuka.</li>"
    "<li>Meningkatkan kualitas pelayanan informasi publik kepada masyarakat.</li>"
    "</ol>"
)

TUGAS_FUNGSI = (
    "<p>Berdasarkan Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum, KPU Provinsi antara lain "
    "bertugas dan berwenang untuk:</p>"
    "<h2>Tugas</h2>"
    "<ul>"
    "<li>menjabarkan program dan melaksanakan anggaran serta menetapkan jadwal di provinsi;</li>"
    "<li>melaksanakan semua tahapan penyelenggaraan pemilu di provinsi sesuai ketentuan;</li>"
    "<li>mengoordinasikan dan mengendalikan tahapan penyelenggaraan oleh KPU kabupaten/kota;</li>"
    "<li>menerima daftar pemilih dari KPU kabupaten/kota dan menyampaikannya kepada KPU;</li>"
    "<li>memutakhirkan data pemilih berdasarkan data pemilu dan pemilihan terakhir;</li>"
    "<li>membuat berita acara dan sertifikat rekapitulasi hasil penghitungan suara di provinsi;</li>"
    "<li>menyosialisasikan penyelenggaraan pemilu kepada masyarakat provinsi;</li>"
    "<li>menyampaikan informasi kegiatan kepada masyarakat.</li>"
    "</ul>"
    "<h2>Wewenang</h2>"
    "<ul>"
    "<li>menetapkan jadwal di provinsi;</li>"
    "<li>menetapkan dan mengumumkan hasil rekapitulasi penghitungan suara pemilu anggota DPRD "
    "provinsi;</li>"
    "<li>menerbitkan keputusan KPU Provinsi untuk menetapkan hasil pemilu anggota DPRD provinsi;</li>"
    "<li>menjatuhkan sanksi administratif kepada anggota KPU kabupaten/kota yang terbukti melakukan "
    "tindakan yang mengganggu tahapan penyelenggaraan.</li>"
    "</ul>"
    "<h2>Kewajiban</h2>"
    "<ul>"
    "<li>melaksanakan semua tahapan pemilu dengan tepat waktu;</li>"
    "<li>memperlakukan peserta pemilu secara adil dan setara;</li>"
    "<li>menyampaikan semua informasi penyelenggaraan pemilu kepada masyarakat;</li>"
    "<li>mengelola, memelihara, dan merawat arsip/dokumen sesuai jadwal retensi.</li>"
    "</ul>"
)

ANGGOTA = [
    (
        "Dr. Handayani Wulandari, S.H., M.H.",
        "Ketua",
        "Koordinator Divisi Keuangan, Umum, Rumah Tangga, dan Logistik",
        "Pengajar hukum tata negara sebelum bergabung dengan KPU. Pernah menjadi anggota KPU Kota "
        "Semarang selama satu periode.",
    ),
    (
        "Bambang Setyo Nugroho, S.IP., M.Si.",
        "Anggota",
        "Divisi Teknis Penyelenggaraan",
        "Berpengalaman dua puluh tahun di bidang kepemiluan, mulai dari panitia pemilihan kecamatan.",
    ),
    (
        "Ratna Puspitasari, S.Kom., M.Kom.",
        "Anggota",
        "Divisi Perencanaan, Data, dan Informasi",
        "Memimpin pemutakhiran data pemilih berkelanjutan dan pengembangan layanan informasi daring.",
    ),
    (
        "Ahmad Fauzan Hakim, S.Sos.",
        "Anggota",
        "Divisi Sosialisasi, Pendidikan Pemilih, Partisipasi Masyarakat, dan SDM",
        "Aktif di gerakan literasi politik pemuda dan pendidikan pemilih di pesantren dan kampus.",
    ),
    (
        "Yohanes Prasetya Adi, S.H., M.H.",
        "Anggota",
        "Divisi Hukum dan Pengawasan",
        "Advokat dan pegiat bantuan hukum; menangani penyusunan produk hukum dan sengketa proses.",
    ),
]

STRUKTUR_TEXT = (
    "<ul>"
    "<li><b>Ketua dan Anggota KPU Provinsi Jawa Tengah</b>"
    "<ul><li><b>Sekretaris KPU Provinsi Jawa Tengah</b>"
    "<ul>"
    "<li>Bagian Keuangan, Umum, dan Logistik"
    "<ul><li>Subbagian Keuangan</li><li>Subbagian Umum dan Logistik</li></ul></li>"
    "<li>Bagian Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat"
    "<ul><li>Subbagian Teknis Penyelenggaraan Pemilu</li>"
    "<li>Subbagian Partisipasi dan Hubungan Masyarakat</li></ul></li>"
    "<li>Bagian Hukum dan Sumber Daya Manusia"
    "<ul><li>Subbagian Hukum</li><li>Subbagian Sumber Daya Manusia</li></ul></li>"
    "<li>Bagian Perencanaan, Data, dan Informasi"
    "<ul><li>Subbagian Perencanaan</li><li>Subbagian Data dan Informasi</li></ul></li>"
    "</ul></li></ul></li>"
    "</ul>"
)

STRUKTUR_DESKRIPSI = (
    "Bagan berbentuk pohon dengan kotak Ketua dan Anggota KPU Provinsi Jawa Tengah di puncak. "
    "Di bawahnya satu kotak Sekretaris KPU Provinsi Jawa Tengah, yang membawahi empat bagian sejajar: "
    "Bagian Keuangan, Umum, dan Logistik; Bagian Teknis Penyelenggaraan Pemilu, Partisipasi dan "
    "Hubungan Masyarakat; Bagian Hukum dan Sumber Daya Manusia; serta Bagian Perencanaan, Data, dan "
    "Informasi. Setiap bagian membawahi dua subbagian sebagaimana tercantum pada susunan organisasi."
)

CHART_BAGIAN = [
    ("Bagian Keuangan,", "Umum, dan Logistik"),
    ("Bagian Teknis,", "Parmas dan Humas"),
    ("Bagian Hukum", "dan SDM"),
    ("Bagian Perencanaan,", "Data, dan Informasi"),
]


def org_chart_image(title: str) -> Image:
    """A generated organisation chart (boxes and lines), stored as a Wagtail image."""
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    from PIL import Image as PILImage
    from PIL import ImageDraw

    width, height = 1200, 620
    picture = PILImage.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    red, ink = (139, 20, 20), (30, 30, 30)

    def box(cx: int, top: int, lines: tuple[str, ...], w: int = 260, fill=(246, 243, 241)):
        draw.rectangle([cx - w // 2, top, cx + w // 2, top + 80], fill=fill, outline=red, width=3)
        for i, line in enumerate(lines):
            draw.text((cx - w // 2 + 14, top + 18 + 22 * i), line, fill=ink)

    box(width // 2, 30, ("KETUA DAN ANGGOTA", "KPU PROVINSI JAWA TENGAH"), w=320)
    draw.line([(width // 2, 110), (width // 2, 180)], fill=red, width=3)
    box(width // 2, 180, ("SEKRETARIS", "KPU PROVINSI JAWA TENGAH"), w=320)
    draw.line([(width // 2, 260), (width // 2, 320)], fill=red, width=3)
    xs = [165, 455, 745, 1035]
    draw.line([(xs[0], 320), (xs[-1], 320)], fill=red, width=3)
    for x, lines in zip(xs, CHART_BAGIAN, strict=True):
        draw.line([(x, 320), (x, 380)], fill=red, width=3)
        box(x, 380, lines)
        draw.line([(x, 460), (x, 500)], fill=red, width=3)
        box(x, 500, ("2 subbagian",), w=200, fill=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    image = Image(title=title, file=ImageFile(buffer, name="bagan-struktur-organisasi.png"))
    image.save()
    return image


def load_profil(home) -> int:
    profil = get_or_create_index(
        home,
        ProfilPage,
        "Profil",
        "profil",
        intro="<p>Mengenal Komisi Pemilihan Umum Provinsi Jawa Tengah: visi dan misi, tugas dan "
        "fungsi, anggota, serta struktur organisasi.</p>",
    )
    return _load_profil_pages(profil) + _load_anggota(profil) + _load_struktur(profil)


def _load_profil_pages(profil) -> int:
    pages = [
        (
            "Sejarah Singkat",
            "sejarah",
            "Perjalanan KPU Provinsi Jawa Tengah sebagai penyelenggara pemilu.",
            SEJARAH,
        ),
        (
            "Visi dan Misi",
            "visi-dan-misi",
            "Arah dan tujuan KPU dalam menyelenggarakan pemilu yang jujur dan adil.",
            VISI_MISI,
        ),
        (
            "Tugas dan Fungsi",
            "tugas-dan-fungsi",
            "Tugas, wewenang, dan kewajiban KPU Provinsi menurut UU Nomor 7 Tahun 2017.",
            TUGAS_FUNGSI,
        ),
    ]
    created = 0
    for title, slug, intro, html in pages:
        page = StandardPage(title=title, slug=slug, intro=intro, body=[("paragraph", html)])
        created += add_published(profil, page)
    return created


def _load_anggota(profil) -> int:
    if profil.get_children().filter(slug="anggota").exists():
        return 0
    members = [
        AnggotaKomisioner(
            nama=nama,
            jabatan=jabatan,
            divisi=divisi,
            bio=bio,
            foto=demo_image(f"Foto anggota: {nama}", seed=n, width=600, height=750),
            foto_alt=f"Foto resmi {nama}, {jabatan} KPU Provinsi Jawa Tengah",
        )
        for n, (nama, jabatan, divisi, bio) in enumerate(ANGGOTA)
    ]
    page = AnggotaPage(
        title="Anggota",
        slug="anggota",
        intro="Ketua dan anggota KPU Provinsi Jawa Tengah periode 2023–2028 beserta divisinya.",
        anggota=members,
    )
    return add_published(profil, page)


def _load_struktur(profil) -> int:
    if profil.get_children().filter(slug="struktur-organisasi").exists():
        return 0
    page = StrukturOrganisasiPage(
        title="Struktur Organisasi",
        slug="struktur-organisasi",
        intro="Susunan organisasi Komisioner dan Sekretariat KPU Provinsi Jawa Tengah.",
        gambar=org_chart_image("Bagan struktur organisasi KPU Provinsi Jawa Tengah"),
        gambar_alt="Bagan struktur organisasi KPU Provinsi Jawa Tengah",
        gambar_deskripsi=STRUKTUR_DESKRIPSI,
        struktur=STRUKTUR_TEXT,
    )
    return add_published(profil, page)


# --- Kontak --------------------------------------------------------------------------------
def load_kontak(home) -> int:
    if home.get_children().filter(slug="kontak").exists():
        return 0
    page = KontakPage(
        title="Kontak",
        slug="kontak",
        show_in_menus=True,
        intro="Hubungi kami atau datang langsung ke kantor KPU Provinsi Jawa Tengah pada jam layanan.",
        peta=demo_image("Denah lokasi kantor KPU Provinsi Jawa Tengah", seed=4, width=1200, height=800),
        peta_alt=(
            "Denah lokasi: kantor KPU Provinsi Jawa Tengah di Jl. Veteran No. 1 A, Kota Semarang, "
            "dekat Simpang Lima dan Gedung Olahraga Jatidiri."
        ),
        body=[
            (
                "paragraph",
                "<h2>Layanan informasi publik</h2><p>Permohonan informasi publik dapat diajukan "
                f'<a href="{PERMOHONAN_URL}">secara daring melalui formulir permohonan</a>, langsung di meja '
                "layanan PPID, atau melalui surel. Lihat halaman PPID untuk tata caranya.</p>",
            )
        ],
    )
    return int(add_published(home, page))


# --- PPID ----------------------------------------------------------------------------------
#: the online service of the ppid app (its public URLs, mounted at /layanan-informasi/)
PERMOHONAN_URL = "/layanan-informasi/permohonan/"
STATUS_URL = "/layanan-informasi/status/"
KEBERATAN_URL = "/layanan-informasi/keberatan/"

UU_KIP = "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"
PERKI = "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik"
PKPU = (
    "Peraturan KPU Nomor 22 Tahun 2023 tentang Pengelolaan dan Pelayanan Informasi Publik di Lingkungan "
    "Komisi Pemilihan Umum, sebagaimana telah diubah dengan Peraturan KPU Nomor 11 Tahun 2024 dan "
    "Peraturan KPU Nomor 4 Tahun 2025"
)
DASAR_HUKUM_HTML = f"<h2>Dasar hukum</h2><ul><li>{UU_KIP};</li><li>{PERKI};</li><li>{PKPU}.</li></ul>"
LAYANAN_DARING_HTML = (
    "<h2>Layanan daring</h2><ul>"
    f'<li><a href="{PERMOHONAN_URL}">Formulir permohonan informasi</a>: isi secara daring dan lampirkan '
    "pindaian KTP (atau akta pendirian bagi badan hukum); nomor registrasi dan tanda bukti langsung "
    "tampil dan dikirim ke surel Anda.</li>"
    f'<li><a href="{STATUS_URL}">Status permohonan</a>: ikuti permohonan dengan nomor registrasi dan '
    "alamat surel yang Anda gunakan.</li>"
    f'<li><a href="{KEBERATAN_URL}">Formulir keberatan</a>: bila permohonan ditolak, tidak ditanggapi, '
    "atau tidak dijawab sebagaimana mestinya.</li>"
    '<li><a href="/layanan-informasi/statistik/">Statistik layanan informasi</a>: jumlah permohonan, '
    "waktu menjawab, dan keberatan setiap tahun.</li></ul>"
)

PPID_PAGES = [
    (
        "Profil PPID",
        "profil-ppid",
        "Pejabat Pengelola Informasi dan Dokumentasi KPU Provinsi Jawa Tengah dan tugasnya.",
        "<p>PPID KPU Provinsi Jawa Tengah bertanggung jawab menyimpan, mendokumentasikan, menyediakan, "
        f"dan melayani informasi publik sesuai {UU_KIP}, {PERKI}, dan {PKPU}.</p>"
        "<h2>Susunan PPID</h2><ul><li>Atasan PPID: Sekretaris KPU Provinsi Jawa Tengah</li>"
        "<li>PPID: Kepala Bagian Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat</li>"
        "<li>PPID Pelaksana: seluruh kepala bagian di lingkungan Sekretariat</li></ul>" + DASAR_HUKUM_HTML,
    ),
    (
        "Maklumat Pelayanan Informasi Publik",
        "maklumat-pelayanan",
        "Janji layanan informasi publik kami kepada masyarakat.",
        "<p>Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan informasi publik sesuai "
        f"standar layanan yang telah ditetapkan dalam {PERKI} dan {PKPU}, dan apabila tidak menepati janji "
        "ini, kami siap menerima sanksi sesuai ketentuan peraturan perundang-undangan yang berlaku.</p>",
    ),
    (
        "Tata Cara Permohonan Informasi",
        "tata-cara-permohonan",
        "Langkah mengajukan permohonan informasi publik secara langsung atau daring.",
        "<ol><li>Pemohon mengisi formulir permohonan, secara daring melalui "
        f'<a href="{PERMOHONAN_URL}">formulir permohonan informasi</a> atau di meja layanan PPID, dan '
        "melampirkan pindaian atau fotokopi KTP (bagi badan hukum: akta pendirian).</li>"
        "<li>Di meja layanan, petugas membantu mengisi formulir daring yang sama, sehingga setiap permohonan "
        "tercatat dalam satu register dan langsung mendapat nomor registrasi serta tanda bukti lewat "
        "surel.</li>"
        f'<li>Pemohon dapat mengikuti <a href="{STATUS_URL}">status permohonan</a> dengan nomor registrasi '
        "dan alamat surelnya.</li>"
        "<li>PPID menjawab paling lambat 10 hari kerja dan dapat memperpanjang satu kali paling lama 7 hari "
        "kerja dengan pemberitahuan tertulis (Pasal 22 Undang-Undang Nomor 14 Tahun 2008).</li>"
        "<li>Informasi diberikan dalam bentuk cetak atau elektronik sesuai permintaan, bersama "
        "pemberitahuan tertulis.</li></ol>" + DASAR_HUKUM_HTML,
    ),
    (
        "Tata Cara Pengajuan Keberatan",
        "tata-cara-keberatan",
        "Bila permohonan informasi ditolak atau tidak ditanggapi, pemohon dapat mengajukan keberatan.",
        "<ol><li>Keberatan diajukan kepada Atasan PPID paling lambat 30 hari kerja setelah alasan "
        f'keberatan ditemukan, melalui <a href="{KEBERATAN_URL}">formulir keberatan</a> atau di meja '
        "layanan PPID, dengan menyebut nomor registrasi permohonan.</li><li>Atasan PPID memberikan "
        "tanggapan tertulis paling lambat 30 hari kerja.</li><li>Bila tidak puas, pemohon dapat "
        "mengajukan sengketa ke Komisi Informasi Provinsi Jawa Tengah paling lambat 14 hari kerja setelah "
        "menerima tanggapan Atasan PPID.</li></ol>" + DASAR_HUKUM_HTML,
    ),
]

PPID_LINKS = [
    ("https://ppid.kpu.go.id/", "PPID KPU Republik Indonesia"),
    ("https://komisiinformasi.jatengprov.go.id/", "Komisi Informasi Provinsi Jawa Tengah"),
]

SATKER = "Kantor KPU Provinsi Jawa Tengah"
SEKRETARIS = "Sekretaris KPU Provinsi Jawa Tengah"
WEB = "Situs web, papan pengumuman"
K = KategoriInformasi

# (kategori, ringkasan, penguasa, penanggung jawab, waktu, bentuk, retensi, media, dokumen?)
DIP = [
    (K.BERKALA, "Profil KPU Provinsi Jawa Tengah (kedudukan, tugas, fungsi, struktur organisasi)",
     "Subbagian Umum dan Logistik", SEKRETARIS, f"Setiap tahun, {SATKER}", "cetak-elektronik",
     "Selama berlaku", "Situs web, buku profil", True),
    (K.BERKALA, "Laporan Keuangan (LRA, Neraca, dan Catatan atas Laporan Keuangan)",
     "Subbagian Keuangan", SEKRETARIS, f"Setiap semester, {SATKER}", "cetak-elektronik", "10 tahun",
     "Situs web, dokumen cetak", True),
    (K.BERKALA, "Rencana Kerja dan Anggaran (DIPA dan RKA-K/L)", "Subbagian Perencanaan", SEKRETARIS,
     f"Awal tahun anggaran, {SATKER}", "elektronik", "10 tahun", "Situs web", False),
    (K.BERKALA, "Laporan Akuntabilitas Kinerja Instansi Pemerintah (LAKIP)", "Subbagian Perencanaan",
     SEKRETARIS, f"Setiap tahun, {SATKER}", "cetak-elektronik", "10 tahun", "Situs web, buku", True),
    (K.BERKALA, "Laporan Layanan Informasi Publik", "PPID KPU Provinsi Jawa Tengah", "Atasan PPID",
     f"Setiap tahun, {SATKER}", "elektronik", "5 tahun", "Situs web", False),
    (K.BERKALA, "Tahapan, program, dan jadwal penyelenggaraan pemilihan",
     "Subbagian Teknis Penyelenggaraan Pemilu", "Ketua KPU Provinsi Jawa Tengah",
     f"Setiap penyelenggaraan pemilihan, {SATKER}", "cetak-elektronik", "Selama tahapan berlangsung",
     WEB, False),
    (K.SERTA_MERTA, "Informasi bencana di lokasi TPS dan pemindahan lokasi pemungutan suara",
     "Subbagian Teknis Penyelenggaraan Pemilu", "Ketua KPU Provinsi Jawa Tengah",
     "Saat kejadian, di lokasi TPS terdampak", "elektronik", "5 tahun",
     "Situs web, media sosial resmi, siaran pers", False),
    (K.SERTA_MERTA, "Pemungutan suara ulang dan penghitungan suara ulang",
     "Subbagian Teknis Penyelenggaraan Pemilu", "Ketua KPU Provinsi Jawa Tengah",
     "Saat diputuskan, KPU kabupaten/kota terkait", "cetak-elektronik", "5 tahun", WEB, False),
    (K.SERTA_MERTA, "Gangguan keamanan dan ketertiban yang menghambat tahapan pemilihan",
     "Subbagian Umum dan Logistik", SEKRETARIS, "Saat kejadian, lokasi terdampak", "elektronik",
     "5 tahun", "Situs web, media sosial resmi", False),
    (K.SERTA_MERTA, "Kerusakan atau kekurangan logistik pemilihan di kabupaten/kota",
     "Subbagian Umum dan Logistik", SEKRETARIS, "Saat ditemukan, gudang logistik KPU kabupaten/kota",
     "elektronik", "5 tahun", "Situs web, siaran pers", False),
    (K.SERTA_MERTA, "Perubahan jadwal tahapan pemilihan karena keadaan kahar",
     "Subbagian Teknis Penyelenggaraan Pemilu", "Ketua KPU Provinsi Jawa Tengah",
     f"Saat ditetapkan, {SATKER}", "cetak-elektronik", "Selama tahapan berlangsung", WEB, False),
    (K.SETIAP_SAAT, "Daftar Pemilih Tetap (rekapitulasi per kabupaten/kota)",
     "Subbagian Data dan Informasi", "Ketua KPU Provinsi Jawa Tengah",
     f"Setelah penetapan DPT, {SATKER}", "cetak-elektronik", "5 tahun", "Situs web, papan pengumuman",
     True),
    (K.SETIAP_SAAT, "Keputusan KPU Provinsi Jawa Tengah beserta pertimbangannya", "Subbagian Hukum",
     SEKRETARIS, f"Saat ditetapkan, {SATKER}", "cetak-elektronik", "Permanen", "Situs web (JDIH)",
     False),
    (K.SETIAP_SAAT, "Daftar calon tetap anggota DPRD Provinsi dan pasangan calon gubernur",
     "Subbagian Teknis Penyelenggaraan Pemilu", "Ketua KPU Provinsi Jawa Tengah",
     f"Setelah penetapan, {SATKER}", "cetak-elektronik", "5 tahun", WEB, False),
    (K.SETIAP_SAAT, "Hasil rekapitulasi penghitungan suara tingkat provinsi",
     "Subbagian Teknis Penyelenggaraan Pemilu", "Ketua KPU Provinsi Jawa Tengah",
     f"Setelah rapat pleno rekapitulasi, {SATKER}", "cetak-elektronik", "Permanen", WEB, True),
    (K.SETIAP_SAAT, "Daftar Informasi Publik dan daftar informasi yang dikecualikan",
     "PPID KPU Provinsi Jawa Tengah", "Atasan PPID", f"Setiap tahun, {SATKER}", "elektronik",
     "Selama berlaku", "Situs web", False),
    (K.SETIAP_SAAT, "Perjanjian kerja sama dengan pihak ketiga", "Subbagian Hukum", SEKRETARIS,
     f"Saat ditandatangani, {SATKER}", "cetak", "Selama berlaku ditambah 5 tahun",
     "Dokumen cetak di meja layanan PPID", False),
    (K.DIKECUALIKAN, "Data pribadi pemilih (NIK, nomor KK, tanggal lahir lengkap)",
     "Subbagian Data dan Informasi", "Ketua KPU Provinsi Jawa Tengah", f"Setiap pemutakhiran, {SATKER}",
     "elektronik", "Sesuai jadwal retensi arsip", "Basis data internal", False),
    (K.DIKECUALIKAN, "Dokumen pribadi calon (rekam medis hasil pemeriksaan kesehatan)",
     "Subbagian Teknis Penyelenggaraan Pemilu", "Ketua KPU Provinsi Jawa Tengah",
     f"Masa pencalonan, {SATKER}", "cetak", "Sesuai jadwal retensi arsip", "Arsip internal", False),
    (K.DIKECUALIKAN, "Rancangan keputusan yang masih dalam proses pembahasan", "Subbagian Hukum",
     SEKRETARIS, f"Selama pembahasan, {SATKER}", "cetak-elektronik", "Sampai ditetapkan",
     "Arsip internal", False),
    (K.DIKECUALIKAN, "Rencana pengamanan dan jalur distribusi logistik surat suara",
     "Subbagian Umum dan Logistik", SEKRETARIS, f"Masa distribusi logistik, {SATKER}", "cetak",
     "5 tahun", "Arsip internal", False),
    (K.DIKECUALIKAN, "Data kepegawaian pribadi (penilaian kinerja, riwayat kesehatan pegawai)",
     "Subbagian Sumber Daya Manusia", SEKRETARIS, f"Setiap tahun, {SATKER}", "cetak-elektronik",
     "Sesuai jadwal retensi arsip", "Arsip internal", False),
]  # fmt: skip

#: the unit (a group of the PPID Pelaksana of each bagian) reminded of the items its subbagian holds;
#: the PPID's own items have none, as the PPID is reminded of every item
BAGIAN_KEUANGAN = "PPID Pelaksana Bagian Keuangan, Umum, dan Logistik"
BAGIAN_TEKNIS = "PPID Pelaksana Bagian Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat"
BAGIAN_HUKUM = "PPID Pelaksana Bagian Hukum dan Sumber Daya Manusia"
BAGIAN_PERENCANAAN = "PPID Pelaksana Bagian Perencanaan, Data, dan Informasi"
UNITS = {
    "Subbagian Keuangan": BAGIAN_KEUANGAN,
    "Subbagian Umum dan Logistik": BAGIAN_KEUANGAN,
    "Subbagian Teknis Penyelenggaraan Pemilu": BAGIAN_TEKNIS,
    "Subbagian Hukum": BAGIAN_HUKUM,
    "Subbagian Sumber Daya Manusia": BAGIAN_HUKUM,
    "Subbagian Perencanaan": BAGIAN_PERENCANAAN,
    "Subbagian Data dan Informasi": BAGIAN_PERENCANAAN,
}

P = PeriodePembaruan
#: periodic items: (period, days since the last update); the financial report is past its semester, so
#: the overdue panel and its reminder have something to show
PERIODIC = {
    "Profil KPU Provinsi Jawa Tengah (kedudukan, tugas, fungsi, struktur organisasi)": (P.TAHUNAN, 95),
    "Laporan Keuangan (LRA, Neraca, dan Catatan atas Laporan Keuangan)": (P.SEMESTER, 230),
    "Rencana Kerja dan Anggaran (DIPA dan RKA-K/L)": (P.TAHUNAN, 60),
    "Laporan Akuntabilitas Kinerja Instansi Pemerintah (LAKIP)": (P.TAHUNAN, 150),
    "Laporan Layanan Informasi Publik": (P.TAHUNAN, 300),
    "Tahapan, program, dan jadwal penyelenggaraan pemilihan": (P.BULANAN, 12),
}

WITH_CONSENT = (
    "Tanpa batas waktu; dapat dibuka atas persetujuan tertulis yang bersangkutan (Pasal 18 ayat 2 huruf a "
    "Undang-Undang Nomor 14 Tahun 2008)."
)
#: excluded items: (legal basis, consequence test, period of exclusion)
EXCLUDED = {
    "Data pribadi pemilih (NIK, nomor KK, tanggal lahir lengkap)": (
        f"Pasal 17 huruf h {UU_KIP}; Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi.",
        "Membuka NIK, nomor KK, dan tanggal lahir lengkap pemilih memungkinkan pemalsuan identitas dan "
        "penipuan atas nama pemilih. Rekapitulasi daftar pemilih tanpa data pribadi tetap tersedia setiap "
        "saat, sehingga menutup data pribadi tidak mengurangi pengawasan publik atas daftar pemilih.",
        WITH_CONSENT,
    ),
    "Dokumen pribadi calon (rekam medis hasil pemeriksaan kesehatan)": (
        f"Pasal 17 huruf h angka 2 {UU_KIP} (riwayat, kondisi, dan perawatan kesehatan seseorang).",
        "Rekam medis mengungkap kondisi kesehatan pribadi calon. Publik tetap memperoleh kesimpulan "
        "memenuhi atau tidak memenuhi syarat kesehatan dari pengumuman hasil verifikasi pencalonan.",
        WITH_CONSENT,
    ),
    "Rancangan keputusan yang masih dalam proses pembahasan": (
        f"Pasal 17 huruf i {UU_KIP}.",
        "Rancangan yang belum ditetapkan dapat menyesatkan publik karena isinya masih berubah, dan "
        "membukanya dapat menghambat pembahasan yang bebas. Keputusan yang telah ditetapkan diumumkan "
        "beserta pertimbangannya.",
        "Sampai keputusan ditetapkan dan diumumkan.",
    ),
    "Rencana pengamanan dan jalur distribusi logistik surat suara": (
        f"Pasal 17 huruf c {UU_KIP}.",
        "Jalur, jadwal, dan titik pengamanan distribusi surat suara yang diketahui umum dapat dimanfaatkan "
        "untuk mencegat, merusak, atau mencuri logistik pemilihan dan membahayakan petugas.",
        "Sampai pemungutan dan penghitungan suara selesai di seluruh TPS.",
    ),
    "Data kepegawaian pribadi (penilaian kinerja, riwayat kesehatan pegawai)": (
        f"Pasal 17 huruf h angka 2 dan angka 4 {UU_KIP}.",
        "Penilaian kinerja dan riwayat kesehatan mengungkap rahasia pribadi pegawai tanpa menambah "
        "pengawasan atas kinerja lembaga, yang tersedia melalui laporan kinerja (LAKIP).",
        WITH_CONSENT,
    ),
}


def _unit(penguasa: str) -> Group | None:
    name = UNITS.get(penguasa)
    return Group.objects.get_or_create(name=name)[0] if name else None


def _entries() -> list[InformasiPublik]:
    today = timezone.localdate()
    entries = []
    for n, (kategori, ringkasan, penguasa, pj, waktu, bentuk, retensi, media, with_document) in enumerate(
        DIP
    ):
        dokumen = None
        if with_document:
            dokumen = demo_pdf(f"DIP: {ringkasan}", [f"{ringkasan}. Dokumen contoh untuk situs demo."])
        periode, days_ago = PERIODIC.get(ringkasan, ("", 20 + 9 * n))
        basis, test, exclusion_period = EXCLUDED.get(ringkasan, ("", "", ""))
        entries.append(
            InformasiPublik(
                kategori=kategori,
                ringkasan=ringkasan,
                penguasa=penguasa,
                penanggung_jawab=pj,
                waktu_tempat=waktu,
                bentuk=bentuk,
                retensi=retensi,
                jenis_media=media,
                dokumen=dokumen,
                unit_penanggung_jawab=_unit(penguasa),
                periode_pembaruan=periode,
                diperbarui_pada=today - dt.timedelta(days=days_ago),
                dasar_hukum_pengecualian=basis,
                uji_konsekuensi=test,
                jangka_waktu_pengecualian=exclusion_period,
            )
        )
    return entries


def load_ppid(home) -> int:
    created = 0
    ppid = get_or_create_index(
        home,
        PPIDPage,
        "PPID",
        "ppid",
        intro="<p>Pejabat Pengelola Informasi dan Dokumentasi (PPID) KPU Provinsi Jawa Tengah melayani "
        "permohonan informasi publik sesuai UU Nomor 14 Tahun 2008, Perki Nomor 1 Tahun 2021, dan PKPU "
        "Nomor 22 Tahun 2023 sebagaimana telah diubah dengan PKPU Nomor 11 Tahun 2024 dan PKPU Nomor 4 Tahun "
        "2025.</p>",
        body=[
            (
                "paragraph",
                "<p>Setiap orang berhak memperoleh informasi publik. Ajukan permohonan "
                f'<a href="{PERMOHONAN_URL}">secara daring melalui formulir permohonan</a>, di meja layanan '
                "PPID pada jam kerja (petugas membantu mengisi formulir yang sama); jawaban diberikan "
                "paling lambat 10 hari kerja. "
                f'Permohonan yang sudah diajukan dapat diikuti di halaman <a href="{STATUS_URL}">status '
                "permohonan</a> dengan nomor registrasi dan alamat surel Anda.</p>"
                + LAYANAN_DARING_HTML
                + DASAR_HUKUM_HTML,
            )
        ],
        tautan=[("tautan", {"page": None, "url": url, "label": label}) for url, label in PPID_LINKS],
    )
    for title, slug, intro, html in PPID_PAGES:
        page = StandardPage(title=title, slug=slug, intro=intro, body=[("paragraph", html)])
        created += add_published(ppid, page)
    if not ppid.get_children().filter(slug="daftar-informasi-publik").exists():
        page = DaftarInformasiPublikPage(
            title="Daftar Informasi Publik",
            slug="daftar-informasi-publik",
            intro="Daftar seluruh informasi publik yang dikuasai KPU Provinsi Jawa Tengah, menurut "
            "empat kategori UU Nomor 14 Tahun 2008.",
            keterangan="<p>Ditetapkan dengan Keputusan Sekretaris KPU Provinsi Jawa Tengah selaku Atasan "
            f"PPID berdasarkan {UU_KIP}, {PERKI}, dan {PKPU}, dan dimutakhirkan setiap tahun. Informasi "
            "berkala diperbarui sesuai periodenya; tanggal pembaruan terakhir tercantum pada setiap "
            "informasi. Informasi yang tidak tercantum dapat dimohonkan melalui "
            f'<a href="{PERMOHONAN_URL}">formulir permohonan informasi</a>.</p>',
            entri=_entries(),
        )
        created += add_published(ppid, page)
    return created


def load(home) -> int:
    return load_profil(home) + load_kontak(home) + load_ppid(home)
