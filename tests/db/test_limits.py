"""The one table of limits (db/limits.py): it agrees with the columns, every ORM write and
every tap is held to it, and a push that meets an old row breaking it says which record and
field, repairs it, and sends the rest (one bad row blocked every sync for ever)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import String, Text, update

from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, load_plan
from db import limits
from db.models import SYNCED_MODELS, Participant, Workshop
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.sync import state


def test_the_table_agrees_with_the_columns() -> None:
    for model in SYNCED_MODELS:
        table = model.__table__  # type: ignore[attr-defined]
        for col in table.columns:
            limit = limits.LIMITS.get(table.name, {}).get(col.name)
            if limit is None:
                continue
            if isinstance(col.type, String) and not isinstance(col.type, Text) and col.type.length:
                assert limit.max_len == col.type.length, (table.name, col.name)
                assert not limit.multiline, (table.name, col.name)
            else:
                assert isinstance(col.type, Text) and limit.multiline, (table.name, col.name)
    for table, cols in limits.LIMITS.items():
        names = {m.__tablename__ for m in SYNCED_MODELS}  # type: ignore[attr-defined]
        assert table in names and table in limits.RECORD
        assert cols


@pytest.mark.parametrize(
    "value, ok",
    [("Ana", True), ("A" * 200, True), ("A" * 201, False), ("Ana\x00", False), ("Ana\x1b[2J", False),
     ("Ana\nLopez", False), ("Ana\u009b", False), ("Ana Lopez\u00e9", True)],
)
def test_single_line_text(value: str, ok: bool) -> None:
    assert (limits.problem("participants", "name", value) is None) is ok


def test_long_text_allows_newlines_and_tabs_only() -> None:
    assert limits.problem("contributions", "note", "line one\n\tline two") is None
    assert "control character (U+0007)" in (limits.problem("contributions", "note", "bell\x07") or "")
    assert "longer than 20,000" in (limits.problem("contributions", "note", "x" * 20_001) or "")


@given(st.lists(st.none() | st.text(max_size=210) | st.integers(), max_size=8),
       st.sampled_from([("participants", "name"), ("contributions", "note"), ("workshops", "notes")]))
def test_a_column_said_surely_fine_has_no_value_with_a_problem(values: list[object], field: tuple[str, str]) -> None:
    # The push's quick test of a whole column (surely_fine) may only ever skip columns
    # where the row-by-row check finds nothing.
    table, column = field
    if limits.surely_fine(table, column, values):
        assert all(limits.problem(table, column, v) is None for v in values)


def test_the_usual_column_is_surely_fine_and_one_bad_value_is_not() -> None:
    names = ["Ana", "Bo Lee", None, "A" * 200]
    assert limits.surely_fine("participants", "name", names)
    assert not limits.surely_fine("participants", "name", [*names, "A" * 201])
    assert not limits.surely_fine("participants", "name", [*names, "Ana\x00"])
    assert limits.surely_fine("clips", "no_such_column", ["\x00"])


def test_every_orm_write_is_held_to_the_limits(sqlite_store: Store) -> None:
    wid = create_workshop(sqlite_store, "Limits")
    with (pytest.raises(limits.LimitError, match="A workshop's team is longer than 200 characters") as err,
          sqlite_store.write() as s):
        w = s.get(Workshop, wid)
        assert w is not None
        w.team = "T" * 300
    assert (err.value.table, err.value.column) == ("workshops", "team")
    assert load_plan(sqlite_store, wid).team == ""


def test_a_tap_is_held_to_the_limits(sqlite_store: Store) -> None:
    wid = create_workshop(sqlite_store, "Limits")
    add_agenda_item(sqlite_store, wid, "challenge", "One")
    pid = add_participant(sqlite_store, wid, "Ana")
    live = LiveWorkshop(sqlite_store, wid)
    with pytest.raises(limits.LimitError, match="note holds a control character"):
        live.log(pid, note="hi\x00")
    assert live.contributions() == []
    assert live.log(pid, note="fine\nreally").note == "fine\nreally"


def test_a_push_repairs_an_old_bad_row_names_it_and_sends_the_rest(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid = create_workshop(a, "Old store")
    ana = add_participant(a, wid, "Ana", email="ana@example.org")
    ben = add_participant(a, wid, "Ben")
    with a.writer.begin() as conn:  # what an older Ripple let in, straight into the store
        conn.execute(update(Participant.__table__).where(Participant.id == ana)
                     .values(team="T" * 300, name="Ana\x00Lopez"))
    report = sync(a, remote)
    text = report.summary()
    assert f"The participant {ana.hex[:8]}: the team is longer than 200 characters (300)" in text
    assert f"The participant {ana.hex[:8]}: the name holds a control character (U+0000)" in text
    sync(b, remote)
    people = {p.id: p for p in load_plan(b, wid).participants}
    assert people[ana].name == "AnaLopez" and people[ana].team == "T" * 200
    assert people[ben].name == "Ben"
    sync(a, remote)
    assert state(a) == state(b)
    assert "cut to fit" not in sync(a, remote).summary()  # repaired once, for good


def test_the_shared_stores_address_is_kept_without_any_secret(tmp_path: object) -> None:
    from db.sync.remote import address_of

    kept = address_of("postgresql+psycopg://trainer:pw@db.example.org:5433/ripple"
                      "?sslmode=require&sslpassword=key-secret&PASSWORD=other&application_name=x")
    assert "pw" not in kept.replace("ripple", "") and "key-secret" not in kept and "other" not in kept
    assert "sslmode=require" in kept and "application_name=x" in kept and "trainer@db.example.org:5433" in kept
