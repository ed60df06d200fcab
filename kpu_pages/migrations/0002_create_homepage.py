from django.db import migrations

HOME_TITLE = "KPU Provinsi Jawa Tengah"


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("kpu_pages.HomePage")

    # Replace the placeholder page that wagtailcore.0002_initial_data creates.
    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    if HomePage.objects.exists():
        return
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="kpu_pages")
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)
    existing_children = Page.objects.filter(depth=2).count()
    homepage = HomePage.objects.create(
        title=HOME_TITLE,
        draft_title=HOME_TITLE,
        slug="beranda",
        content_type=home_type,
        path=f"{root.path}{existing_children + 1:04d}",
        depth=2,
        numchild=0,
        url_path="/beranda/",
        locale=locale,
        live=True,
    )
    root.numchild = existing_children + 1
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost", port=80, site_name=HOME_TITLE, root_page=homepage, is_default_site=True
    )


def remove_homepage(apps, schema_editor):
    HomePage = apps.get_model("kpu_pages.HomePage")
    HomePage.objects.filter(depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("kpu_pages", "0001_initial")]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
