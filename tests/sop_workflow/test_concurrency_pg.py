"""On PostgreSQL: two approvers approving the same step at the same moment make one transition."""

import threading

import pytest

from django.conf import settings
from django.db import connection

from wagtail.models import Page, TaskState

from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import act, current_step, login, submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.IS_POSTGRESQL, reason="row locking is tested on PostgreSQL (CI runs it there)"
    ),
]


def test_two_approvers_at_the_same_moment_give_one_transition(home_page, sop_users):
    index = factories.ArtikelIndexPageFactory(parent=home_page)
    page = factories.ArtikelPageFactory(parent=index, owner=sop_users[Role.PENGAMPU])
    page.unpublish()
    submit(login(sop_users[Role.PENGAMPU]), page)
    for role in (Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS):
        act(login(sop_users[role]), page, "approve")
    assert current_step(page) == "kabag"

    clients = [login(sop_users[Role.KABAG_HTH]), login(sop_users["kabaghth2"])]
    barrier = threading.Barrier(2)
    results = []

    def approve(client):
        try:
            barrier.wait(timeout=10)
            results.append(act(client, page, "approve", comment="setuju").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == 2
    states = TaskState.objects.filter(workflow_state__object_id=str(page.pk))
    kabag = [s for s in states if s.task.specific.step_key == "kabag"]
    sekretaris = [s for s in states if s.task.specific.step_key == "sekretaris"]
    assert [s.status for s in kabag] == ["approved"]
    assert len(sekretaris) == 1, "exactly one next task"
    assert current_step(Page.objects.get(pk=page.pk)) == "sekretaris"
