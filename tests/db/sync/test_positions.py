"""Property: random adds, moves and deletes of agenda items (and regrouping) on two laptops,
synced in random orders, end with every store holding the same agenda at unique places
0, 1, 2, … (items and each item's groups), every item present once.

Why: two laptops adding an item at the end offline both put it at the same place; without
the merge's renumbering (db/sync/positions.py) the two stay tied for ever."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.errors import RippleError
from app.planning.agenda import add_agenda_item, delete_agenda_item, move_agenda_item, set_groups
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, load_plan
from db.models import AgendaGroup, AgendaItem, agenda_order
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.conftest import pg_schema_url
from tests.helpers.sync import state


@dataclass
class Seed:
    folder: Path
    workshop: uuid.UUID
    people: list[uuid.UUID]


@pytest.fixture(scope="module")
def seed() -> Iterator[Seed]:
    """A migrated laptop store and a seeded one (a workshop, three items, four people), copied
    per example (opening a fresh store costs 80 ms)."""
    folder = Path(tempfile.mkdtemp(prefix="ripple-pos-"))
    Store.open(f"sqlite:///{folder / 'laptop.db'}").close()
    store = Store.open(f"sqlite:///{folder / 'seed.db'}")
    wid = create_workshop(store, "Places lab")
    for i in range(3):
        add_agenda_item(store, wid, "challenge", f"Item {i}")
    people = [add_participant(store, wid, f"P{i}", email=f"p{i}@example.org") for i in range(4)]
    store.close()
    yield Seed(folder, wid, people)
    shutil.rmtree(folder, ignore_errors=True)


def _laptop(seed: Seed, folder: Path, name: str, src: str = "laptop.db") -> Store:
    dest = folder / f"{name}.db"
    shutil.copyfile(seed.folder / src, dest)
    with sqlite3.connect(dest) as con:
        con.execute("UPDATE store_meta SET value = ? WHERE key = 'device_id'", (name,))
    return Store.open(f"sqlite:///{dest}")


Op = tuple[str, int, int, int]
ops = st.lists(
    st.tuples(
        st.sampled_from(["add", "add", "move", "move", "move", "delete", "groups", "sync"]),
        st.integers(0, 1),  # which laptop
        st.integers(0, 5),  # which item (by its place on that laptop)
        st.integers(0, 6),  # a place, or how many groups
    ),
    min_size=3,
    max_size=24,
)


@dataclass
class World:
    laptops: list[Store]
    remote: Store
    workshop: uuid.UUID
    people: list[uuid.UUID]
    added: set[uuid.UUID] = field(default_factory=set)
    deleted: set[uuid.UUID] = field(default_factory=set)

    def apply(self, op: Op) -> None:
        kind, r, k, v = op
        store = self.laptops[r]
        if kind == "sync":
            sync(store, self.remote, batch_rows=1 + v)
            return
        items = [i.id for i in load_plan(store, self.workshop).agenda]
        try:
            if kind == "add":
                self.added.add(add_agenda_item(store, self.workshop, "challenge", f"New {r}.{v}", position=v))
            elif items and kind == "move":
                move_agenda_item(store, items[k % len(items)], v)
            elif items and kind == "delete":
                delete_agenda_item(store, items[k % len(items)])
                self.deleted.add(items[k % len(items)])
            elif items and kind == "groups":
                set_groups(store, items[k % len(items)], [self.people[g::v] for g in range(v)] if v else [])
        except RippleError:
            pass  # an item deleted meanwhile on this laptop


def _places(store: Store, workshop: uuid.UUID) -> tuple[list[tuple[uuid.UUID, int]], dict[uuid.UUID, list[int]]]:
    """(item, place) of the live items in the one order; each live item's group places."""
    with store.read() as s:
        items = [(i.id, i.position) for i in s.scalars(
            select(AgendaItem).where(AgendaItem.workshop_id == workshop).order_by(*agenda_order(AgendaItem)))]
        groups: dict[uuid.UUID, list[int]] = {}
        for g in s.scalars(select(AgendaGroup).where(AgendaGroup.agenda_item_id.in_([i for i, _ in items]))
                           .order_by(*agenda_order(AgendaGroup))):
            groups.setdefault(g.agenda_item_id, []).append(g.position)
    return items, groups


def _check(seed: Seed, remote_url: str, steps: list[Op], order: list[int]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="ripple-pos-ex-", dir=seed.folder))
    first = _laptop(seed, folder, "seeder", "seed.db")
    remote = open_remote(remote_url)
    sync(first, remote)
    first.close()
    laptops = [_laptop(seed, folder, f"laptop{i}") for i in range(2)]
    world = World(laptops, remote, seed.workshop, seed.people)
    try:
        for store in laptops:
            sync(store, remote)
        for step in steps:
            world.apply(step)
        for _round in range(2):
            for i in order:
                sync(laptops[i], remote, batch_rows=4)
        final = state(remote)
        for store in laptops:
            assert state(store) == final
        items, groups = _places(remote, seed.workshop)
        assert [p for _i, p in items] == list(range(len(items)))  # unique, dense, in order
        for places in groups.values():
            assert places == list(range(len(places)))
        ids = [i for i, _p in items]
        assert len(ids) == len(set(ids))
        assert world.added - world.deleted <= set(ids)  # every item present once
        assert not world.deleted & set(ids)
    finally:
        for store in laptops:
            store.close()
        remote.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops, order=st.permutations([0, 1]))
def test_agenda_places_end_unique_and_identical_on_a_shared_file(seed: Seed, steps: list[Op], order: list[int]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="ripple-pos-share-", dir=seed.folder))
    _check(seed, f"sqlite:///{folder / 'shared.db'}", steps, order)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops, order=st.permutations([0, 1]))
def test_agenda_places_end_unique_and_identical_on_postgresql(seed: Seed, steps: list[Op], order: list[int]) -> None:
    for url in pg_schema_url():
        _check(seed, url, steps, order)


def test_two_laptops_adding_at_the_end_offline_get_two_places(seed: Seed, tmp_path: Path) -> None:
    """The plain case, shown: both laptops add "at the end" (place 3) before either syncs."""
    remote_url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = _laptop(seed, tmp_path, "seeder", "seed.db")
    remote = open_remote(remote_url)
    sync(first, remote)
    first.close()
    a, b = _laptop(seed, tmp_path, "a"), _laptop(seed, tmp_path, "b")
    for store in (a, b):
        sync(store, remote)
    x = add_agenda_item(a, seed.workshop, "debrief", "A's debrief")
    y = add_agenda_item(b, seed.workshop, "break", "B's break")
    for store in (a, b, a):
        sync(store, remote)
    for store in (a, b, remote):
        items, _groups = _places(store, seed.workshop)
        assert [p for _i, p in items] == [0, 1, 2, 3, 4]
        assert {i for i, _p in items[3:]} == {x, y}
    assert _places(a, seed.workshop) == _places(b, seed.workshop) == _places(remote, seed.workshop)
    for store in (a, b):
        store.close()
    remote.close()
