"""Commands that only read never create or upgrade the store they are pointed at: a mistyped
database stays empty, and a shared store is never upgraded under older laptops by a report."""

from __future__ import annotations

import psycopg
import pytest

from app.cli import main
from db.store import Store
from tests.conftest import PG_BASE

READERS = [
    ["workshop", "list"], ["participant", "list"], ["clip", "list"], ["insights"],
    ["export", "candidates", "--format", "csv", "--out", "{tmp}/c.csv"],
    ["roleplay", "rotation", "abcd1234", "Role play"], ["roleplay", "markers", "abcd1234"],
    ["roleplay", "briefs", "abcd1234", "Role play", "--out", "{tmp}/b.pdf"],
    ["roleplay", "highlights", "abcd1234", "--out", "{tmp}/h.mp4"],
]


def _tables(url: str) -> int:
    schema = url.rsplit("%3D", 1)[1]
    with psycopg.connect(PG_BASE.replace("+psycopg", "")) as conn:
        return int(conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s", (schema,)).fetchone()[0])


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:2]))
def test_a_report_on_an_empty_database_says_so_and_makes_nothing(
    command: list[str], pg_url: str, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert main(["--db", pg_url, *args]) == 1
    err = capsys.readouterr().err
    assert "is not a Ripple store" in err and err.count("\n") == 1
    assert _tables(pg_url) == 0


def test_a_report_never_upgrades_an_older_store(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from db.migrate import run_alembic

    Store.open(pg_url).close()
    store = Store.open(pg_url)
    run_alembic(store.engine, "downgrade", "0004")
    store.close()
    assert main(["--db", pg_url, "workshop", "list"]) == 1
    assert "older Ripple" in capsys.readouterr().err
    with psycopg.connect(PG_BASE.replace("+psycopg", "")) as conn:
        schema = pg_url.rsplit("%3D", 1)[1]
        assert conn.execute(f'SELECT version_num FROM "{schema}".alembic_version').fetchone()[0] == "0004"
