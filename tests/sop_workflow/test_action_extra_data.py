"""The extra data a workflow action carries, posted through the admin as the reviewer at their step.

Wagtail's editor sends it as ``workflow-action-extra-data`` (JSON) and hands every key to the task;
the dashboard's action view binds the action's form. Only what the action's form declares may
reach a step: anything else is refused before a revision is saved or the run moves.
"""

import json

import pytest

from django.urls import reverse

from wagtail.models import Page, Revision, TaskState

from sop_workflow.models import SOPTaskState
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import current_step, login, news_form_data, submit

pytestmark = pytest.mark.django_db

REFUSED = "Tindakan tidak dijalankan"
NOTHING_SAVED = "tidak ada yang disimpan"
CORRECTED_TITLE = "Hasil rapat pleno terbuka (koreksi)"


@pytest.fixture
def draft(home_page, sop_users):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(
        parent=index, title="Hasil rapat pleno terbuka", slug="rapat-pleno", owner=sop_users[Role.PENGAMPU]
    )
    page.unpublish()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    return page


@pytest.fixture
def at_first_step(draft, sop_users):
    """The draft submitted, waiting at "terima"; the reviewer there, signed in."""
    assert submit(login(sop_users[Role.PENGAMPU]), Page.objects.get(pk=draft.pk)).status_code == 302
    assert current_step(draft) == "terima"
    reviewer = login(sop_users[Role.PENGELOLA])
    reviewer.raise_request_exception = False  # a crash must show as the 500 a reviewer would get
    return reviewer


def fresh(page):
    return Page.objects.get(pk=page.pk).specific


def act_in_editor(client, page, action: str, extra_data: str | None):
    """The editor's action menu: the form with the reviewer's correction, plus the action fields."""
    data = news_form_data(fresh(page), title=CORRECTED_TITLE)
    data.update({"action-workflow-action": "true", "workflow-action-name": action})
    if extra_data is not None:
        data["workflow-action-extra-data"] = extra_data
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def revisions_of(page) -> int:
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


def step_state(page) -> SOPTaskState:
    return SOPTaskState.objects.get(pk=Page.objects.get(pk=page.pk).current_workflow_task_state.pk)


def assert_refused_with_nothing_changed(client, page, response, revisions_before: int) -> str:
    """What the reviewer sees and what stays: back in the editor with a message, the step still theirs.
    Returns the editor page the reviewer lands on."""
    assert response.status_code == 302, response.status_code
    assert response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    shown = client.get(response.url).content.decode()
    assert REFUSED in shown and NOTHING_SAVED in shown
    assert revisions_of(page) == revisions_before, "a refused action must not save a revision"
    assert CORRECTED_TITLE not in fresh(page).get_latest_revision_as_object().title
    assert current_step(page) == "terima"
    state = step_state(page)
    assert state.status == TaskState.STATUS_IN_PROGRESS and state.judged_revision_id is None
    return shown


# --- the editor: only the form's own fields ---------------------------------------------------------
def test_update_false_is_refused_and_a_proper_approval_then_moves_the_run_on(draft, at_first_step):
    before = revisions_of(draft)
    response = act_in_editor(at_first_step, draft, "approve", json.dumps({"comment": "", "update": False}))
    assert_refused_with_nothing_changed(at_first_step, draft, response, before)

    response = act_in_editor(at_first_step, draft, "approve", json.dumps({"comment": ""}))
    assert response.status_code == 302
    assert current_step(draft) == "validasi", "the approval must start the next step"
    first = SOPTaskState.objects.filter(workflow_state__object_id=str(draft.pk)).order_by("pk").first()
    assert first.status == TaskState.STATUS_APPROVED


@pytest.mark.parametrize(
    "extra_data",
    [
        json.dumps({"comment": "ok", "publish": True}),
        json.dumps({"user": 1}),  # Wagtail would pass it as a second `user` and crash
        json.dumps({"task_state": None, "comment": ""}),
    ],
    ids=["unknown-field", "user", "task_state"],
)
def test_unknown_keys_are_refused_without_saving_or_moving_anything(draft, at_first_step, extra_data):
    before = revisions_of(draft)
    response = act_in_editor(at_first_step, draft, "approve", extra_data)
    assert_refused_with_nothing_changed(at_first_step, draft, response, before)


@pytest.mark.parametrize(
    "extra_data",
    ['{"comment": ', "", "[]", '"setuju"', '{"comment": ["a", "b"]}', "[" * 5000 + "]" * 5000],
    ids=["truncated", "empty", "list", "string", "comment-not-text", "deeply-nested"],
)
def test_unreadable_extra_data_is_refused_without_saving_or_moving_anything(draft, at_first_step, extra_data):
    before = revisions_of(draft)
    response = act_in_editor(at_first_step, draft, "approve", extra_data)
    assert_refused_with_nothing_changed(at_first_step, draft, response, before)


def test_a_request_for_changes_without_a_note_is_refused_before_anything_is_saved(draft, at_first_step):
    before = revisions_of(draft)
    response = act_in_editor(at_first_step, draft, "reject", json.dumps({"comment": "  "}))
    shown = assert_refused_with_nothing_changed(at_first_step, draft, response, before)
    assert "Tuliskan apa yang perlu diperbaiki" in shown


def test_an_approval_with_a_comment_from_the_editor_still_works(draft, at_first_step):
    before = revisions_of(draft)
    response = act_in_editor(at_first_step, draft, "approve", json.dumps({"comment": "Sudah sesuai SOP."}))
    assert response.status_code == 302
    assert current_step(draft) == "validasi"
    judged = SOPTaskState.objects.filter(workflow_state__object_id=str(draft.pk)).order_by("pk").first()
    assert judged.status == TaskState.STATUS_APPROVED and judged.comment == "Sudah sesuai SOP."
    assert revisions_of(draft) == before + 1, "the reviewer's correction is saved with the approval"
    assert judged.judged_revision.as_object().title == CORRECTED_TITLE


@pytest.mark.parametrize(
    ("action", "note", "status", "next_step"),
    [
        ("approve", "Lanjut.", TaskState.STATUS_APPROVED, "validasi"),
        ("reject", "Judulnya kurang jelas.", TaskState.STATUS_REJECTED, None),  # back to the author
    ],
)
def test_what_wagtails_own_dialog_sends_is_accepted(draft, at_first_step, action, note, status, next_step):
    """The editor's dialog: its form posted to Wagtail's collect view, whose cleaned data the page's
    script then sends as the extra data (wagtailadmin/js/workflow-action.js)."""
    state = Page.objects.get(pk=draft.pk).current_workflow_task_state
    url = reverse("wagtailadmin_pages:collect_workflow_action_data", args=[draft.pk, action, state.pk])
    collected = at_first_step.post(url, {"comment": note}, headers={"x-requested-with": "XMLHttpRequest"})
    response = act_in_editor(at_first_step, draft, action, json.dumps(collected.json()["cleaned_data"]))
    assert response.status_code == 302
    assert current_step(draft) == next_step
    decided = SOPTaskState.objects.get(pk=state.pk)
    assert decided.status == status and decided.comment == note


def test_an_approval_without_a_dialog_carries_no_extra_data_and_still_works(draft, at_first_step):
    response = act_in_editor(at_first_step, draft, "approve", None)
    assert response.status_code == 302
    assert current_step(draft) == "validasi"


# --- the dashboard's action dialog: its form takes only its own fields ------------------------------
def test_the_dashboard_action_ignores_update_false_and_moves_the_run_on(draft, at_first_step):
    state = Page.objects.get(pk=draft.pk).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", state.pk])
    response = at_first_step.post(
        url,
        {
            "comment": "Diteruskan.",
            "update": "false",
            "workflow-action-extra-data": json.dumps({"comment": "", "update": False}),
        },
    )
    assert response.status_code == 302
    assert current_step(draft) == "validasi", "the approval must start the next step"
    judged = SOPTaskState.objects.get(pk=state.pk)
    assert judged.status == TaskState.STATUS_APPROVED and judged.comment == "Diteruskan."


@pytest.mark.parametrize("view", ["workflow_action", "collect_workflow_action_data"])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_the_dialog_is_the_steps_own_with_its_fields_not_in_a_bare_list(draft, at_first_step, view, action):
    """SOPTask.get_template_for_action gives the dialog (no copy of Wagtail's template overrides it)."""
    state = step_state(draft)
    url = reverse(f"wagtailadmin_pages:{view}", args=[draft.pk, action, state.pk])
    response = at_first_step.get(url, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    html = (
        json.loads(response.content)["html"]
        if response["Content-Type"].startswith("application/json")
        else (response.content.decode())
    )
    assert 'name="comment"' in html
    assert '<div class="fields">' in html and '<ul class="fields">' not in html
