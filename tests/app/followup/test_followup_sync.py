"""Commitments and check-ins through sync: two laptops taking the same person's commitment
merge into one, check-ins are never doubled, and an erasure on one laptop scrubs what an
out-of-date laptop sends."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.erasure import erase_participant
from app.followup.checkins import check_ins_of, log_check_in
from app.followup.commitments import commitments_of_workshop, take_commitment
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from db.models import CheckIn, Commitment
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.sync import state


def test_commitments_and_check_ins_sync_once_and_erasure_reaches_them(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid = create_workshop(a, "Negotiation lab", team="Sales")
    ana, ben = (add_participant(a, wid, n, email=f"{n.lower()}@example.org") for n in ("Ana", "Ben"))
    sync(a, remote)
    sync(b, remote)
    # Offline, both laptops take Ana's commitment: A the text, B the buddy a moment later.
    com = take_commitment(a, wid, ana, "ask one open question per call")
    take_commitment(b, wid, ana, "ask one open question per call", buddy_id=ben)
    log_check_in(a, com.id, 6, "on Monday")
    log_check_in(b, com.id, 8, "on Friday")
    for _ in range(2):
        sync(a, remote)
        sync(b, remote)
    assert state(a) == state(b)
    (merged,) = commitments_of_workshop(a, wid).values()
    assert (merged.id, merged.text, merged.buddy_id) == (com.id, "ask one open question per call", ben)
    assert sorted(k.rating for k in check_ins_of(b, [com.id])[com.id]) == [6, 8]

    # A erases Ana while B, offline, logs another check-in with a note about her.
    erase_participant(a, ana)
    log_check_in(b, com.id, 9, "Ana says it works")
    for _ in range(2):
        sync(b, remote)
        sync(a, remote)
    for store in (a, b):
        with store.read() as s:
            rows = list(s.scalars(select(Commitment).execution_options(include_deleted=True)))
            notes = [k.note for k in s.scalars(select(CheckIn).execution_options(include_deleted=True))]
            live = list(s.scalars(select(CheckIn)))
        assert [(r.text, r.deleted_at is not None) for r in rows] == [("", True)]
        assert notes == ["", "", ""] and live == []
    assert state(a) == state(b)
