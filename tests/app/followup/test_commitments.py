"""Commitments and check-ins: one per person and workshop, a buddy from the ripple graph,
1–10 check-ins, the open ones at the next workshop of the same team, erasure."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.erasure import erase_participant
from app.errors import FieldError, NotFound, RippleError
from app.followup.checkins import check_ins_of, log_check_in, open_commitments
from app.followup.commitments import commitments_of_workshop, take_commitment
from app.followup.ripples import suggest_buddy, workshop_ripples
from db.models import CheckIn, Commitment
from tests.app.followup.conftest import Room
from tests.helpers.insights import load_into, workshop
from tests.helpers.portable import row_counts


def test_the_suggested_buddy_is_the_peer_they_built_on_or_set_off_most(room: Room) -> None:
    rip = workshop_ripples(room.store, room.workshop_id)
    c = room.cast
    assert suggest_buddy(rip, c.id("B")) == c.id("A")  # built on Ada twice, on Chen once
    assert suggest_buddy(rip, c.id("A")) == c.id("B")  # Nico built on her too, but did not consent
    assert suggest_buddy(rip, c.id("C")) == c.id("B")
    assert suggest_buddy(rip, c.id("E")) is None  # no ripple with anyone
    assert suggest_buddy(rip, c.id("N")) is None  # not analysed without consent
    assert suggest_buddy(rip, c.id("B"), candidates={c.id("C")}) == c.id("C")


def test_a_commitment_is_one_per_person_with_check_ins_due_after_7_and_30_days(room: Room) -> None:
    c = room.cast
    first = take_commitment(room.store, room.workshop_id, c.id("A"), "  ask one open question  per call ",
                            buddy_id=c.id("B"))
    assert first.text == "ask one open question per call"
    assert first.check_ins_due == (date(2026, 9, 8), date(2026, 10, 1))
    again = take_commitment(room.store, room.workshop_id, c.id("A"), "ask two open questions per call")
    assert again.id == first.id and again.buddy_id is None
    assert [v.text for v in commitments_of_workshop(room.store, room.workshop_id).values()] == [
        "ask two open questions per call"]


@pytest.mark.parametrize(("who", "text", "buddy", "due", "message"), [
    ("A", "   ", None, None, "needs a sentence"),
    ("A", "x" * 501, None, None, "at most 500"),
    ("A", "listen", "A", None, "not the person themselves"),
    ("A", "listen", "stranger", None, "is not in the workshop"),
    ("A", "listen", None, [date(2026, 8, 1)], "cannot be before the workshop"),
    ("A", "listen", None, [], "at least one check-in date"),
    ("stranger", "listen", None, None, "is not in the workshop"),
])
def test_a_bad_commitment_is_one_sentence_and_changes_nothing(
    room: Room, who: str, text: str, buddy: str | None, due: list[date] | None, message: str
) -> None:
    before = row_counts(room.store)
    ids = {k: room.cast.id(k) for k in room.cast.people} | {"stranger": uuid.uuid4()}
    with pytest.raises(RippleError, match=message):
        take_commitment(room.store, room.workshop_id, ids[who], text,
                        buddy_id=ids[buddy] if buddy else None, due=due)
    assert row_counts(room.store) == before


def test_check_ins_are_1_to_10_and_append_only(room: Room) -> None:
    com = take_commitment(room.store, room.workshop_id, room.cast.id("A"), "listen more")
    log_check_in(room.store, com.id, 6, "tried it twice")
    log_check_in(room.store, com.id, 9)
    assert [(k.rating, k.note) for k in check_ins_of(room.store, [com.id])[com.id]] == [
        (6, "tried it twice"), (9, "")]
    before = row_counts(room.store)
    for bad in (0, 11, 5.5, True, "7"):
        with pytest.raises(FieldError, match="1 to 10"):
            log_check_in(room.store, com.id, bad)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        log_check_in(room.store, uuid.uuid4(), 5)
    with pytest.raises(FieldError, match="at most 500"):
        log_check_in(room.store, com.id, 5, "n" * 501)
    assert row_counts(room.store) == before


def test_the_next_workshop_of_the_team_shows_the_open_commitments_of_who_is_there(
    room: Room, tmp_path: Path
) -> None:
    c = room.cast
    a = take_commitment(room.store, room.workshop_id, c.id("A"), "listen more", buddy_id=c.id("B"))
    take_commitment(room.store, room.workshop_id, c.id("B"), "share a failure")
    done = take_commitment(room.store, room.workshop_id, c.id("C"), "try it", due=[date(2026, 9, 8)])
    log_check_in(room.store, done.id, 8)
    nxt = workshop(c, [(10, "A", "spontaneous", "story", None)], present=["A", "C", "E"], day=14, title="Next")
    (tmp_path / "next").mkdir()
    (next_id,) = load_into(room.store, tmp_path / "next", nxt)
    shown = open_commitments(room.store, next_id)
    assert [(o.person, o.buddy, o.commitment.id, o.next_due) for o in shown] == [
        ("Ada Lovelace", "Ben Okafor", a.id, date(2026, 9, 8))]  # Ben is not there; Chen is done
    log_check_in(room.store, a.id, 7)
    assert open_commitments(room.store, next_id)[0].next_due == date(2026, 10, 1)
    assert open_commitments(room.store, room.workshop_id) == []  # not from the same workshop


def test_erasure_removes_their_commitment_check_ins_and_buddy_links(room: Room) -> None:
    c = room.cast
    a = take_commitment(room.store, room.workshop_id, c.id("A"), "listen more", buddy_id=c.id("B"))
    b = take_commitment(room.store, room.workshop_id, c.id("B"), "share a failure", buddy_id=c.id("A"))
    log_check_in(room.store, a.id, 4, "Ada's private note")
    erase_participant(room.store, c.id("A"))
    with room.store.read() as s:
        rows = {r.id: r for r in s.scalars(select(Commitment).execution_options(include_deleted=True))}
        ks = list(s.scalars(select(CheckIn).execution_options(include_deleted=True)))
    assert rows[a.id].deleted_at is not None and rows[a.id].text == ""
    assert rows[b.id].deleted_at is None and rows[b.id].buddy_id is None
    assert [(k.deleted_at is not None, k.note) for k in ks] == [(True, "")]
    assert list(commitments_of_workshop(room.store, room.workshop_id)) == [c.id("B")]


def test_a_check_in_time_is_kept_as_given(room: Room) -> None:
    com = take_commitment(room.store, room.workshop_id, room.cast.id("A"), "listen more")
    when = datetime(2026, 9, 8, 17, 30).astimezone()
    assert log_check_in(room.store, com.id, 5, at=when).at == when
