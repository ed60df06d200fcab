"""The elections an editor links content to (Referensi > Pemilu), so the Pemilu field is never empty.

Keyed by slug: an election already there (same slug) is left as it is, and running this again adds
nothing. Reversing removes these entries; links from pages to them go with them. Editors add
later elections (and the voting date of Pemilu 2029 once it is set) in the admin.
"""

import datetime as dt

from django.db import migrations

# slug, nama, jenis, tahun, tanggal pemungutan suara
PEMILU = [
    (
        "pemilu-2024",
        "Pemilu 2024 (Presiden dan Wakil Presiden, DPR, DPD, DPRD)",
        "pemilu",
        2024,
        dt.date(2024, 2, 14),
    ),
    (
        "pilgub-jateng-2024",
        "Pemilihan Gubernur dan Wakil Gubernur Jawa Tengah 2024",
        "pilgub",
        2024,
        dt.date(2024, 11, 27),
    ),
    (
        "pilkada-kabupaten-kota-jateng-2024",
        "Pemilihan Bupati dan Wali Kota 2024 (35 kabupaten/kota di Jawa Tengah)",
        "pilkada",
        2024,
        dt.date(2024, 11, 27),
    ),
    (
        "pemilu-2029",
        "Pemilu 2029 (Presiden dan Wakil Presiden, DPR, DPD, DPRD)",
        "pemilu",
        2029,
        None,
    ),
]


def load(apps, schema_editor):
    Pemilu = apps.get_model("kpu_pages", "Pemilu")
    for slug, nama, jenis, tahun, tanggal in PEMILU:
        Pemilu.objects.get_or_create(
            slug=slug, defaults={"nama": nama, "jenis": jenis, "tahun": tahun, "tanggal_pemungutan": tanggal}
        )


def unload(apps, schema_editor):
    Pemilu = apps.get_model("kpu_pages", "Pemilu")
    Pemilu.objects.filter(slug__in=[row[0] for row in PEMILU]).delete()


class Migration(migrations.Migration):
    dependencies = [("kpu_pages", "0010_regulasi_teks_pencarian")]

    operations = [migrations.RunPython(load, unload)]
