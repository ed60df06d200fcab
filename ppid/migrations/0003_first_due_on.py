from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ppid", "0002_groups")]

    operations = [
        migrations.AddField(
            model_name="informationrequest",
            name="first_due_on",
            field=models.DateField(blank=True, null=True, verbose_name="batas waktu semula"),
        ),
    ]
