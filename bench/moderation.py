#!/usr/bin/env python3
"""Moderation at scale: the admin dashboard and an approve action with many items in the SOP.

On a PostgreSQL database of its own (dropped at the end unless ``--keep``) with the demo content,
puts ``--items`` drafts into moderation through Wagtail's workflow machinery, spread over every step
of both chains, some overdue. Measures server time and queries of each role's dashboard and of an
approve POST per reviewing role, against ``GOAL_DASHBOARD_MS`` and ``GOAL_APPROVE_MS`` (p95).

    .venv/bin/python bench/moderation.py [--items 1000] [--repetitions 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # noqa: E402 - the database helpers of the scale benchmark

GOAL_DASHBOARD_MS = 500.0
GOAL_APPROVE_MS = 300.0
PASSWORD = "bench-demo-password"  # noqa: S105 - the throwaway demo accounts of its own database


def draft_row(model):
    """Rows for ``scale.add_children``: a news draft, with the author fields Artikel requires."""

    def row(number: int, rng: random.Random):
        title, moment, own = scale.berita_row(number, rng)
        if model.__name__ == "ArtikelPage":
            own = {**own, "penulis": "Rina Pengampu", "bio_penulis": ""}
        return f"Draf: {title}", moment, own

    return row


def fill_moderation(items: int, rng: random.Random) -> dict[str, int]:
    """``items`` drafts in moderation, spread over the steps of both chains. Returns counts per step.

    In bulk, as Wagtail's own ``Workflow.start`` and ``on_action("approve")`` leave them: the draft
    page and its revision, a workflow state in progress, an approved task state for each step already
    passed and an in-progress one (with the step's time standard) for the current step. Notifications
    are not sent. Each current step started between a few minutes and two weeks ago (some overdue).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from wagtail.models import Page, Revision, TaskState, Workflow, WorkflowState

    from kpu_pages.models import ArtikelIndexPage, ArtikelPage, BeritaIndexPage, BeritaPage
    from sop_workflow.models import SOPTask, SOPTaskState
    from sop_workflow.sop import CHAINS, chain_for_kind

    User = get_user_model()
    author = User.objects.get(username="pengampu")
    page_type = ContentType.objects.get_for_model(Page)
    state_type = ContentType.objects.get_for_model(SOPTaskState)
    now = timezone.now()
    per_step: dict[str, int] = {}
    plan = [(BeritaIndexPage, BeritaPage, "berita"), (ArtikelIndexPage, ArtikelPage, "artikel")]
    with transaction.atomic():
        for index_model, model, kind in plan:
            count = items // 2 + (items % 2 if model is BeritaPage else 0)
            workflow = Workflow.objects.get(name=CHAINS[chain_for_kind(kind)].workflow_name)
            tasks = [
                SOPTask.objects.get(pk=row.task_id)
                for row in workflow.workflow_tasks.filter(task__active=True).order_by("sort_order")
            ]
            reviewers = {task.pk: task.groups.first().user_set.first() for task in tasks}
            ids = scale.add_children(
                index_model.objects.get(), model, count, draft_row(model), rng, live=False, owner_id=author.pk
            )
            pages = list(model.objects.filter(pk__in=ids).order_by("pk"))
            model_type = ContentType.objects.get_for_model(model)
            revisions = Revision.objects.bulk_create(
                Revision(
                    content_type=model_type,
                    base_content_type=page_type,
                    object_id=str(page.pk),
                    user=author,
                    created_at=now,
                    content=page.serializable_data(),
                    object_str=page.title,
                )
                for page in pages
            )
            Page.objects.filter(pk__in=ids).update(latest_revision_created_at=now)
            for page, revision in zip(pages, revisions, strict=True):
                Page.objects.filter(pk=page.pk).update(latest_revision=revision)
            states = WorkflowState.objects.bulk_create(
                WorkflowState(
                    content_type=model_type,
                    base_content_type=page_type,
                    object_id=str(page.pk),
                    workflow=workflow,
                    status=WorkflowState.STATUS_IN_PROGRESS,
                    requested_by=author,
                    created_at=now,
                )
                for page in pages
            )
            task_states, current = [], []
            for number, (state, revision) in enumerate(zip(states, revisions, strict=True)):
                reached = number % len(tasks)
                minutes = rng.choice([2, 10, 45, 180, 60 * 24, 60 * 24 * 14 * rng.random()])
                started = now - dt.timedelta(minutes=minutes)
                for position, task in enumerate(tasks[: reached + 1]):
                    done = position < reached
                    task_states.append(
                        TaskState(
                            workflow_state=state,
                            revision=revision,
                            task=task,
                            content_type=state_type,
                            status=TaskState.STATUS_APPROVED if done else TaskState.STATUS_IN_PROGRESS,
                            started_at=started - dt.timedelta(minutes=10 * (reached - position)),
                            finished_at=started - dt.timedelta(minutes=10 * (reached - position - 1))
                            if done
                            else None,
                            finished_by=reviewers[task.pk] if done else None,
                            comment="",
                        )
                    )
                    if not done:
                        current.append((state, task_states[-1]))
                per_step[tasks[reached].step_key] = per_step.get(tasks[reached].step_key, 0) + 1
            task_states = TaskState.objects.bulk_create(task_states)
            standards = {task.pk: task.standard_minutes for task in tasks}
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO sop_workflow_soptaskstate (taskstate_ptr_id, standard_minutes) "
                    "VALUES (%s, %s)",
                    [(task_state.pk, standards[task_state.task_id]) for task_state in task_states],
                )
            for state, task_state in current:
                state.current_task_state = task_state
            WorkflowState.objects.bulk_update([state for state, _ in current], ["current_task_state"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return per_step


def timed(client, method: str, url: str, data=None) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.post(url, data or {}) if method == "POST" else client.get(url)
        _ = response.content
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, len(captured), response.status_code


def summary(times: list[float]) -> tuple[float, float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)], times[-1]


def measure(repetitions: int) -> tuple[list[dict], bool]:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from sop_workflow import progress
    from sop_workflow.sop import ROLES
    from tests.sop_workflow.admin_helpers import login as admin_login

    rows, ok = [], True
    User = get_user_model()
    for info in ROLES.values():
        user = User.objects.get(username=info.demo_username)
        # the admin's own sign-in: password, then the 2FA code (django-axes needs the request)
        client = admin_login(user, password=PASSWORD)
        waiting = progress.awaiting_review(user)
        client.get("/admin/")  # warm-up
        times, queries, status = [], 0, 0
        for _ in range(repetitions):
            elapsed, queries, status = timed(client, "GET", "/admin/")
            times.append(elapsed)
        p50, p95, worst = summary(times)
        goal = p95 <= GOAL_DASHBOARD_MS and status == 200
        ok &= goal
        rows.append(
            {
                "what": f"dasbor {info.demo_username}",
                "items": len(waiting),
                "p50": p50,
                "p95": p95,
                "max": worst,
                "queries": queries,
                "status": status,
                "goal": GOAL_DASHBOARD_MS,
                "met": goal,
            }
        )
        print(
            f"  dasbor {info.demo_username:<12} {len(waiting):4d} menunggu  "
            f"p95 {p95:7.1f} ms  {queries} kueri"
        )
        if not waiting:
            continue
        times, statuses = [], set()
        for step in waiting[:repetitions]:
            url = reverse(
                "wagtailadmin_pages:workflow_action", args=[step.page.pk, "approve", step.task_state.pk]
            )
            elapsed, queries, status = timed(client, "POST", url, {"comment": ""})
            times.append(elapsed)
            statuses.add(status)
        p50, p95, worst = summary(times)
        goal = p95 <= GOAL_APPROVE_MS and statuses <= {200, 302}
        ok &= goal
        rows.append(
            {
                "what": f"setujui sebagai {info.demo_username}",
                "items": len(times),
                "p50": p50,
                "p95": p95,
                "max": worst,
                "queries": queries,
                "status": "/".join(map(str, sorted(statuses))),
                "goal": GOAL_APPROVE_MS,
                "met": goal,
            }
        )
        print(
            f"  setujui {info.demo_username:<11} {len(times):4d} kali      p95 {p95:7.1f} ms  {queries} kueri"
        )
    return rows, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", metavar="DATABASE", help="measure a database kept with --keep")
    parser.add_argument("--fill", action="store_true", help="with --reuse: first add --items drafts")
    args = parser.parse_args()
    os.environ["DEMO_PASSWORD"] = PASSWORD
    if args.reuse:
        scale.setup_django(args.reuse)
        if args.fill:
            print(fill_moderation(args.items, random.Random(7)))
        measure(args.repetitions)
        return 0
    database = f"kpu_moderasi_{os.getpid()}"
    scale.admin_sql(f"CREATE DATABASE {database}")
    started = time.perf_counter()
    try:
        scale.setup_django(database)
        print(f"Basis data {database}: migrasi, konten dan akun demo...", flush=True)
        scale.prepare_site()
        print(f"Memasukkan {args.items} draf ke alur SOP, tersebar di semua langkah...", flush=True)
        per_step = fill_moderation(args.items, random.Random(7))
        print("  per langkah:", ", ".join(f"{key} {count}" for key, count in sorted(per_step.items())))
        print(f"Mengukur ({args.repetitions}x per baris)...", flush=True)
        rows, ok = measure(args.repetitions)
        print(f"\nModerasi dengan {args.items} draf dalam alur SOP, waktu server (ms):\n")
        print("| apa | item | p50 | p95 | maks | kueri | status | sasaran p95 | tercapai |")
        print("|---|---:|---:|---:|---:|---:|---|---:|---|")
        for row in rows:
            cells = [row["what"], row["items"], *(f"{row[key]:.0f}" for key in ("p50", "p95", "max"))]
            cells += [row["queries"], row["status"], f"{row['goal']:.0f}", "ya" if row["met"] else "TIDAK"]
            print("| " + " | ".join(map(str, cells)) + " |")
        verdict = "TERCAPAI" if ok else "TIDAK TERCAPAI"
        print(f"\n{verdict}; beban mesin (loadavg): {os.getloadavg()}")
        print(f"Waktu total {time.perf_counter() - started:.0f} s")
        return 0 if ok else 1
    finally:
        scale.close_database(database, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
