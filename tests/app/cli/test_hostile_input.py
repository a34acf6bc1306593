"""The command line against hostile input: one sentence, exit 1, nothing changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from app.cli import main
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, list_workshops
from db.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def test_workshop_export_onto_the_store_is_refused_and_the_store_survives(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str) -> None:
    store = Store.open(db)
    wid = create_workshop(store, "Keep me")
    store.close()
    before = (tmp_path / "store.db").read_bytes()
    link = tmp_path / "export.json"
    link.symlink_to(tmp_path / "store.db")
    for out in (tmp_path / "store.db", tmp_path / "store.db-wal", link):
        code, _out, err = run(capsys, "--db", db, "workshop", "export", str(wid)[:8], "--out", str(out))
        assert code == 1 and "Ripple's own store" in err and "\n" not in err.strip()
    code, _out, err = run(capsys, "--db", db, "export", "candidates", "--out", str(tmp_path / "store.db"),
                          "--format", "csv")
    assert code == 1 and ("Ripple's own store" in err or "does not match the file name" in err)
    assert (tmp_path / "store.db").read_bytes() == before
    store = Store.open(db)
    assert [w.title for w in list_workshops(store)] == ["Keep me"]
    store.close()


def test_export_candidates_onto_the_store_with_a_matching_name(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    store_path = tmp_path / "store.csv"  # a store whose name looks like an export
    db = f"sqlite:///{store_path}"
    store = Store.open(db)
    create_workshop(store, "Keep me")
    store.close()
    before = store_path.read_bytes()
    code, _out, err = run(capsys, "--db", db, "export", "candidates", "--out", str(store_path))
    assert code == 1 and "Ripple's own store" in err
    assert store_path.read_bytes() == before


def test_the_format_must_match_the_file_name(capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str) -> None:
    Store.open(db).close()
    code, _out, err = run(capsys, "--db", db, "export", "candidates", "--format", "csv", "--out",
                          str(tmp_path / "f.xlsx"))
    assert code == 1 and "--format csv does not match the file name f.xlsx" in err
    assert not (tmp_path / "f.xlsx").exists()


def test_escape_codes_in_names_are_shown_not_obeyed(capsys: pytest.CaptureFixture[str], db: str) -> None:
    store = Store.open(db)
    wid = create_workshop(store, "Title")
    store.close()
    with Store.open(db).writer.begin() as conn:  # as an older Ripple let them in
        conn.exec_driver_sql("UPDATE workshops SET title = ? WHERE id = ?",
                             ("Evil\x1b]0;pwned\x07\x1b[2J\u202e", wid.hex))
    code, out, _err = run(capsys, "--db", db, "workshop", "list")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "Evil\\u001b]0;pwned\\u0007\\u001b[2J\\u202e" in out
    code, out, _err = run(capsys, "--db", db, "workshop", "list", "--json")
    assert code == 0 and "\x1b" not in out and "Evil" in out


def test_new_names_with_escape_codes_are_refused_naming_the_field(capsys: pytest.CaptureFixture[str],
                                                                  db: str) -> None:
    code, _out, err = run(capsys, "--db", db, "workshop", "new", "Title", "--facilitator", "Marta\x1b[31m")
    assert code == 1 and "A workshop's facilitator holds a control character (U+001B)" in err
    code, _out, err = run(capsys, "--db", db, "workshop", "new", "Title", "--team", "T" * 300)
    assert code == 1 and "A workshop's team is longer than 200 characters (300)" in err
    store = Store.open(db)
    assert list_workshops(store) == []
    store.close()


@pytest.mark.parametrize(
    "url, message",
    [("postgresql://u@h:abc/db", "host or port"), ("postgresql://u@[::1/db", "host or port"),
     ("postgresql+psycopg://u:secret@h:99999/db", "not a port")],
)
def test_a_bad_port_or_host_is_one_sentence(capsys: pytest.CaptureFixture[str], url: str, message: str) -> None:
    code, _out, err = run(capsys, "--db", url, "workshop", "list")
    assert code == 1 and message in err and "secret" not in err and "Traceback" not in err


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31T23:59+00:00"])
def test_dates_at_the_edge_of_the_calendar_are_refused(capsys: pytest.CaptureFixture[str], db: str,
                                                       date: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", db, "workshop", "new", "T", "--date", date])
    assert exc.value.code == 2
    assert "outside the years 1970–2199" in capsys.readouterr().err


def test_a_far_future_workshop_lists_east_of_utc(capsys: pytest.CaptureFixture[str], db: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(db)
    wid = create_workshop(store, "Far")
    store.close()
    with Store.open(db).writer.begin() as conn:  # written before dates were checked
        conn.exec_driver_sql("UPDATE workshops SET started_at = '9999-12-31 23:30:00.000000' WHERE id = ?",
                             (wid.hex,))
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        code, out, err = run(capsys, "--db", db, "workshop", "list")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert code == 0 and "9999-12-31" in out and "Far" in out, err


def test_a_roster_with_a_broken_quote_names_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     db: str) -> None:
    store = Store.open(db)
    wid = create_workshop(store, "W")
    add_participant(store, wid, "Already here")
    store.close()
    roster = tmp_path / "r.csv"
    roster.write_text('name,email\nAna,ana@example.com\n"Mei,mei@example.com\nKen,ken@example.com\n')
    code, _out, err = run(capsys, "--db", db, "roster", "import", str(roster), "--workshop", str(wid))
    assert code == 1 and "Line 3 of the roster opens a quote" in err
    code, _out, err = run(capsys, "--db", db, "roster", "import", "/dev/zero", "--workshop", str(wid))
    assert code == 1 and "device or a pipe" in err
    store = Store.open(db)
    assert [w.participants for w in list_workshops(store)] == [1]
    store.close()
    assert os.path.exists(tmp_path / "store.db")
