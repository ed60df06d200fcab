"""The DIP kept current: each row's responsible unit, update period and last update, and for excluded
information its legal basis, consequence test and exclusion period.

Existing rows get values that keep them valid (``InformasiPublik.clean``): a periodic row is updated
every six months, the longest UU 14/2008 Pasal 9 ayat 4 allows, and counts as last updated on the day
its page was last published. Excluded rows keep their new fields empty until an edit fills them.
Rows restored from older revisions show these fields empty in the editor, to be filled on the next edit.
"""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models

WIB = dt.timezone(dt.timedelta(hours=7))
DEFAULT_PERIOD = "semester"


def fill_existing_rows(apps, schema_editor):
    InformasiPublik = apps.get_model("kpu_pages", "InformasiPublik")
    today = dt.datetime.now(WIB).date()
    for row in InformasiPublik.objects.select_related("page").filter(kategori="berkala"):
        published = row.page.last_published_at or row.page.first_published_at
        row.periode_pembaruan = row.periode_pembaruan or DEFAULT_PERIOD
        row.diperbarui_pada = row.diperbarui_pada or (published.astimezone(WIB).date() if published else today)
        row.save(update_fields=["periode_pembaruan", "diperbarui_pada"])
    # Excluded rows keep their new fields empty (the public page shows a dash): legal text nobody
    # approved must not reach the public; the next edit asks for it and goes through the SOP chain.


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('kpu_pages', '0012_listing_sitemap_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='informasipublik',
            name='dasar_hukum_pengecualian',
            field=models.TextField(blank=True, help_text='Wajib untuk informasi yang dikecualikan. Contoh: Pasal 17 huruf h Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik.', max_length=1000, verbose_name='dasar hukum pengecualian'),
        ),
        migrations.AddField(
            model_name='informasipublik',
            name='diperbarui_pada',
            field=models.DateField(blank=True, help_text='Tanggal isi informasi ini terakhir diperbarui; tampil di DIP. Wajib untuk informasi berkala: ubah setiap kali informasinya diperbarui.', null=True, verbose_name='terakhir diperbarui'),
        ),
        migrations.AddField(
            model_name='informasipublik',
            name='jangka_waktu_pengecualian',
            field=models.CharField(blank=True, help_text='Wajib untuk informasi yang dikecualikan. Contoh: 5 tahun sejak ditetapkan.', max_length=250, verbose_name='jangka waktu pengecualian'),
        ),
        migrations.AddField(
            model_name='informasipublik',
            name='periode_pembaruan',
            field=models.CharField(blank=True, choices=[('bulanan', 'Bulanan'), ('triwulan', 'Triwulan (tiga bulan)'), ('semester', 'Semester (enam bulan)'), ('tahunan', 'Tahunan')], help_text='Wajib untuk informasi berkala: seberapa sering informasi ini harus diperbarui.', max_length=20, verbose_name='periode pembaruan'),
        ),
        migrations.AddField(
            model_name='informasipublik',
            name='uji_konsekuensi',
            field=models.TextField(blank=True, help_text='Wajib untuk informasi yang dikecualikan: akibat yang timbul bila informasi dibuka dan mengapa menutupnya melindungi kepentingan yang lebih besar (Pasal 19).', max_length=2000, verbose_name='uji konsekuensi'),
        ),
        migrations.AddField(
            model_name='informasipublik',
            name='unit_penanggung_jawab',
            field=models.ForeignKey(blank=True, help_text='Grup pengguna yang diingatkan bila informasi berkala ini terlambat diperbarui. PPID selalu ikut diingatkan.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='auth.group', verbose_name='unit penanggung jawab pemutakhiran'),
        ),
        migrations.RunPython(fill_existing_rows, migrations.RunPython.noop),
    ]
