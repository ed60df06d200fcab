"""`make backup` / `make restore`: a site with content survives a round trip into a fresh database.

Runs on a throwaway PostgreSQL database (127.0.0.1:5432, user postgres) that the test creates and
drops, whatever database the rest of the suite uses.
"""

import hashlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.servers import PYTHON, REPO

pytestmark = pytest.mark.integration

PG = "postgres://postgres@127.0.0.1:5432/"


def pg_available() -> bool:
    if not shutil.which("pg_dump") or not shutil.which("pg_isready"):
        return False
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode == 0


def connect(name: str):
    import psycopg2

    return psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname=name)


def run(args: list[str], env: dict[str, str], timeout: int = 300) -> str:
    leaking = ("DATABASE_URL", "REDIS_URL", "S3_", "MEDIA_ROOT", "BACKUP_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(leaking)}
    result = subprocess.run(
        args,
        cwd=REPO,
        env={**clean, "DJANGO_SETTINGS_MODULE": "kpu_site.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def databases():
    if not pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL at 127.0.0.1:5432 is required in CI")
        pytest.skip("PostgreSQL at 127.0.0.1:5432 not available")
    suffix = uuid.uuid4().hex[:8]
    names = (f"kpu_bk_src_{suffix}", f"kpu_bk_dst_{suffix}")
    admin = connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {names[0]}")
    try:
        yield names
    finally:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def rows(name: str, query: str) -> list[tuple]:
    conn = connect(name)
    try:
        with conn.cursor() as cursor:
            cursor.execute(query)
            return sorted(cursor.fetchall(), key=repr)
    finally:
        conn.close()


def table_counts(name: str) -> dict[str, int]:
    tables = [t for (t,) in rows(name, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    return {table: rows(name, f'SELECT count(*) FROM "{table}"')[0][0] for table in tables}  # noqa: S608


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_and_restore_into_a_fresh_database_keeps_content_media_and_sop(databases, tmp_path):
    source_db, target_db = databases
    source = {
        "DATABASE_URL": PG + source_db,
        "MEDIA_ROOT": str(tmp_path / "media-asal"),
        "BACKUP_DIR": str(tmp_path / "cadangan"),
        "DEMO_PASSWORD": "kata-sandi-demo-123",
    }
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], source)
    run([PYTHON, "manage.py", "load_demo_content"], source)

    out = run(["make", "-s", "backup"], source)
    backups = list((tmp_path / "cadangan").iterdir())
    assert len(backups) == 1 and str(backups[0]) in out
    backup = backups[0]
    assert (backup / "database.dump").stat().st_size > 10_000
    assert (backup / "manifest.json").exists()

    target = {**source, "DATABASE_URL": PG + target_db, "MEDIA_ROOT": str(tmp_path / "media-pulih")}
    run(["make", "-s", "restore", f"BACKUP={backup}"], target)

    # Every table, the SOP's included, has the same number of rows.
    before, after = table_counts(source_db), table_counts(target_db)
    assert before == after
    sop_tables = [t for t in after if t.startswith("sop_workflow_")]
    assert sop_tables, "no sop_workflow tables found"
    assert after["wagtailcore_page"] > 10
    assert after["wagtailcore_taskstate"] > 0, "demo content has drafts in the chain"

    # Content and the SOP set-up as a person would see them.
    for query in (
        "SELECT title, url_path, live FROM wagtailcore_page",
        "SELECT name FROM auth_group",
        "SELECT g.name, p.codename FROM auth_group_permissions gp JOIN auth_group g ON g.id = gp.group_id "
        "JOIN auth_permission p ON p.id = gp.permission_id",
        "SELECT name, active FROM wagtailcore_workflow",
        "SELECT id, status, task_id, workflow_state_id FROM wagtailcore_taskstate",
        "SELECT id, status, base_content_type_id, object_id FROM wagtailcore_workflowstate",
    ):
        assert rows(source_db, query) == rows(target_db, query), query
    assert ("SOP Lengkap", True) in rows(target_db, "SELECT name, active FROM wagtailcore_workflow")

    # Every image and document file is there, byte for byte.
    files = [
        f
        for (f,) in rows(
            target_db, "SELECT file FROM wagtailimages_image UNION SELECT file FROM wagtaildocs_document"
        )
    ]
    assert len(files) >= 2
    for name in files:
        restored = tmp_path / "media-pulih" / name
        assert restored.exists(), name
        assert digest(restored) == digest(tmp_path / "media-asal" / name)

    # The restored site serves its pages.
    code = (
        "from django.test import Client; from wagtail.models import Page; "
        "page = Page.objects.live().filter(depth=4).first().specific; "
        "r = Client().get(page.url); print(r.status_code, page.title in r.content.decode())"
    )
    out = run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code], {**target, "ALLOWED_HOSTS": "testserver"}
    )
    assert out.split() == ["200", "True"]

    # Restore refuses to overwrite a database that already has tables.
    result = subprocess.run(
        [PYTHON, "bin/restore", str(backup)],
        cwd=REPO,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kpu_site.settings.dev", **target},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "sudah berisi" in result.stderr
