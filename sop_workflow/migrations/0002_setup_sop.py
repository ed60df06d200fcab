from django.db import migrations


def forwards(apps, schema_editor):
    from sop_workflow.setup import setup_sop

    setup_sop(apps)


def backwards(apps, schema_editor):
    from sop_workflow.sop import CHAINS, ROLES

    apps.get_model("wagtailcore", "Workflow").objects.filter(
        name__in=[chain.workflow_name for chain in CHAINS.values()]
    ).delete()
    apps.get_model("sop_workflow", "SOPTask").objects.all().delete()
    apps.get_model("auth", "Group").objects.filter(name__in=[role.group_name for role in ROLES.values()]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sop_workflow", "0001_initial"),
        ("kpu_pages", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
