"""Each content kind takes its chain wherever the page sits; other pages take the long chain."""

import io

import pytest

from django.core.management import call_command

from wagtail.models import Workflow, WorkflowPage

from kpu_pages.kinds import KINDS
from kpu_pages.models.base import SitePage
from sop_workflow.permissions import SOPPagePermissionTester
from sop_workflow.sop import CHAINS, chain_for_kind
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_kind_model_is_routed_by_kind(django_user_model):
    """Through the routing hook ``kpu_pages`` declares and ``sop_workflow`` fills."""
    user = django_user_model.objects.create_user("penguji")
    for kind in KINDS.values():
        assert kind.model is not None, kind.key
        assert issubclass(kind.model, SitePage), kind.model
        assert isinstance(kind.model().permissions_for_user(user), SOPPagePermissionTester), kind.model


def test_berita_takes_the_short_chain_even_under_a_section_assigned_the_long_one(home_page):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    WorkflowPage.objects.update_or_create(
        page=index, defaults={"workflow": Workflow.objects.get(name="SOP Lengkap")}
    )
    page = factories.BeritaPageFactory(parent=index)
    assert page.get_workflow().name == "SOP Ringkas"


def test_artikel_takes_the_long_chain_even_under_a_section_assigned_the_short_one(home_page):
    index = factories.ArtikelIndexPageFactory(parent=home_page)
    WorkflowPage.objects.update_or_create(
        page=index, defaults={"workflow": Workflow.objects.get(name="SOP Ringkas")}
    )
    page = factories.ArtikelPageFactory(parent=index)
    assert page.get_workflow().name == "SOP Lengkap"


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_resolves_to_its_chain(kind):
    model = KINDS[kind].model
    assert model().get_workflow().name == CHAINS[chain_for_kind(kind)].workflow_name


def test_pages_the_sop_does_not_name_take_the_long_chain(home_page):
    assert home_page.get_workflow().name == "SOP Lengkap"
    kontak = factories.KontakPageFactory(parent=home_page)
    assert kontak.get_workflow().name == "SOP Lengkap"


def test_setup_sop_assigns_sections_visibly_and_is_idempotent(home_page):
    factories.BeritaIndexPageFactory(parent=home_page)
    factories.ArtikelIndexPageFactory(parent=home_page)
    out = io.StringIO()
    call_command("setup_sop", stdout=out)
    assigned = {
        wp.page.title: wp.workflow.name for wp in WorkflowPage.objects.select_related("page", "workflow")
    }
    assert assigned["Berita"] == "SOP Ringkas"
    assert assigned["Artikel"] == "SOP Lengkap"
    again = io.StringIO()
    call_command("setup_sop", stdout=again)
    assert again.getvalue().strip() == "SOP sudah sesuai; tidak ada perubahan."


def test_setup_sop_reports_an_edited_standard_and_changes_it_only_when_asked(db):
    from sop_workflow.models import SOPTask

    task = SOPTask.objects.get(step_key="tekmas")
    task.standard_minutes = 45
    task.save()
    out = io.StringIO()
    call_command("setup_sop", stdout=out)
    assert "45 menit di admin, 30 menit di SOP" in out.getvalue()
    assert SOPTask.objects.get(step_key="tekmas").standard_minutes == 45
    call_command("setup_sop", "--perbarui-mutu-baku", stdout=io.StringIO())
    assert SOPTask.objects.get(step_key="tekmas").standard_minutes == 30


def test_every_role_can_open_the_image_and_document_screens(sop_users):
    from tests.sop_workflow.admin_helpers import login

    for role, user in sop_users.items():
        client = login(user)
        for url in (
            "/admin/images/",
            "/admin/images/multiple/add/",
            "/admin/documents/",
            "/admin/images/chooser/",
        ):
            response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
