"""The routing hook ``SitePage`` declares: the first function that answers decides, None passes on."""

import pytest

from wagtail import hooks
from wagtail.models import PagePermissionTester, Workflow

from kpu_pages.models.base import PERMISSION_TESTER_HOOK, WORKFLOW_HOOK

pytestmark = pytest.mark.django_db


def test_the_first_workflow_that_answers_decides(home_page):
    other = Workflow.objects.create(name="Alur lain")
    with hooks.register_temporarily(WORKFLOW_HOOK, lambda page: other, order=-1):
        assert home_page.get_workflow() == other


def test_a_workflow_hook_answering_none_passes_on(home_page):
    with hooks.register_temporarily(WORKFLOW_HOOK, lambda page: None, order=-1):
        assert home_page.get_workflow().name == "SOP Lengkap"


def test_the_first_permission_tester_that_answers_decides(home_page, django_user_model):
    user = django_user_model.objects.create_user("penguji")

    class Tester(PagePermissionTester):
        pass

    with hooks.register_temporarily(PERMISSION_TESTER_HOOK, lambda page, u: Tester(u, page), order=-1):
        assert type(home_page.permissions_for_user(user)) is Tester
    with hooks.register_temporarily(PERMISSION_TESTER_HOOK, lambda page, u: None, order=-1):
        assert type(home_page.permissions_for_user(user)) is not Tester
