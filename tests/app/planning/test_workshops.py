"""Planning: workshops, agenda items, participants, consent and groups."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from app.errors import NotFound, RippleError
from app.planning import workshops as W
from app.planning.templates import TEMPLATES, create_from_template
from app.planning.views import Consent
from db.store import Store

MADRID = timezone(timedelta(hours=1))


def test_create_edit_duplicate_delete(store: Store) -> None:
    wid = W.create_workshop(store, "Objections", facilitator="Marta", team="Sales",
                            started_at=datetime(2026, 11, 24, 9, 30, tzinfo=MADRID))
    W.add_agenda_item(store, wid, "challenge", "Objection cards", instructions="Groups of 3", minutes=20)
    pid = W.add_participant(store, wid, "Constanza García", email="c.garcia@example.com")
    W.update_workshop(store, wid, title="Objections, round 2", location="Room 4")
    plan = W.load_plan(store, wid)
    assert plan.title == "Objections, round 2" and plan.location == "Room 4"
    assert plan.utc_offset_min == 60
    copy = W.duplicate_workshop(store, wid)
    copied = W.load_plan(store, copy)
    assert copied.title.endswith("(copy)")
    assert [a.title for a in copied.agenda] == ["Objection cards"]
    assert [p.id for p in copied.participants] == [pid]
    assert copied.agenda[0].id != plan.agenda[0].id
    W.delete_workshop(store, wid)
    assert [w.id for w in W.list_workshops(store)] == [copy]
    with pytest.raises(NotFound):
        W.load_plan(store, wid)


def test_every_agenda_kind_with_order_and_moves(store: Store) -> None:
    wid = W.create_workshop(store, "All kinds")
    ids = [W.add_agenda_item(store, wid, k, k.title(), minutes=5) for k in
           ("challenge", "role_play", "debrief", "clip_round", "break")]
    W.move_agenda_item(store, ids[4], 0)
    assert [a.kind for a in W.load_plan(store, wid).agenda] == [
        "break", "challenge", "role_play", "debrief", "clip_round"]
    W.update_agenda_item(store, ids[0], minutes=25, instructions="Solve it")
    W.delete_agenda_item(store, ids[2])
    agenda = W.load_plan(store, wid).agenda
    assert [a.position for a in agenda] == [0, 1, 2, 3]
    assert agenda[1].minutes == 25 and agenda[1].instructions == "Solve it"
    with pytest.raises(RippleError, match="not an agenda item kind"):
        W.add_agenda_item(store, wid, "lecture", "Slides")
    with pytest.raises(RippleError, match="minutes"):
        W.update_agenda_item(store, ids[0], minutes=-3)


def test_same_email_is_the_same_person_across_workshops(store: Store) -> None:
    a = W.create_workshop(store, "A")
    b = W.create_workshop(store, "B")
    p1 = W.add_participant(store, a, "Constanza García", email="C.Garcia@example.com")
    p2 = W.add_participant(store, b, "Constanza Garcia", email="c.garcia@EXAMPLE.com")
    assert p1 == p2 == W.person_id_for_email("c.garcia@example.com")
    assert len(W.load_plan(store, b).participants) == 1


def test_consent_is_recorded_per_scope_with_when_and_who(store: Store) -> None:
    wid = W.create_workshop(store, "Consent")
    pid = W.add_participant(store, wid, "Kenji")
    before = W.load_plan(store, wid).participant(pid)
    assert before is not None and before.consent == Consent()
    W.set_consent(store, pid, video=True, community=False, analytics=True, by="Marta Ruiz")
    c = W.load_plan(store, wid).participant(pid).consent  # type: ignore[union-attr]
    assert (c.video, c.community, c.analytics, c.by) == (True, False, True, "Marta Ruiz")
    assert c.at is not None and c.at.tzinfo is not None


def test_balanced_random_groups_and_manual_groups(store: Store) -> None:
    people = [uuid.uuid4() for _ in range(10)]
    groups = W.balanced_groups(people, count=3, seed=1)
    assert sorted(len(g) for g in groups) == [3, 3, 4]
    assert sorted(m for g in groups for m in g) == sorted(people)
    assert W.balanced_groups(people, size=5, seed=2) and len(W.balanced_groups(people, size=5)) == 2
    wid = W.create_workshop(store, "Groups")
    pids = [W.add_participant(store, wid, f"P{i}") for i in range(4)]
    item = W.add_agenda_item(store, wid, "challenge", "C")
    W.set_groups(store, item, [pids[:2], pids[2:]], names=["Red", "Blue"])
    g = W.load_plan(store, wid).agenda[0].groups
    assert [x.name for x in g] == ["Red", "Blue"] and list(g[1].members) == pids[2:]
    W.set_groups(store, item, [pids])
    assert len(W.load_plan(store, wid).agenda[0].groups) == 1
    with pytest.raises(RippleError, match="only one group"):
        W.set_groups(store, item, [pids[:2], pids[1:]])


def test_templates_from_the_seeds(store: Store) -> None:
    assert {"challenge-sprint", "failure-circle", "top-tip-tuesday"} <= set(TEMPLATES)
    wid = create_from_template(store, "failure-circle", facilitator="Tom")
    plan = W.load_plan(store, wid)
    assert plan.title == "Learning moments from failure"
    assert len(plan.agenda) == len(TEMPLATES["failure-circle"].items)
    with pytest.raises(RippleError, match="no template"):
        create_from_template(store, "nope")


def test_ids_can_be_given_as_unique_prefixes(sqlite_store: Store) -> None:
    wid = W.create_workshop(sqlite_store, "Prefix")
    assert W.resolve_workshop(sqlite_store, str(wid)[:8]) == wid
    with pytest.raises(NotFound, match="no workshop"):
        W.resolve_workshop(sqlite_store, "ffffffff")
    with pytest.raises(NotFound, match="not a workshop id"):
        W.resolve_workshop(sqlite_store, "x")
