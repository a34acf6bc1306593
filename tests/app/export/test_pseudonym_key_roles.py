"""The pseudonym key on the shared store is L&D's alone: with the grants docs/shared-store.md
prints, L&D makes pseudonymised exports, and a trainer can neither read the key nor make one."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from app.cli import main
from app.demo import build_demo
from app.errors import RippleError
from app.export.document import pseudonym_secret
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.conftest import PG_BASE, _pg_available
from tests.helpers import REPO_ROOT

PLAIN = PG_BASE.replace("+psycopg", "")


def _sql_blocks() -> list[str]:
    text = (REPO_ROOT / "docs" / "shared-store.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, re.S)


def _adapt(sql: str, tag: str) -> str:
    for role in ("admin", "trainer", "lnd"):
        sql = re.sub(rf"\bripple_{role}\b", f"p{role[0]}_{tag}", sql)
    sql = re.sub(r"\bDATABASE ripple\b", "DATABASE test", sql)
    return re.sub(r"\bripple\b", f"ps_{tag}", sql)


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The doc's roles and schema, the tables made by the admin, the grants that need them."""
    if not _pg_available():
        pytest.skip("PostgreSQL is not reachable")
    tag = uuid.uuid4().hex[:8]
    names = {r: f"p{r[0]}_{tag}" for r in ("admin", "trainer", "lnd")}
    with psycopg.connect(PLAIN, autocommit=True) as conn:
        for name in names.values():
            conn.execute(f"CREATE ROLE {name} LOGIN")
        conn.execute(_adapt(_sql_blocks()[1], tag))
    base = PG_BASE.split("://", 1)[1].split("@", 1)[1]
    urls = {r: f"postgresql+psycopg://{n}@{base}" for r, n in names.items()}
    try:
        Store.open(urls["admin"]).close()
        with psycopg.connect(PLAIN, autocommit=True) as conn:
            conn.execute(_adapt(_sql_blocks()[2], tag))
        yield urls | {"tag": tag}
    finally:
        with psycopg.connect(PLAIN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS ps_{tag} CASCADE")
            for name in names.values():
                conn.execute(f"DROP OWNED BY {name}")
                conn.execute(f"DROP ROLE {name}")


def test_only_lnd_reads_the_pseudonym_key(shared: dict[str, str], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    laptop = Store.open(f"sqlite:///{tmp_path / 'laptop.db'}")
    build_demo(laptop, seed=3, workshops=2, clips=False)
    remote = open_remote(shared["trainer"])
    sync(laptop, remote)
    remote.close()
    laptop.close()

    out = tmp_path / "pseudo.csv"
    args = ["export", "candidates", "--format", "csv", "--pseudonymize", "--out", str(out)]
    assert main(["--db", shared["lnd"], *args]) == 0, capsys.readouterr().err
    assert "P-" in out.read_text(encoding="utf-8")

    # The trainer role: no key to read, no pseudonymised export, one sentence.
    with psycopg.connect(PLAIN.replace("postgres@", f"pt_{shared['tag']}@"), autocommit=True) as conn:
        conn.execute(f"SET search_path = ps_{shared['tag']}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT value FROM pseudonym_keys")
    trainer = Store.open(shared["trainer"], create=False, upgrade=False)
    try:
        with pytest.raises(RippleError, match="Only L&D can make pseudonymised exports"):
            pseudonym_secret(trainer)
        # Nothing of the key is anywhere a trainer reads.
        with trainer.engine.connect() as conn:
            meta = conn.exec_driver_sql("SELECT key, value FROM store_meta").all()
        assert not any("pseudonym" in k for k, _v in meta)
    finally:
        trainer.close()
    capsys.readouterr()
    assert main(["--db", shared["trainer"], *args[:-1], str(tmp_path / "t.csv")]) == 1
    assert "Only L&D can make pseudonymised exports" in capsys.readouterr().err
    assert not (tmp_path / "t.csv").exists()
