"""The role plays and follow-up of a file go in in chunks decided before the write lock, like
the people and contributions (tests/app/portable/test_concurrent.py): what this store gains
between the read and the write (a round, a marker, a commitment, an erasure) is never
overwritten, revived or doubled."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.erasure import erase_participant
from app.followup.checkins import log_check_in
from app.followup.commitments import take_commitment
from app.portable import bulk
from app.portable.apply import import_workshop
from app.portable.write import export_workshop
from db.models import CheckIn, Clip, Commitment, Marker, Rating, Round
from db.store import Store
from db.types import utcnow
from tests.helpers.portable import write
from tests.helpers.roleplay_played import played

LATER = ("rounds", "markers", "ratings", "commitments", "check_ins")


@pytest.fixture
def between_read_and_write() -> Iterator[list[object]]:
    """Hooks run once the role plays and follow-up were decided, before their first chunk."""
    hooks: list[object] = []

    def run(table: str) -> None:
        if table == "rounds":
            for h in hooks:
                h()  # type: ignore[operator]

    bulk.BEFORE_INSERT.append(run)
    yield hooks
    bulk.BEFORE_INSERT.pop()


def test_rows_gained_between_the_read_and_the_write_are_kept(
    sqlite_store: Store, tmp_path: Path, between_read_and_write: list[object]
) -> None:
    p = played(sqlite_store, tmp_path / "clips")
    wid = p.t.workshop
    com = take_commitment(sqlite_store, wid, p.seller, "ask one open question per call")
    log_check_in(sqlite_store, com.id, 7, "twice")
    take_commitment(sqlite_store, wid, p.customer, "listen first")
    d = json.loads(export_workshop(sqlite_store, wid, tmp_path / "w.json").path.read_text(encoding="utf-8"))
    # The file's commitment of the seller has an id of its own (an older Ripple's, random).
    (mine,) = (c for c in d["commitments"] if c["participant"] == str(p.seller))
    mine["id"] = str(uuid.uuid4())
    for k in d["check_ins"]:
        k["commitment"] = mine["id"]
    target = Store.open(f"sqlite:///{tmp_path / 'target.db'}")
    try:
        # The workshop, its people, agenda, cards and clips are here already (an earlier file).
        import_workshop(target, write(tmp_path / "first.json", {**d, **{k: [] for k in LATER}}))
        rnd = uuid.UUID(d["rounds"][1]["id"])
        marker = uuid.UUID(d["markers"][0]["id"])

        def meanwhile() -> None:
            # The import has read the store; now a sync brings a round (played differently
            # there) and a marker deleted there, the seller's commitment is taken here, and the
            # customer is erased.
            with target.write() as s:
                s.add(Round(id=rnd, scenario_id=p.t.scenario, number=7, casting=[]))
                s.add(Marker(id=marker, round_id=rnd, at_s=1.0, deleted_at=utcnow()))
            take_commitment(target, wid, p.seller, "edited here")
            erase_participant(target, p.customer)

        between_read_and_write.append(meanwhile)
        result = import_workshop(target, write(tmp_path / "in.json", d))
        with target.read() as s:
            row = s.get(Round, rnd)
            assert row is not None and row.number == 7 and row.casting == []
            gone = s.get(Marker, marker, execution_options={"include_deleted": True})
            assert gone is not None and gone.deleted_at is not None  # never brought back
            live = {c.participant_id: c for c in s.scalars(select(Commitment).where(Commitment.workshop_id == wid))}
            assert set(live) == {p.seller} and live[p.seller].text == "edited here"
            assert [k.rating for k in s.scalars(select(CheckIn))] == [7]  # joins the commitment made here
            # The customer's round came after their erasure: its recording is gone as the
            # erasure makes it, and so are the ratings of them.
            clip = s.get(Clip, p.clip_id, execution_options={"include_deleted": True})
            assert clip is not None and clip.deleted_at is not None
            assert not list(s.scalars(select(Rating).where(Rating.player_id == p.customer)))
        assert result.changes.created["rounds"] == len(d["rounds"]) - 1
        assert result.changes.created["markers"] == len(d["markers"]) - 1
        between_read_and_write.clear()
        assert import_workshop(target, write(tmp_path / "in.json", d)).changes.total == 0
    finally:
        target.close()
