"""What the role-play screens list: other role plays' cards to copy, and recorded rounds."""

from __future__ import annotations

from pathlib import Path

from app.roleplay.listing import recorded_rounds, scenarios_to_copy
from db.store import Store
from tests.helpers.roleplay import triad
from tests.helpers.roleplay_played import played


def test_cards_to_copy_leave_out_the_item_itself(sqlite_store: Store) -> None:
    one = triad(sqlite_store)
    two = triad(sqlite_store, card="difficult-customer-call")
    assert [c.id for c in scenarios_to_copy(sqlite_store, except_item=one.item)] == [two.scenario]
    every = scenarios_to_copy(sqlite_store)
    assert {c.id for c in every} == {one.scenario, two.scenario}
    assert all("Objections lab" in c.label and "Price objection" in c.label for c in every)


def test_only_recorded_rounds_are_listed(sqlite_store: Store, tmp_path: Path) -> None:
    p = played(sqlite_store, tmp_path / "clips")
    other = triad(sqlite_store)
    listed = recorded_rounds(sqlite_store)
    assert [r.id for r in listed] == [p.round_id] and listed[0].number == 1 and listed[0].group == 0
    assert "group 1, round 1" in listed[0].label and "Objections lab" in listed[0].label
    assert recorded_rounds(sqlite_store, other.workshop) == []
    assert [r.id for r in recorded_rounds(sqlite_store, p.t.workshop)] == [p.round_id]
