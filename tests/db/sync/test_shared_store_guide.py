"""docs/shared-store.md, run as printed against a PostgreSQL 15 cluster with password roles:
its SQL through ``psql``, its shell commands through ``sh`` (``ripple`` is this checkout),
the passwords from ``~/.pgpass`` as the guide says. Between the steps, laptops sync with
their trainer roles, and each role is tried at what it must not do; then the backup is
restored into a new database and the laptops carry on with it, nothing lost."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from app.demo import build_demo
from db.errors import StoreError
from db.models import ExportRecord
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers import REPO_ROOT
from tests.helpers.pgcluster import SUPERUSER_PASSWORD, Cluster, password_cluster
from tests.helpers.sync import add_clip, clips_root, state

DOC = REPO_ROOT / "docs" / "shared-store.md"
PASSWORDS = {"postgres": SUPERUSER_PASSWORD, "ripple_admin": "change me", "trainer_ana": "ana changes me",
             "trainer_ben": "ben changes me", "ripple_lnd": "and me"}
_BLOCK = re.compile(r"<!-- run: (\w+)([^>]*)-->\n```(\w+)\n(.*?)```", re.S)


def guide_blocks() -> list[tuple[str, dict[str, str], str]]:
    """(kind, attributes, text) of every block the guide marks as runnable, in its order."""
    out = []
    for kind, attrs, _lang, body in _BLOCK.findall(DOC.read_text(encoding="utf-8")):
        out.append((kind, dict(re.findall(r"(\w+)=(\S+)", attrs)), body))
    return out


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    yield from password_cluster()


class Guide:
    """Runs the guide's blocks on the test cluster, from a working folder of its own."""

    def __init__(self, cluster: Cluster, work: Path) -> None:
        self.cluster, self.work = cluster, work
        self.blocks = {a["id"]: (kind, a, body) for kind, a, body in guide_blocks()}
        passfile = work / "pgpass"
        passfile.write_text("".join(f"127.0.0.1:{cluster.port}:*:{u}:{p}\n" for u, p in PASSWORDS.items()),
                            encoding="utf-8")
        passfile.chmod(stat.S_IRUSR | stat.S_IWUSR)
        shim = work / "bin"
        shim.mkdir()
        (shim / "ripple").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m app.cli "$@"\n', encoding="utf-8")
        (shim / "ripple").chmod(0o755)
        self.env = {**os.environ, "PGPASSFILE": str(passfile), "PYTHONPATH": str(REPO_ROOT),
                    "RIPPLE_HOME": str(work / "admin-home"), "PATH": f"{shim}:{os.environ['PATH']}"}
        self.env.pop("PGPASSWORD", None)

    def adapt(self, text: str) -> str:
        """The guide's host and TLS made this cluster's (it has no certificate)."""
        port = self.cluster.port
        text = text.replace("@db.example.org/", f"@127.0.0.1:{port}/")
        text = text.replace("--host=db.example.org", f"--host=127.0.0.1 --port={port}")
        return text.replace("sslmode=verify-full", "sslmode=disable")

    def run(self, block_id: str) -> subprocess.CompletedProcess[str]:
        kind, attrs, body = self.blocks[block_id]
        if kind == "psql":
            cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.cluster.port),
                   "-U", attrs["as"], "-d", attrs["db"]]
            done = subprocess.run(cmd, input=self.adapt(body), capture_output=True, text=True, env=self.env,
                                  timeout=120)
        else:
            done = self.sh(self.adapt(body))
        assert done.returncode == 0, f"step {block_id} failed as printed:\n{done.stderr}"
        return done

    def sh(self, script: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["sh", "-e", "-c", script], capture_output=True, text=True, env=self.env,
                              cwd=self.work, timeout=300)

    def connect(self, role: str, db: str = "ripple") -> psycopg.Connection:
        return psycopg.connect(self.cluster.dsn(role, db, PASSWORDS[role]), autocommit=True)


def _denied(conn: psycopg.Connection, sql: str) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as err:
        conn.execute(sql)
    return str(err.value)


def test_the_guide_works_as_printed_with_password_roles(
    cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    guide = Guide(cluster, tmp_path)
    assert [a["id"] for _k, a, _b in guide_blocks()] == [
        "roles", "schema", "create", "grants", "lnd", "backup", "compact", "restore"]
    for step in ("roles", "schema", "create", "grants"):
        guide.run(step)
    monkeypatch.setenv("PGPASSFILE", guide.env["PGPASSFILE"])  # laptops: passwords from pgpass too
    url = {r: cluster.url(r, "ripple") for r in PASSWORDS}

    # Two trainers' laptops sync with their own roles: rows, a clip file, an erasure.
    ana, ben = (Store.open(f"sqlite:///{tmp_path / n}.db") for n in ("ana", "ben"))
    build_demo(ana, seed=3, workshops=2, clips=False)
    from app.clips.library import ClipLibrary
    from app.erasure import erase_participant
    from app.planning.workshops import list_workshops, load_plan

    ws = list_workshops(ana)[0]
    people = [p.id for p in load_plan(ana, ws.id).participants]
    root = clips_root(tmp_path, "ana")
    add_clip(ana, ws.id, people[0], root)
    room_sha = add_clip(ana, ws.id, people[1], root)[1]  # scope "room", the default
    shared_a, shared_b = open_remote(url["trainer_ana"], create=False), open_remote(url["trainer_ben"], create=False)
    assert sync(ana, shared_a, clips_root=root).clips_up == 2
    assert sync(ben, shared_b, clips_root=clips_root(tmp_path, "ben")).clips_down == 2
    erase_participant(ana, people[0], ClipLibrary(root))
    assert sync(ana, shared_a, clips_root=root).clips_removed == 1
    sync(ben, shared_b)
    assert state(ana) == state(ben) == state(shared_a)

    # What a trainer role must not do.
    with guide.connect("trainer_ana") as conn:
        conn.execute("SET search_path = ripple")
        _denied(conn, "SELECT value FROM pseudonym_keys")  # or every pseudonym could be reversed
        _denied(conn, "UPDATE alembic_version SET version_num = '0001'")
        _denied(conn, "UPDATE export_records SET rows = 0")
        _denied(conn, "DELETE FROM workshops")
        _denied(conn, "UPDATE analysis_cache SET params = ''")
        moved = conn.execute("UPDATE sync_push_marks SET pushed_seq = 0 WHERE device_id = %s", (ben.device_id,))
        assert moved.rowcount == 0  # Ben's laptop's position is not Ana's to move
        assert conn.execute("SELECT pushed_seq FROM sync_push_marks WHERE device_id = %s",
                            (ben.device_id,)).fetchone() is not None  # but she may read it
    # L&D: reads, never edits kept analyses or rows, never sees room-only clips.
    with guide.connect("ripple_lnd") as conn:
        conn.execute("SET search_path = ripple")
        _denied(conn, "INSERT INTO analysis_cache VALUES (gen_random_uuid(), 'p', 'f', '\\x00', now())")
        _denied(conn, "UPDATE workshops SET title = 'x'")
        _denied(conn, "SELECT thumbnail FROM clips")
        assert conn.execute("SELECT count(*) FROM clip_chunks WHERE sha256 = %s", (room_sha,)).fetchone() == (0,)
    with guide.connect("ripple_admin") as conn:
        assert conn.execute("SELECT count(*) FROM ripple.clip_chunks WHERE sha256 = %s",
                            (room_sha,)).fetchone() != (0,)
    lnd = open_remote(url["ripple_lnd"], create=False)
    from app.planning.workshops import create_workshop

    create_workshop(ben, "Not for L&D to write")
    with pytest.raises(StoreError, match="lacks a permission"):
        sync(ben, lnd)
    lnd.close()

    # L&D's export, as printed; then the backup.
    exported = guide.run("lnd")
    assert (tmp_path / "candidates.xlsx").is_file(), exported.stderr
    guide.run("backup")
    assert guide.run("compact").stdout.startswith("Removed ")  # nothing old enough yet, and that is said
    # After the backup: another export (its audit record) that Ana's laptop fetches.
    late = guide.sh(f"ripple --db '{url['ripple_lnd']}' export candidates --format csv --out late.csv")
    assert late.returncode == 0, late.stderr
    # Pseudonyms: L&D makes the key at its first pseudonymised export; a trainer cannot.
    pseudo = guide.sh(f"ripple --db '{url['ripple_lnd']}' export candidates --format csv --pseudonymize "
                      "--out pseudo.csv")
    assert pseudo.returncode == 0 and "P-" in (tmp_path / "pseudo.csv").read_text(encoding="utf-8-sig"), pseudo.stderr
    refused = guide.sh(f"ripple --db '{url['trainer_ana']}' export candidates --format csv --pseudonymize "
                       "--out trainer.csv")
    assert refused.returncode == 1 and "Only L&D can make pseudonymised exports" in refused.stderr
    assert not (tmp_path / "trainer.csv").exists()
    sync(ana, shared_a)
    with ana.read() as s:
        records = {r.id for r in s.query(ExportRecord)}
    assert len(records) == 3  # the guide's export, the late one, the pseudonymised one (not the refused one)

    # Restoring into a database that is not there says so, in pg_restore and in Ripple.
    missing = guide.sh(f"pg_restore --host=127.0.0.1 --port={cluster.port} --username=ripple_admin "
                       "--dbname=ripple_restored ripple.dump")
    assert missing.returncode != 0 and 'database "ripple_restored" does not exist' in missing.stderr
    with pytest.raises(StoreError, match="does not exist; ask the admin"):
        open_remote(cluster.url("trainer_ana", "ripple_restored"))
    guide.run("restore")

    # The restored copy is a new shared store: the laptops send it what it lost.
    restored = open_remote(cluster.url("trainer_ana", "ripple_restored"), create=False)
    assert restored.device_id != shared_a.device_id
    sync(ana, restored, clips_root=root)
    with restored.read() as s:
        assert {r.id for r in s.query(ExportRecord)} == records
    restored_b = open_remote(cluster.url("trainer_ben", "ripple_restored"), create=False)
    sync(ben, restored_b)
    sync(ana, restored)
    assert state(ana) == state(ben) == state(restored)
    for s in (ana, ben, shared_a, shared_b, restored, restored_b):
        s.close()
