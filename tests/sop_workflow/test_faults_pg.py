"""On PostgreSQL: the database connection dropped in the middle of an approval loses nothing.

The fault is real: just before a chosen statement of the approval runs, a second connection asks
PostgreSQL to end the request's backend (``pg_terminate_backend``), and the statement then goes to
a dead connection, as when the database server restarts or the network drops mid-request. The
approval runs in one transaction (``SOPTask.on_action``), emails go out only on commit: the
workflow must be exactly as before, and the approver's retry must succeed once.
"""

from __future__ import annotations

import time

import psycopg2
import pytest

from django.conf import settings
from django.core import mail
from django.db import close_old_connections, connection

from wagtail.models import Comment, Page, PageLogEntry, TaskState, WorkflowState

from sop_workflow.models import ArsipPersetujuan
from sop_workflow.sop import Chain, Role, chain_steps
from tests import factories
from tests.sop_workflow.admin_helpers import act, current_step, login, submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.IS_POSTGRESQL,
        reason="a dropped database connection is a PostgreSQL fault (pg_terminate_backend); "
        "CI runs this file in its PostgreSQL pass",
    ),
]

ROLES_LONG = [step.role for step in chain_steps(Chain.LONG)]


class TerminateBackendBefore:
    """``connection.execute_wrapper``: end this connection's backend right before a matching statement."""

    def __init__(self, marker: str):
        self.marker = marker
        self.fired = False

    def __call__(self, execute, sql, params, many, context):
        if not self.fired and self.marker in sql:
            self.fired = True
            pid = context["connection"].connection.get_backend_pid()
            killer = psycopg2.connect(**connection.get_connection_params())
            killer.autocommit = True
            try:
                with killer.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                    assert cursor.fetchone()[0], "the backend was not terminated"
                    for _ in range(100):  # until PostgreSQL has really ended it
                        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
                        if cursor.fetchone() is None:
                            break
                        time.sleep(0.05)
            finally:
                killer.close()
        return execute(sql, params, many, context)


def snapshot(page) -> dict:
    """Everything a person (or the archive) would notice about the page's workflow."""
    page = Page.objects.get(pk=page.pk)
    states = TaskState.objects.filter(workflow_state__object_id=str(page.pk)).order_by("pk")
    return {
        "live": page.live,
        "live_revision": page.live_revision_id,
        "step": current_step(page),
        "workflow": list(
            WorkflowState.objects.filter(object_id=str(page.pk)).values_list(
                "pk", "status", "current_task_state"
            )
        ),
        "task_states": [(s.pk, s.status, s.comment, s.finished_by_id) for s in states],
        "comments": Comment.objects.count(),
        "log": PageLogEntry.objects.filter(page=page).count(),
        "archive": list(ArsipPersetujuan.objects.values_list("pk", "record_hash")),
        "emails": len(mail.outbox),
    }


@pytest.fixture
def artikel_in_chain(home_page, sop_users):
    index = factories.ArtikelIndexPageFactory(parent=home_page)
    page = factories.ArtikelPageFactory(parent=index, title="Ajakan memilih", owner=sop_users[Role.PENGAMPU])
    page.unpublish()
    assert submit(login(sop_users[Role.PENGAMPU]), page).status_code == 302
    return page


def approve_until(page, sop_users, step_key: str) -> None:
    for role in ROLES_LONG:
        if current_step(page) == step_key:
            return
        assert act(login(sop_users[role]), page, "approve", comment="lanjut").status_code == 302
    assert current_step(page) == step_key


@pytest.mark.parametrize(
    ("step_key", "role", "marker"),
    [
        # mid-chain: the approval is written, then the next step is started -- cut before the latter
        ("kabag", Role.KABAG_HTH, 'INSERT INTO "sop_workflow_soptaskstate"'),
        # last step: the page is published, then the approval record is frozen -- cut before the record
        ("unggah", Role.WEB_ADMIN, 'INSERT INTO "sop_workflow_arsippersetujuan"'),
    ],
)
def test_a_dropped_connection_mid_approval_changes_nothing_and_the_retry_succeeds(
    artikel_in_chain, sop_users, step_key, role, marker
):
    page = artikel_in_chain
    approve_until(page, sop_users, step_key)
    mail.outbox.clear()
    before = snapshot(page)

    approver = login(sop_users[role])
    approver.raise_request_exception = False
    fault = TerminateBackendBefore(marker)
    with connection.execute_wrapper(fault):
        response = act(approver, page, "approve", comment="Setuju, naskah sudah sesuai.")
    assert fault.fired, f"the approval never ran {marker}"
    assert response.status_code == 500
    # What the request cycle does after every request in production: drop the broken connection.
    close_old_connections()
    connection.close()

    assert snapshot(page) == before, "the dropped connection left a half transition behind"

    # The approver simply tries again, and it works once.
    response = act(approver, page, "approve", comment="Setuju, naskah sudah sesuai.")
    assert response.status_code == 302
    after = snapshot(page)
    states = TaskState.objects.filter(workflow_state__object_id=str(page.pk)).order_by("pk")
    done = [s for s in states if s.task.specific.step_key == step_key]
    assert [(s.status, s.comment) for s in done] == [("approved", "Setuju, naskah sudah sesuai.")]
    assert after["emails"] > 0, "nobody was told about the transition"
    if step_key == "unggah":
        assert after["live"]
        records = ArsipPersetujuan.objects.filter(page_id=page.pk)
        assert records.count() == 1
        assert [step["step_key"] for step in records.get().steps] == [s.key for s in chain_steps(Chain.LONG)]
    else:
        assert current_step(page) == "sekretaris"
        assert len(after["task_states"]) == len(before["task_states"]) + 1
