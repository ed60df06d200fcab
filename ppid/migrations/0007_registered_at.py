"""When the office registered a request: as received for every request before the desk could backdate."""

import django.utils.timezone
from django.db import migrations, models


def registered_when_received(apps, schema_editor):
    InformationRequest = apps.get_model("ppid", "InformationRequest")
    InformationRequest.objects.update(registered_at=models.F("received_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("ppid", "0006_followup_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="informationrequest",
            name="registered_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="dicatat pada"
            ),
        ),
        migrations.RunPython(registered_when_received, migrations.RunPython.noop),
    ]
