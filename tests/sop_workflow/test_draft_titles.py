"""A title the public has not seen is read only by its author, the reviewers it has reached, and
superusers: not in the page chooser, the explorer (and the admin's page search), site history or the
admin API, whoever else has admin access."""

from __future__ import annotations

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from sop_workflow.sop import ROLES, Role
from tests import factories
from tests.conftest import PASSWORD
from tests.sop_workflow.admin_helpers import act, login, submit

pytestmark = pytest.mark.django_db

SECRET = "Hasil Seleksi PPK Kecamatan Tembalang"


@pytest.fixture
def index(home_page):
    return factories.BeritaIndexPageFactory(parent=home_page, title="Berita", slug="berita")


@pytest.fixture
def embargoed(index, sop_users):
    """A concept waiting at the first step (Pengelola Website)."""
    page = factories.BeritaPageFactory(parent=index, title=SECRET, owner=sop_users[Role.PENGAMPU])
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    assert submit(login(sop_users[Role.PENGAMPU]), page).status_code == 302
    return page


@pytest.fixture
def others(sop_users):
    """A second author of the same section, and an account that may only open the admin."""
    User = get_user_model()
    author = User.objects.create_user("pengampu2", "pengampu2@kpu.test", PASSWORD)
    author.groups.add(Group.objects.get(name=ROLES[Role.PENGAMPU].group_name))
    viewer = User.objects.create_user("staf", "staf@kpu.test", PASSWORD)
    viewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return {"second author": author, "admin access only": viewer}


def screens(index, page) -> dict[str, str]:
    return {
        "page chooser": reverse("wagtailadmin_choose_page_child", args=[index.pk]),
        "page chooser search": reverse("wagtailadmin_choose_page_search") + "?q=Seleksi",
        "explorer": reverse("wagtailadmin_explore", args=[index.pk]),
        "admin page search": reverse("wagtailadmin_pages:search") + "?q=Seleksi",
        "site history": "/admin/reports/site-history/results/",
        "admin API search": "/admin/api/main/pages/?search=Seleksi",
        "admin API listing": f"/admin/api/main/pages/?child_of={index.pk}&for_explorer=1",
        "admin API page": f"/admin/api/main/pages/{page.pk}/",
    }


def where_seen(client, index, page) -> set[str]:
    seen = set()
    for where, url in screens(index, page).items():
        response = client.get(url)
        assert response.status_code < 500, (where, response.status_code)
        if SECRET in response.content.decode("utf-8", "replace"):
            seen.add(where)
    return seen


def test_nobody_outside_the_chain_reads_an_embargoed_title(index, embargoed, sop_users, others):
    outsiders = {
        **others,
        "web admin (step not reached)": sop_users[Role.WEB_ADMIN],
        "tekmas (step not reached)": sop_users[Role.TEKMAS],
        "komisioner": sop_users[Role.KOMISIONER],
    }
    for who, user in outsiders.items():
        assert where_seen(login(user), index, embargoed) == set(), who


def test_the_author_and_the_reviewer_it_reached_read_it(index, embargoed, sop_users, admin_client):
    author = where_seen(login(sop_users[Role.PENGAMPU]), index, embargoed)
    assert {"page chooser", "explorer", "admin page search", "admin API search", "site history"} <= author
    # Reviewers hold no page permission: the chooser is where a title reaches them outside the dashboard.
    assert "page chooser" in where_seen(login(sop_users[Role.PENGELOLA]), index, embargoed)
    assert "explorer" in where_seen(admin_client, index, embargoed)

    # Once approved at "terima", it has reached the web admin's step; Pengelola judged it and still may.
    act(login(sop_users[Role.PENGELOLA]), embargoed, "approve")
    assert "page chooser" in where_seen(login(sop_users[Role.WEB_ADMIN]), index, embargoed)
    assert "page chooser" in where_seen(login(sop_users[Role.PENGELOLA]), index, embargoed)
    assert where_seen(login(sop_users[Role.TEKMAS]), index, embargoed) == set()


def test_a_live_pages_new_title_in_review_stays_with_the_chain(index, sop_users, others):
    page = factories.BeritaPageFactory(
        parent=index, title="Jadwal Seleksi PPK", owner=sop_users[Role.PENGAMPU]
    )
    author = login(sop_users[Role.PENGAMPU])
    assert submit(author, page, title=SECRET).status_code == 302
    outsider = login(others["second author"])
    assert where_seen(outsider, index, page) == set()
    # While its new title is in review the page is left out of the admin's lists for people outside
    # the chain (its title there would be the new one); the public still reads the published page.
    assert "Jadwal Seleksi PPK" in Client().get(page.url).content.decode()
    assert "explorer" in where_seen(login(sop_users[Role.PENGAMPU]), index, page)
