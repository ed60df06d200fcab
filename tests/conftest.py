import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from sop_workflow.sop import ROLES, Role

PASSWORD = "kata-sandi-uji-123"


def ensure_baseline() -> None:
    """Recreate what the data migrations made (home page, Wilayah, Pemilu, SOP groups and workflows,
    the PPID groups).

    Transactional tests (browser, concurrency) end by flushing every table, and pytest-django runs
    them after the others; the next transactional test then starts from this baseline again.
    """
    from importlib import import_module

    from django.apps import apps
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    from kpu_pages.models import HomePage

    if HomePage.objects.exists():
        return
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(
            instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page))
        )
    import_module("kpu_pages.migrations.0002_create_homepage").create_homepage(apps, None)
    import_module("kpu_pages.migrations.0004_load_wilayah").load(apps, None)
    import_module("kpu_pages.migrations.0011_load_pemilu").load(apps, None)
    import_module("sop_workflow.migrations.0002_setup_sop").forwards(apps, None)
    import_module("ppid.setup").setup_groups(apps)


DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.fixture(autouse=True)
def _migrated_baseline(request):
    """Every database test starts from what the data migrations made.

    A transactional test ends by flushing every table. Run serially, pytest-django puts those last;
    in several processes (``make test``) a later test in the same process may follow one, so the
    baseline is put back first. Costs one query when it is there.
    """
    if request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames):
        request.getfixturevalue("_django_db_helper")
        ensure_baseline()


@pytest.fixture
def home_page(db):
    from kpu_pages.models import HomePage

    ensure_baseline()
    return HomePage.objects.get()


@pytest.fixture
def sop_users(db):
    """One user per SOP role, plus a second author and a second Kabag HTH, keyed by Role / name."""
    ensure_baseline()
    User = get_user_model()
    users = {}
    for role, info in ROLES.items():
        user = User.objects.create_user(
            username=info.demo_username,
            password=PASSWORD,
            email=f"{info.demo_username}@kpu.test",
            first_name=info.demo_username.capitalize(),
        )
        user.groups.add(Group.objects.get(name=info.group_name))
        users[role] = user
    extra_kabag = User.objects.create_user(
        username="kabaghth2", password=PASSWORD, email="kabaghth2@kpu.test"
    )
    extra_kabag.groups.add(Group.objects.get(name=ROLES[Role.KABAG_HTH].group_name))
    users["kabaghth2"] = extra_kabag
    return users


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's ``admin_client``, signed in through the password and 2FA forms (not force_login)."""
    from tests.sop_workflow.admin_helpers import login

    return login(admin_user, password="password")  # pytest-django's admin_user password
