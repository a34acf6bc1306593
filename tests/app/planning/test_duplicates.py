"""Walk-ins without an e-mail added on two laptops are two rows; merging them is one person
everywhere after sync, with every contribution, clip, reaction, consent event, membership and
group place of both."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import RippleError
from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item, set_groups
from app.planning.duplicates import duplicate_pairs, follow_merges, merge_people
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop, load_plan
from db.models import Clip, ConsentEvent, Contribution, Reaction
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.sync import add_clip, clips_root, state


def test_two_walk_ins_named_alike_merge_and_the_merge_syncs(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid = create_workshop(a, "Negotiation lab")
    item = add_agenda_item(a, wid, "challenge", "Pairs")
    ben = add_participant(a, wid, "Ben", email="ben@example.org")
    sync(a, remote)
    sync(b, remote)
    # The same walk-in, typed on each laptop, offline: two ids.
    walk_a = add_participant(a, wid, "Hana Sato", team="Ops")
    walk_b = add_participant(b, wid, "hana  sato")
    LiveWorkshop(a, wid).log(walk_a, "spontaneous")
    shared = LiveWorkshop(b, wid).log(walk_b, "prompted")
    set_consent(b, walk_b, video=True, analytics=True, by="Marta")
    _clip, _sha = add_clip(b, wid, walk_b, clips_root(tmp_path, "b"))
    b.append(Reaction, {"workshop_id": wid, "at": datetime.now(UTC), "participant_id": walk_b,
                        "contribution_id": shared.id, "kind": "helpful"})
    set_groups(b, item, [[walk_b, ben]])
    for store in (a, b):
        sync(store, remote)
    sync(a, remote)

    pairs = duplicate_pairs(load_plan(a, wid).participants)
    assert [{p.id for p in pair} for pair in pairs] == [{walk_a, walk_b}]
    expected = walk_a if _made_first(a, walk_a, walk_b) else walk_b
    keep = merge_people(a, wid, walk_b, walk_a)
    assert keep == expected
    gone = walk_b if keep == walk_a else walk_a
    # Meanwhile B, not yet synced, logs once more for its Hana.
    late = LiveWorkshop(b, wid).log(walk_b, "spontaneous").id
    for _ in range(2):
        sync(a, remote)
        sync(b, remote)
        follow_merges(b)
        sync(b, remote)
    sync(a, remote)
    assert state(a) == state(b) == state(remote)

    for store in (a, b):
        plan = load_plan(store, wid)
        hanas = [p for p in plan.participants if "hana" in p.name.casefold()]
        assert [p.id for p in hanas] == [keep] and hanas[0].team == "Ops"
        assert duplicate_pairs(plan.participants) == []
        with store.read() as s:
            owners = {c.participant_id for c in s.scalars(select(Contribution))}
            assert owners == {keep} and s.get(Contribution, late) is not None
            assert {c.participant_id for c in s.scalars(select(Clip))} == {keep}
            assert {r.participant_id for r in s.scalars(select(Reaction))} == {keep}
            assert {e.participant_id for e in s.scalars(select(ConsentEvent))} == {keep}
        assert hanas[0].consent.video and hanas[0].consent.analytics
        assert set(plan.agenda[0].groups[0].members) == {keep, ben}
        assert gone not in {p.id for p in plan.participants}
    remote.close()


def _made_first(store: Store, x: uuid.UUID, y: uuid.UUID) -> bool:
    from db.models import Participant

    with store.read() as s:
        px, py = s.get(Participant, x), s.get(Participant, y)
        assert px is not None and py is not None
        return (px.created_at, px.id.hex) <= (py.created_at, py.id.hex)


def test_two_laptops_merging_the_same_pair_at_once_keep_one_person(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid = create_workshop(a, "Negotiation lab")
    one, two = add_participant(a, wid, "Ana"), add_participant(a, wid, "ANA ")
    sync(a, remote)
    sync(b, remote)
    assert merge_people(a, wid, one, two) == merge_people(b, wid, two, one)
    for _ in range(2):
        sync(a, remote)
        sync(b, remote)
    assert [p.name for p in load_plan(a, wid).participants] == ["Ana"]
    assert state(a) == state(b)
    remote.close()


def test_people_who_are_not_one_are_refused(laptops: Callable[..., Store]) -> None:
    a = laptops("a")
    wid = create_workshop(a, "Negotiation lab")
    x = add_participant(a, wid, "Sam", email="sam@example.org")
    y = add_participant(a, wid, "Sam", email="sam.other@example.org")
    assert duplicate_pairs(load_plan(a, wid).participants) == []
    with pytest.raises(RippleError, match="have different e-mails, so they are two people"):
        merge_people(a, wid, x, y)
    with pytest.raises(RippleError, match="same person twice"):
        merge_people(a, wid, x, x)
    other = create_workshop(a, "Elsewhere")
    z = add_participant(a, other, "Sam")
    with pytest.raises(RippleError, match="Only two people on this workshop's roster"):
        merge_people(a, wid, x, z)
    assert {p.email for p in load_plan(a, wid).participants} == {"sam@example.org", "sam.other@example.org"}
