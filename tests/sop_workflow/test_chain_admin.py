"""The SOP walked through the admin views, each role logged in as itself."""

import pytest

from sop_workflow.models import SOPTaskState
from sop_workflow.sop import Chain, Role, chain_steps
from tests import factories
from tests.sop_workflow.admin_helpers import act, assert_refused, current_step, login, submit

pytestmark = pytest.mark.django_db

ROLE_ORDER_LONG = [step.role for step in chain_steps(Chain.LONG)]


@pytest.fixture
def draft_artikel(home_page, sop_users):
    index = factories.ArtikelIndexPageFactory(parent=home_page)
    page = factories.ArtikelPageFactory(
        parent=index, title="Konsep artikel pemilih pemula", owner=sop_users[Role.PENGAMPU]
    )
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    return page


def test_long_chain_end_to_end_publishes_only_after_the_last_step(client, draft_artikel, sop_users):
    page = draft_artikel
    author = login(sop_users[Role.PENGAMPU])
    response = submit(author, page)
    assert response.status_code == 302
    assert current_step(page) == "terima"
    assert client.get(page.url).status_code == 404

    expected = ["terima", "validasi", "tekmas", "kabag", "sekretaris", "komisioner", "unggah"]
    for position, (role, key) in enumerate(zip(ROLE_ORDER_LONG, expected, strict=True)):
        assert current_step(page) == key
        page.refresh_from_db()
        assert not page.live, f"live before the last step (at {key})"
        response = act(login(sop_users[role]), page, "approve", comment=f"oke {position}")
        assert response.status_code == 302, (key, response.status_code)

    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200
    states = SOPTaskState.objects.filter(workflow_state__object_id=str(page.pk)).order_by("started_at", "pk")
    assert [s.task.specific.step_key for s in states] == expected
    assert [s.finished_by.username for s in states] == [
        "pengelola",
        "webadmin",
        "tekmas",
        "kabaghth",
        "sekretaris",
        "komisioner",
        "webadmin",
    ]
    assert all(s.standard_minutes > 0 for s in states)


def test_author_cannot_approve_own_concept(draft_artikel, sop_users):
    page = draft_artikel
    author = sop_users[Role.PENGAMPU]
    author.groups.add(*sop_users[Role.PENGELOLA].groups.all())  # the author also manages the website
    submit(login(author), page)
    assert current_step(page) == "terima"
    assert_refused(act(login(author), page, "approve"))
    assert current_step(page) == "terima"


def test_member_of_another_role_cannot_act_on_a_step(draft_artikel, sop_users):
    page = draft_artikel
    submit(login(sop_users[Role.PENGAMPU]), page)
    for role in (Role.WEB_ADMIN, Role.TEKMAS, Role.KOMISIONER):
        assert_refused(act(login(sop_users[role]), page, "approve"))
    assert current_step(page) == "terima"
