"""The README's commands as make runs them (dry runs: nothing is installed or served)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def dry_run(*args: str) -> str:
    return subprocess.run(
        ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout


def test_make_run_on_another_port_links_its_emails_to_that_port():
    commands = dry_run("run", "PORT=8123")
    assert "runserver 127.0.0.1:8123" in commands
    # ensure_admin, load_demo_content, load_ppid_demo and the server all get the address emails use
    assert commands.count("BASE_URL=http://127.0.0.1:8123") == 4


def test_make_run_installs_what_running_needs_not_the_test_tools(tmp_path):
    commands = dry_run("run", f"VENV={tmp_path / 'venv'}")
    assert "-r requirements.txt" in commands
    assert "requirements-dev.txt" not in commands and "npm ci" not in commands
