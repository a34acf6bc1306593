"""A PostgreSQL 15 cluster of a test's own, on another port, with password logins.

The shared test server trusts every local login, so a role's password (and ``~/.pgpass``,
``PGPASSWORD``) would prove nothing there. This one asks for a password on every connection
(scram-sha-256), as a real shared store does.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path("/usr/lib/postgresql/15/bin")
SUPERUSER_PASSWORD = "super secret"


@dataclass(frozen=True)
class Cluster:
    port: int
    root: Path

    def url(self, user: str, db: str, password: str | None = None) -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql+psycopg://{auth}@127.0.0.1:{self.port}/{db}"

    def dsn(self, user: str, db: str, password: str) -> str:
        return f"host=127.0.0.1 port={self.port} dbname={db} user={user} password='{password}'"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def password_cluster() -> Iterator[Cluster]:
    """Start a cluster (initdb, pg_ctl) and stop and remove it afterwards."""
    if not (BIN / "initdb").exists() or shutil.which("psql") is None:
        pytest.skip("PostgreSQL 15 server binaries are not installed")
    root = Path(tempfile.mkdtemp(prefix="ripple-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        as_postgres = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres", "postgres")
    pwfile = root / "pw"
    pwfile.write_text(SUPERUSER_PASSWORD, encoding="utf-8")
    if as_postgres:
        shutil.chown(pwfile, "postgres", "postgres")
    data = root / "data"
    port = _free_port()
    quiet = {"capture_output": True, "text": True, "timeout": 120}
    init = subprocess.run([*as_postgres, str(BIN / "initdb"), "-D", str(data), "-U", "postgres",
                           "--pwfile", str(pwfile), "--auth-host=scram-sha-256",
                           "--auth-local=scram-sha-256"], **quiet)  # type: ignore[call-overload]
    assert init.returncode == 0, init.stderr
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB"
    start = subprocess.run([*as_postgres, str(BIN / "pg_ctl"), "-D", str(data), "-o", opts, "-w",
                            "-l", str(root / "log"), "start"], **quiet)  # type: ignore[call-overload]
    assert start.returncode == 0, start.stderr + (root / "log").read_text(errors="replace")
    try:
        yield Cluster(port, root)
    finally:
        subprocess.run([*as_postgres, str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       **quiet)  # type: ignore[call-overload]
        shutil.rmtree(root, ignore_errors=True)
