"""A real learning record store for the xAPI tests: Ralph (``ralph-malph[cli,lrs]==5.1.0``)
from PyPI, in its own virtual environment (its pins must not meet Ripple's), on 127.0.0.1
with the file-system backend and one user made with ``ralph auth``.

The environment is made once under ``RIPPLE_TEST_CACHE`` (default ``~/.cache/ripple-tests``)
and reused. Where it cannot be made or the server does not start, the tests are skipped —
except in CI (``RIPPLE_REQUIRE_PG=1``, the same flag that makes PostgreSQL required, or
``RIPPLE_REQUIRE_LRS=1``), where they fail.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

RALPH = "ralph-malph[cli,lrs]==5.1.0"
REQUIRED = os.environ.get("RIPPLE_REQUIRE_PG") == "1" or os.environ.get("RIPPLE_REQUIRE_LRS") == "1"
CACHE = Path(os.environ.get("RIPPLE_TEST_CACHE", Path.home() / ".cache" / "ripple-tests"))
KEY, SECRET = "ripple-test", "correct-horse-battery"


def _give_up(why: str) -> None:
    if REQUIRED:
        pytest.fail(f"The Ralph LRS is required here (RIPPLE_REQUIRE_PG=1) but {why}")
    pytest.skip(f"no local LRS: {why}")


def ralph_bin(*, give_up: bool = True) -> Path:
    """The ``ralph`` command of the cached environment, made on first use (``give_up``:
    skip or fail the test when it cannot be made; else raise :class:`LrsUnavailable`)."""
    venv = CACHE / "ralph-5.1.0"
    exe = venv / "bin" / "ralph"
    if exe.exists():
        return exe
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
        # requests: Ralph 5.1.0's "lrs" extra lacks it, yet its CLI imports it.
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", RALPH, "requests"],
                       check=True, capture_output=True, timeout=900)
    except (subprocess.SubprocessError, OSError) as exc:
        why = f"its environment could not be made ({type(exc).__name__}: {str(exc)[:300]})."
        if give_up:
            _give_up(why)
        raise LrsUnavailable(why) from None
    return exe


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Lrs:
    url: str  # the xAPI endpoint, e.g. http://127.0.0.1:PORT/xAPI/
    key: str
    secret: str
    log: Path

    def _get(self, query: str) -> Any:
        auth = base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()
        req = urllib.request.Request(self.url + "statements" + query, headers={
            "Authorization": f"Basic {auth}", "X-Experience-API-Version": "1.0.3"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def statements(self) -> list[dict[str, Any]]:
        """Every statement the LRS holds (following ``more``)."""
        out: list[dict[str, Any]] = []
        page = self._get("?" + urllib.parse.urlencode({"limit": 500}))
        while True:
            out += page["statements"]
            more = page.get("more")
            if not more:
                return out
            page = self._get("?" + more.split("?", 1)[1]) if "?" in more else self._get(more)


class LrsUnavailable(RuntimeError):
    """The Ralph server could not be made or started (the message says why)."""


def start_ralph(root: Path, exe: Path) -> tuple[Lrs, subprocess.Popen[bytes]]:
    """Ralph on a free port of 127.0.0.1, its data and user under ``root``; stop it with
    :func:`stop_ralph`."""
    env = dict(os.environ, RALPH_AUTH_FILE=str(root / "auth.json"), RALPH_RUNSERVER_BACKEND="fs",
               RALPH_APP_DIR=str(root / "app"))
    made = subprocess.run([str(exe), "auth", "-u", KEY, "-p", SECRET, "-s", "all",
                           "-A", "ripple-tests", "https://lrs.test", "-w"],
                          env=env, capture_output=True, text=True, timeout=120)
    if made.returncode != 0:
        raise LrsUnavailable(f"`ralph auth` failed: {made.stderr[-300:]}")
    port = _free_port()
    log = root / "server.log"
    env["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = str(root / "data")
    (root / "data").mkdir(exist_ok=True)
    server = Path(__file__).with_name("ralph_server.py")
    with log.open("wb") as fh:
        # Ralph's app under uvicorn as `ralph runserver -b fs` starts it (see ralph_server.py
        # for the two differences), from the test's folder.
        proc = subprocess.Popen([str(exe.with_name("python")), str(server), "127.0.0.1", str(port)], env=env,
                                cwd=root, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=2):
                return Lrs(f"http://127.0.0.1:{port}/xAPI/", KEY, SECRET, log), proc
        except (urllib.error.URLError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                stop_ralph(proc)
                raise LrsUnavailable(f"the server did not start: {log.read_text(errors='replace')[-400:]}") from None
            time.sleep(0.3)


def stop_ralph(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lrs]:
    exe = ralph_bin()
    try:
        server, proc = start_ralph(tmp_path_factory.mktemp("ralph"), exe)
    except LrsUnavailable as exc:
        _give_up(str(exc))
        raise
    try:
        yield server
    finally:
        stop_ralph(proc)
