"""The short chain end to end, correcting before approving, and time standards that stay with their step."""

import io

import pytest

from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from wagtail.models import Page

from sop_workflow.models import SOPTask, SOPTaskState
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, current_step, edit, login, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_berita(home_page, sop_users):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(
        parent=index, title="Konsep berita rapat pleno", owner=sop_users[Role.PENGAMPU]
    )
    page.unpublish()
    return page


def test_short_chain_end_to_end_through_the_admin(draft_berita, sop_users):
    page = draft_berita
    submit(login(sop_users[Role.PENGAMPU]), page)
    order = []
    for role in (Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH, Role.WEB_ADMIN):
        order.append(current_step(page))
        assert not Page.objects.get(pk=page.pk).live
        assert Client().get(page.url).status_code == 404
        assert act(login(sop_users[role]), page, "approve").status_code == 302
    assert order == ["terima", "validasi", "tekmas", "kabag", "unggah"]
    assert Page.objects.get(pk=page.pk).live
    assert Client().get(page.url).status_code == 200


def test_approver_corrects_the_content_and_approves_in_one_go(draft_berita, sop_users):
    page = draft_berita
    submit(login(sop_users[Role.PENGAMPU]), page)
    act(login(sop_users[Role.PENGELOLA]), page, "approve")
    assert current_step(page) == "validasi"
    webadmin = login(sop_users[Role.WEB_ADMIN])
    html = webadmin.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'data-workflow-action-name="approve"' in html  # the editor offers the step's actions
    response = edit(
        webadmin,
        page,
        "action-workflow-action",
        **{"workflow-action-name": "approve", "lead": "Teras berita yang sudah dikoreksi Web Admin."},
    )
    assert response.status_code == 302
    assert current_step(page) == "tekmas"
    latest = Page.objects.get(pk=page.pk).get_latest_revision()
    assert latest.user == sop_users[Role.WEB_ADMIN]
    assert latest.as_object().lead == "Teras berita yang sudah dikoreksi Web Admin."


def test_an_approver_cannot_edit_outside_their_step(draft_berita, sop_users):
    page = draft_berita
    submit(login(sop_users[Role.PENGAMPU]), page)
    response = login(sop_users[Role.KABAG_HTH]).get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code in (302, 403)


def test_a_revised_standard_judges_only_steps_started_after_the_revision(draft_berita, sop_users):
    page = draft_berita
    submit(login(sop_users[Role.PENGAMPU]), page)
    act(login(sop_users[Role.PENGELOLA]), page, "approve")  # "validasi" starts under the 5-minute standard
    SOPTask.objects.filter(step_key__in=["validasi", "tekmas"]).update(standard_minutes=20)
    act(login(sop_users[Role.WEB_ADMIN]), page, "approve")  # "tekmas" starts under the revised 20 minutes
    states = {
        s.task.specific.step_key: s.standard_minutes
        for s in SOPTaskState.objects.filter(workflow_state__object_id=str(page.pk))
    }
    assert states == {"terima": 5, "validasi": 5, "tekmas": 20}


def test_time_standard_is_editable_in_the_workflows_admin(db):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("super", "s@kpu.test", "kata-sandi-uji-123")
    client = login(admin)
    task = SOPTask.objects.get(step_key="kabag")
    url = reverse("wagtailadmin_workflows:edit_task", args=[task.pk])
    html = client.get(url).content.decode()
    assert 'name="standard_minutes"' in html
    response = client.post(
        url, {"name": task.name, "groups": [g.pk for g in task.groups.all()], "standard_minutes": 45}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SOPTask.objects.get(pk=task.pk).standard_minutes == 45
    assert SOPTask.objects.get(pk=task.pk).step_key == "kabag"


def test_demo_content_is_refused_under_production_settings(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError, match="pengaturan produksi"):
        call_command("load_demo_content", stdout=io.StringIO())


def test_demo_creates_one_account_per_role_with_the_demo_password(home_page, monkeypatch, settings, tmp_path):
    from django.contrib.auth import get_user_model

    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DEMO_PASSWORD", "sandi-demo-kpu-2026")
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert "sandi-demo-kpu-2026" in out.getvalue()
    for username, group in [
        ("pengampu", "Pengampu Konsep (Tim Pelaksana Kegiatan)"),
        ("pengelola", "Pengelola Website"),
        ("webadmin", "Web Admin"),
        ("tekmas", "Sub Koordinator Subbag Tekmas"),
        ("kabaghth", "Kabag HTH"),
        ("sekretaris", "Sekretaris"),
        ("komisioner", "Komisioner KPU Jateng Divisi Sosdiklih dan Parmas"),
    ]:
        user = get_user_model().objects.get(username=username)
        assert user.check_password("sandi-demo-kpu-2026")
        assert list(user.groups.values_list("name", flat=True)) == [group]


def test_no_public_content_api_is_exposed(client, home_page):
    assert client.get("/api/v2/pages/").status_code == 404


def test_who_holds_a_step_is_read_only_in_the_workflows_admin(db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    admin = get_user_model().objects.create_superuser("super", "s@kpu.test", "kata-sandi-uji-123")
    client = login(admin)
    task = SOPTask.objects.get(step_key="kabag")
    other = Group.objects.get(name="Pengelola Website")
    url = reverse("wagtailadmin_workflows:edit_task", args=[task.pk])
    import re

    inputs = re.findall(r'<input[^>]*name="groups"[^>]*>', client.get(url).content.decode())
    assert inputs and all(" disabled" in tag for tag in inputs)
    client.post(url, {"name": task.name, "groups": [other.pk], "standard_minutes": task.standard_minutes})
    assert list(SOPTask.objects.get(pk=task.pk).groups.values_list("name", flat=True)) == ["Kabag HTH"]


def test_setup_sop_reports_a_changed_step_holder_instead_of_resetting_it(db):
    from io import StringIO

    from django.contrib.auth.models import Group
    from django.core.management import call_command

    task = SOPTask.objects.get(step_key="kabag")
    task.groups.set([Group.objects.get(name="Pengelola Website")])
    out = StringIO()
    call_command("setup_sop", stdout=out)
    assert "berbeda: penanggung jawab 'Kabag HTH: koreksi & persetujuan'" in out.getvalue()
    assert list(task.groups.values_list("name", flat=True)) == ["Pengelola Website"]
    call_command("setup_sop", "--perbarui-penanggung-jawab", stdout=StringIO())
    assert list(task.groups.values_list("name", flat=True)) == ["Kabag HTH"]
