import io

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_ensure_admin_creates_a_superuser_with_the_given_password(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("ADMIN_PASSWORD", "rahasia-panjang-123")
    output = run("ensure_admin")
    assert "Username: admin" in output
    assert "rahasia-panjang-123" in output
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("rahasia-panjang-123")


def test_ensure_admin_generates_and_prints_a_password_and_keeps_it_on_second_run(
    settings, tmp_path, monkeypatch
):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    first = run("ensure_admin")
    password = first.split("Password: ")[1].strip()
    assert len(password) >= 12
    second = run("ensure_admin")
    assert "sudah ada" in second
    assert password in second
    assert get_user_model().objects.get(username="admin").check_password(password)
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_load_demo_content_twice_adds_nothing_the_second_time(home_page):
    from wagtail.models import Page

    run("load_demo_content")
    count = Page.objects.count()
    paths = dict(Page.objects.values_list("pk", "path"))
    run("load_demo_content")
    assert Page.objects.count() == count
    # nothing was moved either: a move rewrites the path of every page under the section
    assert dict(Page.objects.values_list("pk", "path")) == paths
    from kpu_pages.demo import SECTION_ORDER

    sections = [page.slug for page in Page.objects.get(depth=2).get_children() if page.slug in SECTION_ORDER]
    assert sections == SECTION_ORDER  # in the menu's order, after either run
    menu = {page.slug for page in Page.objects.get(depth=2).get_children().in_menu()}
    assert set(SECTION_ORDER) <= menu  # Kontak included: a phone's reader finds it in the header menu
