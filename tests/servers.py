"""Helpers for tests that start real servers on 127.0.0.1 and stop them afterwards."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv").exists() else "python"


def free_port() -> int:
    """A free TCP port below the ephemeral range (which holds TIME_WAIT sockets)."""
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port found")


def wait_for_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"server exited with {proc.returncode} before answering:\n{output[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                response.read()
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError as exc:
            last_error = exc
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s: {last_error}")


@contextlib.contextmanager
def running(
    cmd: list[str], env: dict[str, str] | None = None, cwd: Path = REPO
) -> Iterator[subprocess.Popen]:
    """Run a server process in its own process group; kill the whole group on exit."""
    proc = subprocess.Popen(  # noqa: S603
        cmd,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def fetch(url: str, headers: dict[str, str] | None = None, timeout: float = 10.0):
    """GET a URL; returns (status, headers, body bytes) without raising on HTTP errors."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def wait_for_port(port: int, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until something accepts TCP connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"server exited with {proc.returncode} before listening:\n{output[-4000:]}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout}s")


@contextlib.contextmanager
def redis_server(port: int | None = None) -> Iterator[tuple[subprocess.Popen, int]]:
    """A throwaway redis-server on 127.0.0.1 that keeps nothing on disk."""
    port = port or free_port()
    cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    with running(cmd) as proc:
        wait_for_port(port, proc=proc)
        yield proc, port


@contextlib.contextmanager
def moto_s3_server() -> Iterator[str]:
    """moto's standalone S3-API server on 127.0.0.1; yields its endpoint URL."""
    port = free_port()
    with running([PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]) as proc:
        endpoint = f"http://127.0.0.1:{port}"
        wait_for_http(endpoint + "/moto-api/", timeout=60, proc=proc)
        yield endpoint
