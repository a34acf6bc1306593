"""A state machine over the trust rules: three laptops (clocks up to 3 h off) and a shared
store; random field edits, contributions and deletes, consent grants (informed or from a
stale form) and withdrawals, exports and imports of old exports, syncs one at a time or two
at the same moment, in any order.

At the end, after everyone has synced: every laptop holds what the shared store holds; no
acknowledged contribution is lost or doubled and deletions stayed; every edited field holds
the value of its last edit by HLC (an import is never an edit); consent is what its events
decide, withdrawal-wins, with every recorded event kept; every export imports.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule
from sqlalchemy import select

from app.planning.agenda import add_agenda_item
from app.planning.participants import (
    add_participant,
    set_consent,
    update_participant,
    withdrawals_known,
)
from app.planning.workshops import create_workshop, update_workshop
from app.portable.apply import import_workshop
from app.portable.write import export_workshop
from db.consent import SCOPES, decide, events_of
from db.merge import field_version, parse_versions
from db.models import ConsentEvent, Contribution, Participant, Workshop
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.sync import skew_clock, state

HOUR_MS = 3_600_000
PEOPLE = 3
FIELDS = (("workshops", "title"), ("workshops", "notes"), ("workshops", "location"),
          ("participants", "team"), ("participants", "name"))


@cache
def _templates() -> tuple[Path, uuid.UUID, uuid.UUID, tuple[uuid.UUID, ...]]:
    """Migrated store files, copied per example (opening a fresh store costs ~80 ms)."""
    folder = Path(tempfile.mkdtemp(prefix="ripple-sm-"))
    Store.open(f"sqlite:///{folder / 'laptop.db'}").close()
    seed = Store.open(f"sqlite:///{folder / 'seed.db'}")
    wid = create_workshop(seed, "Trust lab")
    item = add_agenda_item(seed, wid, "challenge", "Opening")
    people = tuple(add_participant(seed, wid, f"P{i}", email=f"p{i}@example.org") for i in range(PEOPLE))
    remote = open_remote(f"sqlite:///{folder / 'shared.db'}")
    sync(seed, remote)
    remote.close()
    seed.close()
    return folder, wid, item, people


def _copy(src: Path, dest: Path, device: str | None = None) -> str:
    shutil.copyfile(src, dest)
    if device is not None:
        with sqlite3.connect(dest) as con:
            con.execute("UPDATE store_meta SET value = ? WHERE key = 'device_id'", (device,))
    return f"sqlite:///{dest}"


class TrustRules(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder, self.wid, self.item, self.people = _templates()
        self.work = Path(tempfile.mkdtemp(prefix="ex-", dir=self.folder))
        self.remote = open_remote(_copy(self.folder / "shared.db", self.work / "shared.db"))
        self.laptops: list[Store] = []
        self.logged: set[uuid.UUID] = set()
        self.deleted: set[uuid.UUID] = set()
        self.edits: dict[tuple[str, uuid.UUID, str], dict[str, Any]] = {}  # field -> {stamp: value}
        self.events: set[uuid.UUID] = set()
        self.exports: list[Path] = []

    @initialize(skews=st.tuples(*(st.sampled_from([0, 3 * HOUR_MS, -3 * HOUR_MS]) for _ in range(3))))
    def open_laptops(self, skews: tuple[int, int, int]) -> None:
        for i, skew in enumerate(skews):
            store = Store.open(_copy(self.folder / "laptop.db", self.work / f"l{i}.db", f"laptop{i}"))
            if skew:
                skew_clock(store, skew)
            sync(store, self.remote)
            self.laptops.append(store)

    # ------------------------------------------------------------ what people do

    @rule(r=st.integers(0, 2), f=st.integers(0, len(FIELDS) - 1), k=st.integers(0, PEOPLE - 1),
          v=st.integers(0, 9))
    def edit(self, r: int, f: int, k: int, v: int) -> None:
        table, column = FIELDS[f]
        store = self.laptops[r]
        value = f"{column} {r}.{v}"
        if table == "workshops":
            update_workshop(store, self.wid, **{column: value})
            ident, model = self.wid, Workshop
        else:
            ident, model = self.people[k], Participant
            update_participant(store, ident, **{column: value})
        with store.read() as s:
            row = s.get(model, ident)
            assert row is not None and getattr(row, column) == value
            stamp = field_version({"hlc": row.hlc}, parse_versions(row.versions), column)
        self.edits.setdefault((table, ident, column), {})[stamp] = value

    @rule(r=st.integers(0, 2), k=st.integers(0, PEOPLE - 1))
    def log(self, r: int, k: int) -> None:
        row = self.laptops[r].append(Contribution, {
            "workshop_id": self.wid, "agenda_item_id": self.item, "participant_id": self.people[k],
            "at": datetime.now(UTC), "kind": "story", "initiative": "spontaneous"})
        self.logged.add(row["id"])

    @rule(r=st.integers(0, 2), k=st.integers(0, 50))
    def delete(self, r: int, k: int) -> None:
        store = self.laptops[r]
        with store.write() as s:
            mine = sorted(s.scalars(select(Contribution.id)))
            if mine:
                row = s.get(Contribution, mine[k % len(mine)])
                assert row is not None
                row.deleted_at = datetime.now(UTC)
                self.deleted.add(row.id)

    @rule(r=st.integers(0, 2), k=st.integers(0, PEOPLE - 1), scope=st.sampled_from(SCOPES),
          granted=st.booleans(), informed=st.booleans())
    def consent(self, r: int, k: int, scope: str, granted: bool, informed: bool) -> None:
        store, pid = self.laptops[r], self.people[k]
        with store.read() as s:
            seen = withdrawals_known(s, [pid]).get(pid, frozenset()) if informed else frozenset()
        set_consent(store, pid, **{scope: granted}, by=f"laptop {r}", seen=seen)
        with store.read() as s:
            self.events |= set(s.scalars(select(ConsentEvent.id).where(ConsentEvent.participant_id == pid)))

    @rule(r=st.integers(0, 2))
    def export(self, r: int) -> None:
        out = self.work / f"export-{len(self.exports)}.json"
        export_workshop(self.laptops[r], self.wid, out)
        self.exports.append(out)

    @rule(r=st.integers(0, 2), k=st.integers(0, 9))
    def import_old(self, r: int, k: int) -> None:
        if self.exports:
            import_workshop(self.laptops[r], self.exports[k % len(self.exports)])

    @rule(r=st.integers(0, 2), batch=st.integers(1, 7))
    def sync_one(self, r: int, batch: int) -> None:
        sync(self.laptops[r], self.remote, batch_rows=batch)

    @rule(pair=st.sampled_from([(0, 1), (1, 2), (0, 2)]))
    def sync_together(self, pair: tuple[int, int]) -> None:
        errors: list[BaseException] = []

        def run(i: int) -> None:
            try:
                remote = open_remote(self.remote.url, create=False)
                try:
                    sync(self.laptops[i], remote, batch_rows=3)
                finally:
                    remote.close()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(i,)) for i in pair]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors

    # ------------------------------------------------------------ the end

    def teardown(self) -> None:
        try:
            if len(self.laptops) == 3:
                self._converge_and_check()
        finally:
            for store in self.laptops:
                store.close()
            self.remote.close()
            shutil.rmtree(self.work, ignore_errors=True)

    def _converge_and_check(self) -> None:
        # Every laptop syncs in turn, twice, and then every store holds the same bytes. In
        # the first round each push meets everything pushed before it; the second brings the
        # last pushes to the laptops that synced earlier. That needs a merge's new version
        # to be later than both versions it merges (db/hlc.py tick(*after)): the shared
        # store's clock is the pusher's process's, which had not seen what other processes
        # wrote there, and the older new version it made took a third round to settle
        # (test_three_rounds_case_settles_in_two, issue #10). No ceiling beyond two rounds
        # is kept: a third round needed would be a divergence.
        for _round in range(2):
            for store in self.laptops:
                sync(store, self.remote, batch_rows=5)
        final = state(self.remote)
        for store in self.laptops:
            assert state(store) == final
        with self.remote.read() as s:
            every = {c.id: c for c in s.scalars(select(Contribution).execution_options(include_deleted=True))}
            assert self.logged <= set(every)
            assert {i for i in self.logged if every[i].deleted_at is not None} == self.deleted & self.logged
            for (table, ident, column), stamps in self.edits.items():
                model = Workshop if table == "workshops" else Participant
                row = s.get(model, ident)
                assert row is not None
                assert getattr(row, column) == stamps[max(stamps)], (table, column)
            people = {p.id: p for p in s.scalars(select(Participant))}
            events = events_of(s.connection(), list(self.people))
            assert self.events <= {e.id for evs in events.values() for e in evs}
            for pid in self.people:
                for scope in SCOPES:
                    # PRODUCT.md's rule, said again here: granted iff some grant has seen
                    # every withdrawal of the scope (whatever the clocks and the order).
                    mine = [e for e in events.get(pid, []) if e.scope == scope]
                    withdrawn = {e.id for e in mine if not e.granted}
                    expected = any(e.granted and withdrawn <= e.seen for e in mine)
                    assert decide(mine, scope).granted is expected
                    assert getattr(people[pid], f"consent_{scope}") is expected, (pid, scope)
        for n, path in enumerate(self.exports):
            fresh = Store.open(_copy(self.folder / "laptop.db", self.work / f"fresh{n}.db"))
            try:
                import_workshop(fresh, path)
            finally:
                fresh.close()


TrustRules.TestCase.settings = settings(
    # RIPPLE_STATE_MACHINE_EXAMPLES: more examples for a local hunt (the suite runs 12).
    max_examples=int(os.environ.get("RIPPLE_STATE_MACHINE_EXAMPLES", "12")), stateful_step_count=18, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_trust_rules = TrustRules.TestCase


def _three_rounds_case() -> TrustRules:
    """The case hypothesis found (seed 2): laptop 0 three hours ahead, 0 and 2 syncing at the
    same moment, old exports imported, consent withdrawn with and without having seen it."""
    s = TrustRules()
    s.open_laptops(skews=(3 * HOUR_MS, 0, 0))
    s.delete(k=21, r=0)
    s.edit(f=0, k=0, r=0, v=8)
    s.import_old(k=9, r=2)
    s.log(k=0, r=2)
    s.export(r=1)
    s.sync_together(pair=(0, 2))
    s.consent(granted=False, informed=True, k=2, r=1, scope="analytics")
    s.export(r=2)
    s.consent(granted=False, informed=False, k=2, r=2, scope="video")
    s.export(r=1)
    s.edit(f=0, k=2, r=1, v=0)
    s.import_old(k=8, r=0)
    s.import_old(k=1, r=0)
    s.edit(f=4, k=1, r=1, v=6)
    s.consent(granted=False, informed=False, k=0, r=0, scope="analytics")
    s.export(r=0)
    s.consent(granted=False, informed=True, k=2, r=1, scope="analytics")
    return s


def test_three_rounds_case() -> None:
    """Converges, every rule holds (the teardown's checks)."""
    _three_rounds_case().teardown()


def test_three_rounds_case_settles_in_two() -> None:
    """Issue #10: the shared store merged laptop 1's older title into laptop 0's newer one
    with a new version stamped by a clock (this process's handle on the shared file) that
    had not seen laptop 0's stamp, pushed through another handle: the new version was older
    than the row it replaced, so laptops holding laptop 0's version each made another one,
    and those travelled a third round. Now a merge's new version is later than both sides
    and two rounds settle every stamp."""
    s = _three_rounds_case()
    try:
        for _round in range(2):
            for store in s.laptops:
                sync(store, s.remote, batch_rows=5)
        final = state(s.remote)
        assert all(state(store) == final for store in s.laptops)
    finally:
        for store in s.laptops:
            store.close()
        s.remote.close()
        shutil.rmtree(s.work, ignore_errors=True)
