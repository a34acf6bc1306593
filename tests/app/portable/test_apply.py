"""Applying the portable file: idempotent, all-or-nothing, one person per e-mail, live state kept."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from app.portable.apply import import_workshop
from app.portable.spec import PortableError
from app.portable.write import export_workshop
from db.models import Contribution, Workshop
from db.store import Store
from tests.helpers.portable import (
    TOKYO,
    contribution,
    doc,
    item,
    logged_workshop,
    max_seq,
    person,
    row_counts,
    write,
)


def test_import_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    wid = logged_workshop(store)
    path = export_workshop(store, wid, tmp_path / "w.json").path
    target = Store.open(f"sqlite:///{tmp_path / 't.db'}")
    import_workshop(target, path)
    counts, seq = row_counts(target), max_seq(target)
    second = import_workshop(target, path)
    assert second.changes.total == 0 and "nothing changed" in second.summary()
    assert row_counts(target) == counts and max_seq(target) == seq


def test_the_summary_counts_in_words(sqlite_store: Store, tmp_path: Path) -> None:
    # It said "1 scenarios" and "1 participants": the section names, whatever the count.
    ana = person("Ana")
    it = item()
    d = doc(people=[ana], agenda=[it], contributions=[
        contribution(ana["id"], it["id"], datetime(2026, 11, 22, 9, 5, tzinfo=TOKYO))])
    said = import_workshop(sqlite_store, write(tmp_path / "w.json", d)).summary()
    assert said == "Imported “Sprint”: added 1 agenda item, 1 contribution, 1 participant, 1 workshop."


def test_other_time_zones_are_the_same_instants(sqlite_store: Store, tmp_path: Path) -> None:
    p, it = person("Ana"), item()
    when = datetime(2026, 11, 22, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    d = doc(people=[p], agenda=[it], contributions=[contribution(p["id"], it["id"], when)])
    import_workshop(sqlite_store, write(tmp_path / "in.json", d))
    with sqlite_store.read() as s:
        got = s.scalars(select(Contribution)).one().at
    assert got == when


def test_a_late_failure_rolls_back_the_whole_import(sqlite_store: Store, tmp_path: Path) -> None:
    """Even when the database itself refuses a row mid-way, nothing of the file stays."""
    a, it = person("Ana"), item()
    d = doc(people=[a], agenda=[it], contributions=[
        contribution(a["id"], it["id"], datetime(2026, 11, 22, 9, 5, tzinfo=TOKYO))])
    # A contribution id that already exists in another workshop, with a different workshop id.
    other = create_workshop(sqlite_store, "Other")
    pid = add_participant(sqlite_store, other, "Zed")
    add_agenda_item(sqlite_store, other, "challenge", "C")
    live = LiveWorkshop(sqlite_store, other)
    existing = live.log(pid)
    d["contributions"][0]["id"] = str(existing.id)
    d["contributions"][0]["participant"] = a["id"]
    before, seq = row_counts(sqlite_store), max_seq(sqlite_store)
    with pytest.raises(PortableError, match=r"contributions\[0\].*belongs to another workshop"):
        import_workshop(sqlite_store, write(tmp_path / "clash.json", d))
    assert row_counts(sqlite_store) == before and max_seq(sqlite_store) == seq


def test_same_email_under_another_id_is_the_same_person(sqlite_store: Store, tmp_path: Path) -> None:
    wid = create_workshop(sqlite_store, "Local")
    local_id = add_participant(sqlite_store, wid, "Ana", email="ana@example.com")
    p, it = person("Ana P.", email="ANA@example.com"), item()
    d = doc(people=[p], agenda=[it], contributions=[
        contribution(p["id"], it["id"], datetime(2026, 11, 22, 9, 5, tzinfo=TOKYO))])
    path = write(tmp_path / "in.json", d)
    import_workshop(sqlite_store, path)
    assert import_workshop(sqlite_store, path).changes.total == 0
    with sqlite_store.read() as s:
        assert s.scalars(select(Contribution)).one().participant_id == local_id


def test_workshop_row_state_is_not_overwritten_by_an_old_file(sqlite_store: Store, tmp_path: Path) -> None:
    wid = logged_workshop(sqlite_store)
    path = export_workshop(sqlite_store, wid, tmp_path / "w.json").path
    LiveWorkshop(sqlite_store, wid).finish()
    import_workshop(sqlite_store, path)
    with sqlite_store.read() as s:
        assert s.get(Workshop, wid).status == "finished"  # type: ignore[union-attr]
