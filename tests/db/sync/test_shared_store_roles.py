"""docs/shared-store.md, run for real: its SQL sets up the roles, trainers' laptops sync with
the trainer role, and L&D exports candidates from the shared store with its read-only role."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from app.demo import build_demo
from db.errors import StoreError
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.conftest import PG_BASE, _pg_available
from tests.helpers import REPO_ROOT
from tests.helpers.sync import add_clip, clips_root, state

ROOT = REPO_ROOT
DOC = ROOT / "docs" / "shared-store.md"


def _sql_blocks() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def _adapt(sql: str, tag: str) -> str:
    """The doc's names made unique for this test, in the test database."""
    for role in ("admin", "trainer", "lnd"):
        sql = re.sub(rf"\bripple_{role}\b", f"r{role[0]}_{tag}", sql)
    sql = re.sub(r"\bDATABASE ripple\b", "DATABASE test", sql)
    return re.sub(r"\bripple\b", f"s_{tag}", sql)


@pytest.fixture
def roles() -> Iterator[dict[str, str]]:
    if not _pg_available():
        pytest.skip("PostgreSQL is not reachable")
    tag = uuid.uuid4().hex[:8]
    plain = PG_BASE.replace("+psycopg", "")
    names = {r: f"r{r[0]}_{tag}" for r in ("admin", "trainer", "lnd")}
    with psycopg.connect(plain, autocommit=True) as conn:
        for name in names.values():
            conn.execute(f"CREATE ROLE {name} LOGIN")
        conn.execute(_adapt(_sql_blocks()[1], tag))  # step 2: schema and rights
    base = PG_BASE.split("://", 1)[1].split("@", 1)[1]
    urls = {r: f"postgresql+psycopg://{n}@{base}" for r, n in names.items()}
    urls["tag"] = tag
    try:
        yield urls
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS s_{tag} CASCADE")
            for name in names.values():
                conn.execute(f"DROP OWNED BY {name}")
                conn.execute(f"DROP ROLE {name}")


def test_the_documented_roles_work(roles: dict[str, str], tmp_path: Path) -> None:
    tag = roles["tag"]
    # Step 3: the admin creates the tables; then the grants that need them.
    Store.open(roles["admin"]).close()
    with psycopg.connect(PG_BASE.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(_adapt(_sql_blocks()[2], tag))

    # Trainers: push, pull, clip files, and removing an erased person's clip.
    laptop = Store.open(f"sqlite:///{tmp_path / 'laptop.db'}")
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    build_demo(laptop, seed=3, workshops=2, clips=False)
    root = clips_root(tmp_path, "laptop")
    from app.clips.library import ClipLibrary
    from app.erasure import erase_participant
    from app.planning.workshops import create_workshop, list_workshops, load_plan

    ws = list_workshops(laptop)[0]
    person = load_plan(laptop, ws.id).participants[0].id
    add_clip(laptop, ws.id, person, root)
    shared = open_remote(roles["trainer"])
    sent = sync(laptop, shared, clips_root=root)
    assert sent.sent > 100 and sent.clips_up == 1
    assert sync(other, shared, clips_root=clips_root(tmp_path, "other")).clips_down == 1
    erase_participant(laptop, person, ClipLibrary(root))
    assert sync(laptop, shared, clips_root=root).clips_removed == 1
    sync(other, shared)
    assert state(laptop) == state(other) == state(shared)

    # L&D: reads and exports from the shared store; may not sync into it.
    env = {**os.environ, "RIPPLE_HOME": str(tmp_path / "lnd-home"), "PYTHONPATH": str(ROOT)}
    out = tmp_path / "candidates.csv"
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "--db", roles["lnd"], "export", "candidates",
         "--format", "csv", "--out", str(out)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert out.is_file() and out.read_text(encoding="utf-8").strip()
    # The export kept the finished workshops' analyses in the shared store (the optional grant).
    with psycopg.connect(PG_BASE.replace("+psycopg", ""), autocommit=True) as conn:
        kept = conn.execute(f"SELECT count(*) FROM s_{tag}.analysis_cache").fetchone()
    assert kept is not None and kept[0] == 2
    # Without that grant the export still works; it just keeps nothing.
    with psycopg.connect(PG_BASE.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f"REVOKE INSERT, UPDATE ON s_{tag}.analysis_cache FROM rl_{tag}")
        conn.execute(f"DELETE FROM s_{tag}.analysis_cache")
    again = subprocess.run(run.args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert again.returncode == 0, again.stderr
    with psycopg.connect(PG_BASE.replace("+psycopg", ""), autocommit=True) as conn:
        kept = conn.execute(f"SELECT count(*) FROM s_{tag}.analysis_cache").fetchone()
    assert kept is not None and kept[0] == 0
    lnd_view = Store.open(roles["lnd"])
    assert {w.title for w in list_workshops(lnd_view)} == {w.title for w in list_workshops(laptop)}
    lnd_view.close()
    lnd = open_remote(roles["lnd"])
    create_workshop(other, "Not for L&D to write")
    with pytest.raises(StoreError, match="lacks a permission"):
        sync(other, lnd)
    for s in (lnd, shared, laptop, other):
        s.close()
