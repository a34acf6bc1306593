"""The store: schema, sync columns, tombstones, time zones, and refusing what it cannot open."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

from db.errors import StoreError
from db.hlc import HybridLogicalClock, parse_stamp
from db.models import Contribution, Participant, Workshop
from db.store import Store


def _workshop(store: Store, title: str = "W") -> Workshop:
    with store.write() as s:
        w = Workshop(title=title, started_at=datetime(2026, 11, 22, 9, tzinfo=timezone(timedelta(hours=1))))
        s.add(w)
    return w


def test_rows_carry_sync_columns_and_versions_move_forward(store: Store) -> None:
    w = _workshop(store)
    assert w.hlc and w.origin == store.device_id and w.seq > 0
    first_hlc, first_seq = w.hlc, w.seq
    with store.write() as s:
        row = s.get(Workshop, w.id)
        assert row is not None
        row.title = "Renamed"
    with store.read() as s:
        again = s.get(Workshop, w.id)
        assert again is not None
        assert again.title == "Renamed"
        assert again.hlc > first_hlc and again.seq > first_seq
        assert again.updated_at.tzinfo is not None


def test_unchanged_rows_are_not_restamped(store: Store) -> None:
    w = _workshop(store)
    with store.write() as s:
        row = s.get(Workshop, w.id)
        assert row is not None
        row.title = row.title  # no real change
    with store.read() as s:
        assert s.get(Workshop, w.id).seq == w.seq  # type: ignore[union-attr]


def test_change_sequence_is_unique_per_row_in_one_transaction(store: Store) -> None:
    with store.write() as s:
        rows = [Workshop(title=f"W{i}", started_at=datetime.now(UTC)) for i in range(5)]
        s.add_all(rows)
    seqs = [r.seq for r in rows]
    assert len(set(seqs)) == 5


def test_timezones_round_trip_as_instants(store: Store) -> None:
    madrid = datetime(2026, 11, 22, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    w = _workshop(store)
    with store.write() as s:
        s.get(Workshop, w.id).started_at = madrid  # type: ignore[union-attr]
    with store.read() as s:
        got = s.get(Workshop, w.id).started_at  # type: ignore[union-attr]
    assert got.tzinfo is not None
    assert got == madrid
    assert got.astimezone(UTC).hour == 8


def test_naive_datetimes_are_refused(sqlite_store: Store) -> None:
    with pytest.raises(Exception, match="naive"), sqlite_store.write() as s:
        s.add(Workshop(title="x", started_at=datetime(2026, 1, 1, 9)))


def test_tombstones_are_hidden_unless_asked_for(store: Store) -> None:
    w = _workshop(store)
    with store.write() as s:
        s.get(Workshop, w.id).deleted_at = datetime.now(UTC)  # type: ignore[union-attr]
    with store.read() as s:
        assert s.scalars(select(Workshop)).all() == []
        assert len(s.scalars(select(Workshop).execution_options(include_deleted=True)).all()) == 1


def test_synced_rows_are_never_hard_deleted(store: Store) -> None:
    w = _workshop(store)
    with pytest.raises(StoreError, match="deleted_at"), store.write() as s:
        s.delete(s.get(Workshop, w.id))
    with store.read() as s:
        assert s.get(Workshop, w.id) is not None


def test_foreign_keys_are_enforced(store: Store) -> None:
    import uuid

    with pytest.raises(Exception), store.write() as s:  # noqa: B017 - driver-specific error type
        s.add(
            Contribution(
                workshop_id=uuid.uuid4(), participant_id=uuid.uuid4(), at=datetime.now(UTC)
            )
        )
    with store.read() as s:
        assert s.scalars(select(Contribution)).all() == []


def test_sqlite_is_wal_with_full_sync_and_foreign_keys(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_device_id_survives_reopening(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    a = Store.open(url)
    device = a.device_id
    w = _workshop(a)
    a.close()
    b = Store.open(url)
    assert b.device_id == device
    # the clock resumes past what was written, even if the wall clock went back
    assert b.clock.tick() > w.hlc


def test_store_newer_than_this_ripple_is_refused(store_url: str) -> None:
    s = Store.open(store_url)
    with s.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    s.close()
    with pytest.raises(StoreError, match="newer Ripple"):
        Store.open(store_url)


def test_a_database_that_is_not_a_ripple_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not a Ripple store"):
        Store.open(f"sqlite:///{path}")


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError, match=r"not a Ripple store|not a SQLite"):
        Store.open(f"sqlite:///{path}")
    assert path.read_text().startswith("these are my notes")


def test_missing_folder_gives_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(f"sqlite:///{tmp_path / 'nope' / 'x.db'}")


@pytest.mark.parametrize(
    "url, expected",
    [
        ("mysql://root@localhost/x", "cannot use"),
        ("not a url", "not a store address"),
        ("postgresql+psycopg2://u@h/d", "psycopg 3"),
    ],
)
def test_wrong_urls_are_explained(url: str, expected: str) -> None:
    with pytest.raises(StoreError, match=expected):
        Store.open(url)


def test_unreachable_server_is_explained_without_the_password() -> None:
    with pytest.raises(StoreError) as err:
        Store.open("postgresql+psycopg://trainer:s3cret@127.0.0.1:1/ripple")
    assert "could not reach" in str(err.value)
    assert "s3cret" not in str(err.value)


def test_missing_database_on_the_server_is_explained(pg_url: str) -> None:
    bad = pg_url.split("?")[0].rsplit("/", 1)[0] + "/no_such_ripple_db"
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(bad)


def test_unknown_user_on_a_reachable_server_is_not_called_unreachable(pg_url: str) -> None:
    rest = pg_url.split("://", 1)[1].split("@", 1)[1]
    with pytest.raises(StoreError) as err:
        Store.open(f"postgresql+psycopg://no_such_ripple_user@{rest}")
    assert "no such user" in str(err.value) and "could not reach" not in str(err.value)


def test_hlc_never_goes_backwards_and_moves_past_observed_stamps() -> None:
    wall = [1_000_000]
    clock = HybridLogicalClock("dev1", now_ms=lambda: wall[0])
    a = clock.tick()
    wall[0] -= 5_000  # the laptop's clock jumps back
    b = clock.tick()
    assert b > a
    future = "009999999999999-00000-dev2"
    clock.observe(future)
    c = clock.tick()
    assert c > future
    assert parse_stamp(c)[2] == "dev1"


def test_participant_emails_are_indexed_case_insensitively_in_use(store: Store) -> None:
    with store.write() as s:
        s.add(Participant(name="Ana", email="Ana@Example.com"))
    from app.planning.participants import find_participant_by_email

    with store.read() as s:
        assert find_participant_by_email(s, "ana@example.COM") is not None


def test_an_older_store_is_upgraded_on_open_keeping_its_rows(store_url: str) -> None:
    from db.connect import make_engine
    from db.migrate import head_revision, run_alembic

    engine = make_engine(store_url)
    run_alembic(engine, "upgrade", "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO change_counter (id, value) VALUES (1, 0)"))
    engine.dispose()
    s = Store.open(store_url)
    w = _workshop(s)
    assert s.schema_state() == (head_revision(), head_revision())
    with s.read() as session:
        assert session.get(Workshop, w.id) is not None
