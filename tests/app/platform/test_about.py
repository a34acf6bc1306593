"""Settings → About's facts and the diagnostics text, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app import __version__
from app.platform.about import about, diagnostics
from db import migrate
from db.store import Store


def test_the_facts_name_version_schema_and_folders(store: Store, ripple_home: Path) -> None:
    facts = about(store)
    assert facts.version == __version__
    assert facts.schema == facts.schema_expected == migrate.head_revision()
    assert facts.schema_line == facts.schema
    assert facts.data_folder == ripple_home
    assert facts.log_file == ripple_home / "ripple.log" and facts.log_folder == ripple_home
    assert facts.device_id == store.device_id


def test_a_store_behind_this_ripple_says_both_schemas(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        facts = about(store)
        assert facts.schema == "0001"
        assert facts.schema_line == f"0001 (this Ripple expects {migrate.head_revision()})"
    finally:
        store.close()


def test_the_diagnostics_are_one_fact_a_line(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'd.db'}")
    try:
        facts = about(store)
    finally:
        store.close()
    lines = dict(line.split(": ", 1) for line in diagnostics(facts, {"Qt": "6.8"}).splitlines())
    assert lines["Ripple"] == f"{facts.version} (commit {facts.commit})" and lines["Qt"] == "6.8"
    assert lines["Schema"] == migrate.head_revision()
    assert lines["Store"] == store.masked_url and lines["Log file"] == str(facts.log_file)
    assert set(lines) >= {"Device id", "Data folder", "Python", "System"}
