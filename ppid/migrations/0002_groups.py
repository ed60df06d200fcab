from django.db import migrations

from ppid.setup import setup_groups


def forwards(apps, schema_editor):
    setup_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("ppid", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
