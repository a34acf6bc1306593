"""``ripple sync`` for scripts: prints what moved; one sentence and a non-zero exit on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from db.store import Store
from tests.helpers import REPO_ROOT

ROOT = REPO_ROOT


def _ripple(tmp_path: Path, home: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RIPPLE_HOME": str(tmp_path / home), "PYTHONPATH": str(ROOT)}
    env.pop("PGPASSWORD", None)
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL)


def test_ripple_sync_between_two_laptops(remote_url: str, tmp_path: Path) -> None:
    a_db, b_db = tmp_path / "a.db", tmp_path / "b.db"
    a = Store.open(f"sqlite:///{a_db}")
    wid = create_workshop(a, "Scripted sync")
    add_participant(a, wid, "Ana", email="ana@example.org")
    a.close()
    # An address that holds no shared store is refused (a typo never becomes one) ...
    refused = _ripple(tmp_path, "a", "--db", f"sqlite:///{a_db}", "sync", "--remote", remote_url)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "is not a shared store yet" in refused.stderr or "There is no shared store at" in refused.stderr
    assert "`ripple sync --init-remote`" in refused.stderr and refused.stderr.count("\n") == 1
    if remote_url.startswith("sqlite"):
        assert not Path(remote_url.removeprefix("sqlite:///")).exists()
    # ... until asked for.
    sent = _ripple(tmp_path, "a", "--db", f"sqlite:///{a_db}", "sync", "--remote", remote_url, "--init-remote")
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.startswith("Sent 3 changes (1 workshop, 1 participant, 1 roster entry)")
    got = _ripple(tmp_path, "b", "--db", f"sqlite:///{b_db}", "sync", "--remote", remote_url)
    assert got.returncode == 0, got.stderr
    assert "received 3 changes" in got.stdout
    again = _ripple(tmp_path, "b", "--db", f"sqlite:///{b_db}", "sync", "--remote", remote_url)
    assert again.stdout.startswith("Already in sync with")
    status = _ripple(tmp_path, "b", "--db", f"sqlite:///{b_db}", "sync", "--status")
    assert status.returncode == 0 and "0 changes waiting" in status.stdout
    listed = _ripple(tmp_path, "b", "--db", f"sqlite:///{b_db}", "workshop", "list")
    assert "Scripted sync" in listed.stdout


def test_ripple_sync_failures_are_one_sentence(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    none = _ripple(tmp_path, "a", "--db", db, "sync")
    assert none.returncode == 1
    assert none.stderr == "ripple: No shared store is set; give --remote URL or add it in Settings.\n"
    down = _ripple(tmp_path, "a", "--db", db, "sync", "--remote",
                   "postgresql+psycopg://trainer:hunter2@127.0.0.1:9/ripple")
    assert down.returncode == 1 and "hunter2" not in down.stderr + down.stdout
    assert down.stderr.startswith("ripple: Ripple could not reach the store at postgresql+psycopg://trainer:***@")
    assert "(Connection refused)" in down.stderr  # the driver's own cause
    assert down.stderr.count("\n") == 1
    bad = _ripple(tmp_path, "a", "--db", db, "sync", "--remote", "mysql://x@y/z")
    assert bad.returncode == 1 and "cannot use a “mysql” store" in bad.stderr


def test_save_password_without_a_keychain_is_a_warning_after_a_good_sync(pg_url: str, tmp_path: Path) -> None:
    """This machine has no system keychain (as on many Linux desktops and CI runners)."""
    from app.platform import credentials

    assert not credentials.keyring_available()
    db = f"sqlite:///{tmp_path / 'a.db'}"
    with_password = pg_url.replace("postgres@", "postgres:secret@")  # trust auth: merely sent
    run = _ripple(tmp_path, "a", "--db", db, "sync", "--remote", with_password, "--init-remote",
                  "--save-password")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Already in sync with") or run.stdout.startswith("Nothing to send")
    assert run.stderr.startswith("ripple: warning: This computer has no system keychain")
    assert "secret" not in run.stdout + run.stderr


def test_schema_only_sets_up_the_shared_store_and_sends_nothing(remote_url: str, tmp_path: Path) -> None:
    a_db = tmp_path / "a.db"
    a = Store.open(f"sqlite:///{a_db}")
    create_workshop(a, "Not for the shared store yet")
    a.close()
    run = _ripple(tmp_path, "a", "--db", f"sqlite:///{a_db}", "sync", "--remote", remote_url, "--init-remote",
                  "--schema-only")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("The shared store at ") and "is ready (schema " in run.stdout
    from db.sync.remote import open_remote

    remote = open_remote(remote_url, create=False)
    with remote.read() as s:
        from db.models import Workshop

        assert s.query(Workshop).count() == 0
    remote.close()
