"""The demo's follow-up: everyone leaves a finished workshop with a commitment, the check-ins
that fell due are there, the next workshop shows the open ones, and a second demo adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.demo import build_demo
from app.followup.checkins import open_commitments
from app.followup.commitments import commitments_of_workshop
from db.models import Workshop, WorkshopParticipant
from db.store import Store
from tests.helpers.portable import row_counts


def test_the_demo_leaves_everyone_with_a_commitment_and_the_next_workshop_with_check_ins(
    sqlite_store: Store,
) -> None:
    now = datetime(2026, 12, 3, 10, tzinfo=UTC)
    assert "commitments" in build_demo(sqlite_store, workshops=4, clips=False, now=now)
    with sqlite_store.read() as s:
        finished = list(s.scalars(select(Workshop.id).where(Workshop.status == "finished")))
        planned = s.scalar(select(Workshop.id).where(Workshop.status == "planned"))
        rosters = {w: set(s.scalars(select(WorkshopParticipant.participant_id)
                                    .where(WorkshopParticipant.workshop_id == w))) for w in finished}
    for w in finished:
        taken = commitments_of_workshop(sqlite_store, w)
        assert set(taken) == rosters[w]
        assert sum(1 for c in taken.values() if c.buddy_id is not None) >= len(taken) // 2
    assert planned is not None and open_commitments(sqlite_store, planned)
    before = row_counts(sqlite_store)
    build_demo(sqlite_store, workshops=4, clips=False, now=now)
    assert row_counts(sqlite_store) == before
