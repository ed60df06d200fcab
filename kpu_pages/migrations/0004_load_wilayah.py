from django.db import migrations

# Jawa Tengah and its 35 kabupaten/kota with their Kemendagri codes.
WILAYAH = [
    ("33", "Provinsi Jawa Tengah", "provinsi"),
    ("33.01", "Kabupaten Cilacap", "kabupaten"),
    ("33.02", "Kabupaten Banyumas", "kabupaten"),
    ("33.03", "Kabupaten Purbalingga", "kabupaten"),
    ("33.04", "Kabupaten Banjarnegara", "kabupaten"),
    ("33.05", "Kabupaten Kebumen", "kabupaten"),
    ("33.06", "Kabupaten Purworejo", "kabupaten"),
    ("33.07", "Kabupaten Wonosobo", "kabupaten"),
    ("33.08", "Kabupaten Magelang", "kabupaten"),
    ("33.09", "Kabupaten Boyolali", "kabupaten"),
    ("33.10", "Kabupaten Klaten", "kabupaten"),
    ("33.11", "Kabupaten Sukoharjo", "kabupaten"),
    ("33.12", "Kabupaten Wonogiri", "kabupaten"),
    ("33.13", "Kabupaten Karanganyar", "kabupaten"),
    ("33.14", "Kabupaten Sragen", "kabupaten"),
    ("33.15", "Kabupaten Grobogan", "kabupaten"),
    ("33.16", "Kabupaten Blora", "kabupaten"),
    ("33.17", "Kabupaten Rembang", "kabupaten"),
    ("33.18", "Kabupaten Pati", "kabupaten"),
    ("33.19", "Kabupaten Kudus", "kabupaten"),
    ("33.20", "Kabupaten Jepara", "kabupaten"),
    ("33.21", "Kabupaten Demak", "kabupaten"),
    ("33.22", "Kabupaten Semarang", "kabupaten"),
    ("33.23", "Kabupaten Temanggung", "kabupaten"),
    ("33.24", "Kabupaten Kendal", "kabupaten"),
    ("33.25", "Kabupaten Batang", "kabupaten"),
    ("33.26", "Kabupaten Pekalongan", "kabupaten"),
    ("33.27", "Kabupaten Pemalang", "kabupaten"),
    ("33.28", "Kabupaten Tegal", "kabupaten"),
    ("33.29", "Kabupaten Brebes", "kabupaten"),
    ("33.71", "Kota Magelang", "kota"),
    ("33.72", "Kota Surakarta", "kota"),
    ("33.73", "Kota Salatiga", "kota"),
    ("33.74", "Kota Semarang", "kota"),
    ("33.75", "Kota Pekalongan", "kota"),
    ("33.76", "Kota Tegal", "kota"),
]


def load(apps, schema_editor):
    Wilayah = apps.get_model("kpu_pages", "Wilayah")
    for kode, nama, jenis in WILAYAH:
        Wilayah.objects.update_or_create(kode=kode, defaults={"nama": nama, "jenis": jenis})


def unload(apps, schema_editor):
    Wilayah = apps.get_model("kpu_pages", "Wilayah")
    Wilayah.objects.filter(kode__in=[kode for kode, _, _ in WILAYAH]).delete()


class Migration(migrations.Migration):
    dependencies = [("kpu_pages", "0003_content_model")]

    operations = [migrations.RunPython(load, unload)]
