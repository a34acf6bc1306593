"""A share logged offline for someone erased elsewhere ends erased too, on every store.

Laptop A erases Ana (her anonymous rows move to a random id, the old id becomes an erased
tombstone); laptop B, offline, logs a share S for her, a reaction by her, puts her in a group
and on another workshop's roster, all under the old id. Whatever order they sync in, every
store ends with S and the rest deleted, nothing live on the old id, all of A's anonymised
shares still live (none lost to the race), and the same rows everywhere
(db/sync/erased_leftovers.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.clips.reactions import react
from app.erasure import erase_participant
from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item, set_groups
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from app.roleplay.ratings import rate
from db.models import SYNCED_MODELS, AgendaGroup, Contribution, Participant, Round
from db.store import Store
from db.sync.engine import sync
from db.sync.erased_leftovers import OWNED, REFERENCES, delete_erased_leftovers
from db.sync.remote import open_remote
from tests.helpers.roleplay import triad
from tests.helpers.sync import state


@dataclass
class World:
    a: Store
    b: Store
    remote: Store
    ana: uuid.UUID
    kept: set[uuid.UUID]  # Ana's shares the erasing store had (anonymised, must stay live)
    share: uuid.UUID | None = None  # S, logged on B offline

    def stores(self) -> tuple[Store, Store, Store]:
        return self.a, self.b, self.remote


def _world(remote_url: str, laptops: Callable[..., Store]) -> World:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid = create_workshop(a, "Failure circle")
    add_agenda_item(a, wid, "challenge", "Stories")
    ana = add_participant(a, wid, "Ana García", email="ana@example.org", team="North")
    ben = add_participant(a, wid, "Ben", email="ben@example.org")
    live = LiveWorkshop(a, wid)
    live.next()
    kept = {live.log(ana, "spontaneous", note=f"Story {i}").id for i in range(5)}
    live.log(ben, "prompted")
    sync(a, remote)
    sync(b, remote)
    return World(a, b, remote, ana, kept)


def _offline_on_b(w: World) -> None:
    """B, not yet aware of any erasure, logs for Ana under her old id."""
    with w.b.read() as s:
        contribution = s.scalars(select(Contribution)).first()
        assert contribution is not None
        wid, item = contribution.workshop_id, contribution.agenda_item_id
        ben_share = s.scalars(select(Contribution.id).where(Contribution.participant_id != w.ana)).one()
    lb = LiveWorkshop(w.b, wid)
    w.share = lb.log(w.ana, "prompted", note="Mentioned her manager, Ana García").id
    react(w.b, wid, "helpful", contribution_id=ben_share, participant_id=w.ana)
    ben = next(p for p in lb.plan.participants if p.id != w.ana).id
    assert item is not None
    set_groups(w.b, item, [[w.ana, ben]])
    other = create_workshop(w.b, "Second circle")
    assert add_participant(w.b, other, "Ana García", email="ana@example.org") == w.ana


def _check_no_race(w: World) -> None:
    """At every moment: none of the erasing store's anonymised shares is deleted anywhere."""
    for store in w.stores():
        with store.read() as s:
            rows = list(s.scalars(select(Contribution).where(Contribution.id.in_(w.kept))
                                  .execution_options(include_deleted=True)))
        assert all(r.deleted_at is None for r in rows), store.masked_url


def _live_on_old_id(store: Store, old: uuid.UUID) -> list[str]:
    found = []
    with store.read() as s:
        for model in SYNCED_MODELS:
            name = model.__tablename__  # type: ignore[attr-defined]
            for col in OWNED.get(name, ()) + REFERENCES.get(name, ()):
                for row in s.scalars(select(model).where(getattr(model, col) == old)):
                    found.append(f"{name}.{col} {row.id}")
        for group in s.scalars(select(AgendaGroup)):
            if str(old) in (group.members or []):
                found.append(f"agenda_groups {group.id}")
        for rnd in s.scalars(select(Round)):
            if any(c.get("participant") == str(old) for c in rnd.casting or []):
                found.append(f"rounds {rnd.id}")
    return found


def _settle(w: World) -> None:
    """One more sync each: a store that deletes a leftover pushes the tombstone in the same
    sync, so one round brings it to the other laptop."""
    for store in (w.a, w.b):
        sync(store, w.remote)
        _check_no_race(w)


def _assert_erased_everywhere(w: World) -> None:
    for store in w.stores():
        with store.read() as s:
            share = s.get(Contribution, w.share, execution_options={"include_deleted": True})
            assert share is not None and share.deleted_at is not None and share.note == "", store.masked_url
            kept = list(s.scalars(select(Contribution).where(Contribution.id.in_(w.kept))))
            assert len(kept) == len(w.kept)
            anonymous = {c.participant_id for c in kept}
            assert len(anonymous) == 1 and w.ana not in anonymous
            person = s.get(Participant, anonymous.pop())
            assert person is not None and person.erased_at is not None
        assert _live_on_old_id(store, w.ana) == [], store.masked_url
    assert state(w.a) == state(w.b) == state(w.remote)


ORDERS = {"b-then-a": "ba", "a-then-b": "ab", "both-and-again": "abab"}


@pytest.mark.parametrize("order", ORDERS.values(), ids=list(ORDERS))
def test_offline_share_for_an_erased_person_ends_erased(
    order: str, remote_url: str, laptops: Callable[..., Store]
) -> None:
    w = _world(remote_url, laptops)
    _offline_on_b(w)
    erase_participant(w.a, w.ana)
    for who in order:
        sync(w.a if who == "a" else w.b, w.remote)
        _check_no_race(w)
    # Whoever learned of both deleted S and sent the tombstone in that same sync.
    with w.remote.read() as s:
        share = s.get(Contribution, w.share, execution_options={"include_deleted": True})
        assert share is not None and share.deleted_at is not None
    _settle(w)
    _assert_erased_everywhere(w)
    w.remote.close()


def test_a_store_pulling_between_the_erasers_push_batches_deletes_nothing_it_moved(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    """A pushes its erasure two rows a batch; B syncs after every batch A lands. The erasure's
    tombstone and moves land in one remote transaction, so B never sees the tombstone with
    Ana's shares still on her old id (it would delete them: A's anonymised shares lost)."""
    w = _world(remote_url, laptops)
    _offline_on_b(w)
    erase_participant(w.a, w.ana)

    def b_syncs(stage: str, _done: int, _total: int) -> None:
        if stage == "push":
            sync(w.b, w.remote)
            _check_no_race(w)

    sync(w.a, w.remote, batch_rows=2, progress=b_syncs)
    _check_no_race(w)
    _settle(w)
    _assert_erased_everywhere(w)
    w.remote.close()


def test_an_erasure_made_on_the_shared_store_converges(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    """L&D erases on the shared store itself (``ripple --db … participant erase``)."""
    w = _world(remote_url, laptops)
    _offline_on_b(w)
    erase_participant(w.remote, w.ana)
    for store in (w.b, w.a):
        sync(store, w.remote)
        _check_no_race(w)
    _settle(w)
    _assert_erased_everywhere(w)
    w.remote.close()


def test_every_reference_to_a_person_is_classified() -> None:
    """A table added later with a column naming a participant must say whether the row is
    the person's own (deleted with their leftovers) or only mentions them."""
    found = {
        (m.__tablename__, fk.parent.name)  # type: ignore[attr-defined]
        for m in SYNCED_MODELS
        for fk in m.__table__.foreign_keys  # type: ignore[attr-defined]
        if fk.column.table.name == "participants"
    }
    classified = {(t, c) for d in (OWNED, REFERENCES) for t, cols in d.items() for c in cols}
    assert found == classified
    assert not any(set(OWNED.get(t, ())) & set(cols) for t, cols in REFERENCES.items())


def test_nothing_to_do_without_erasures(laptops: Callable[..., Store]) -> None:
    a = laptops("a")
    wid = create_workshop(a, "Plain")
    add_participant(a, wid, "Ben", email="ben@example.org")
    assert delete_erased_leftovers(a) == 0


def test_offline_role_play_casts_and_groups_leave_the_old_id(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    """B, offline, plans another triad with Ana (same e-mail, so her old id) and rates her in
    it: her cast slots and group place there go, A's rounds keep her anonymous id."""
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    known = triad(a)
    sync(a, remote)
    sync(b, remote)
    ana = known.people[0]
    offline = triad(b)
    assert offline.people[0] == ana
    rnd = next(r for r in offline.rounds if any(c.participant_id == ana for c in r.cast))
    other = next(c.participant_id for c in rnd.cast if c.participant_id != ana)
    rate(b, rnd.id, ana, "posture", 3, rater=other, comment="Ana slouched")
    erase_participant(a, ana)
    for store in (b, a, b, a):
        sync(store, remote)
    for store in (a, b, remote):
        assert _live_on_old_id(store, ana) == [], store.masked_url
        with store.read() as s:
            rounds = {r.id: r for r in s.scalars(select(Round))}
        for r in known.rounds:  # A's rounds: same cast size, Ana on her anonymous id
            cast = [c["participant"] for c in rounds[r.id].casting]
            assert len(cast) == len(r.cast) and str(ana) not in cast
    assert state(a) == state(b) == state(remote)
    remote.close()
