"""The kept per-workshop analyses: a report from them is the report from the rows, any change
to a workshop's rows is seen, and a store that will not keep them still reports."""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from app.demo import build_demo
from app.influence.params import Weights
from app.insights import cache as analysis_cache
from app.insights.evidence import evidence
from app.insights.loading import Scope
from app.insights.period import Candidate, Report, attendance, attendance_from_rosters, report
from db.models import AnalysisCache, Clip, Contribution, Workshop
from db.store import Store
from db.types import utcnow


def _numbers(rep: Report) -> list[tuple[Any, ...]]:
    return [(c.person.id, c.status, c.reasons, asdict(c.period)) for c in rep.ranking]


def _kept(store: Store) -> int:
    with store.read() as s:
        return len(s.scalars(select(AnalysisCache.workshop_id)).all())


def _prompt_last_workshop(s: Session, star: Candidate) -> list[Contribution]:
    """Make every share of ``star`` in their latest workshop a prompted one; returns them."""
    wid = uuid.UUID(star.period.series[-1].workshop)
    rows = list(s.scalars(
        select(Contribution).where(Contribution.workshop_id == wid, Contribution.participant_id == star.person.id)
    ))
    for c in rows:
        c.initiative = "prompted"
    return rows


@pytest.fixture
def demo(store: Store) -> Store:
    build_demo(store, workshops=5, clips=False)
    return store


def test_a_report_from_kept_analyses_is_the_report_from_the_rows(demo: Store) -> None:
    first = report(demo)
    assert first.workshops >= 4 and first.analysed_now == first.workshops
    assert _kept(demo) == first.workshops  # the demo's workshops have all finished
    second = report(demo)
    assert second.analysed_now == 0
    assert _numbers(second) == _numbers(first)
    assert (second.workshops, second.contributions, second.analysed) == (
        first.workshops, first.contributions, first.analysed)
    # Evidence needs the rows: they are read on demand and say the same.
    top = first.ranking[0].person.id
    assert evidence(demo, second, top) == evidence(demo, first, top)
    # Clicking through people keeps the rows already read (a handful of workshops here).
    other = first.ranking[-1].person.id
    assert evidence(demo, second, other) == evidence(demo, first, other)
    held = second.rows
    assert held is not None and evidence(demo, second, top) == evidence(demo, first, top)
    assert second.rows is held
    # A period inside the year reuses the same kept analyses.
    since = min(first.workshop_start(w) for w in first.workshop_infos)  # type: ignore[type-var]
    assert report(demo, Scope(since=since)).analysed_now == 0


def test_a_changed_workshop_is_analysed_again(demo: Store) -> None:
    before = report(demo)
    star = before.ranking[0]
    # Their spontaneous shares become prompted in one workshop: that workshop alone changes.
    with demo.write() as s:
        assert _prompt_last_workshop(s, star)
    after = report(demo)
    assert after.analysed_now == 1
    analysis_cache.clear(demo)
    fresh = report(demo)
    assert fresh.analysed_now == fresh.workshops
    assert _numbers(after) == _numbers(fresh)
    moved = next(c for c in after.ranking if c.person.id == star.person.id)
    assert moved.profile.prompted > star.profile.prompted
    assert moved.profile.spontaneous < star.profile.spontaneous


def test_a_tombstone_without_a_new_sequence_is_seen(demo: Store) -> None:
    """Erasure tombstones clips in place (no new change sequence); the count of tombstones
    is part of the fingerprint."""
    with demo.write() as s:
        wid = s.scalars(select(Workshop.id).where(Workshop.status == "finished")).first()
        person = s.scalars(select(Contribution.participant_id).where(Contribution.workshop_id == wid)).first()
        s.add(Clip(workshop_id=wid, participant_id=person, at=utcnow(), seconds=30.0, sha256="ab" * 32))
    assert person is not None
    with_clip = report(demo)
    assert report(demo).analysed_now == 0
    with demo.engine.begin() as conn:  # as scrub_erased does: no seq, no version
        conn.execute(update(Clip).where(Clip.sha256 == "ab" * 32).values(deleted_at=utcnow()))
    without = report(demo)
    assert without.analysed_now == 1
    clips = {c.person.id: c.profile.clips for c in without.ranking}
    assert all(clips.get(c.person.id) == c.profile.clips - (c.person.id == person) for c in with_clip.ranking)


def test_a_live_workshop_is_never_kept(store: Store) -> None:
    build_demo(store, workshops=3, clips=False)
    with store.write() as s:
        w = s.scalars(select(Workshop).where(Workshop.status == "finished")).first()
        assert w is not None
        w.status = "live"
    analysis_cache.clear(store)
    rep = report(store)
    assert _kept(store) == rep.workshops - 1
    assert report(store).analysed_now == 1


def test_an_unreadable_kept_analysis_is_recomputed(demo: Store) -> None:
    first = report(demo)
    with demo.write() as s:
        s.execute(update(AnalysisCache).values(payload=b"\x00\x01 not a piece"))
    again = report(demo)
    assert again.analysed_now == again.workshops
    assert _numbers(again) == _numbers(first)


def test_other_weights_are_kept_apart(demo: Store) -> None:
    plain = report(demo)
    heavy = report(demo, weights=Weights(clip=10.0, explicit_ripple=9.0))
    assert heavy.analysed_now == heavy.workshops  # not the default weights' analyses
    assert report(demo, weights=Weights(clip=10.0, explicit_ripple=9.0)).analysed_now == 0
    assert _numbers(report(demo)) == _numbers(plain)


def test_a_store_that_will_not_keep_them_still_reports(sqlite_store: Store, caplog: pytest.LogCaptureFixture) -> None:
    store = sqlite_store
    build_demo(store, workshops=3, clips=False)
    with store.engine.begin() as conn:
        conn.execute(text(
            "CREATE TRIGGER no_cache BEFORE INSERT ON analysis_cache "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        ))
    with caplog.at_level(logging.WARNING, logger="app.insights.cache"):
        first = report(store)
    assert first.ranking and _kept(store) == 0
    assert "could not be kept" in caplog.text and "disk full" in caplog.text
    second = report(store)
    assert second.analysed_now == second.workshops
    assert _numbers(second) == _numbers(first)


def test_attendance_read_off_the_rosters_is_the_queried_one(demo: Store) -> None:
    rep = report(demo)
    derived = attendance_from_rosters(rep.summary, rep.people)
    queried = attendance(demo, Scope())
    assert derived.first == pytest.approx(queried.first)
    assert derived.team_first == pytest.approx(queried.team_first)
    assert derived.first and len(derived.team_first) >= 2


def test_an_edit_pulled_from_the_shared_store_is_seen(remote_url: str, tmp_path: Path) -> None:
    """Pulled rows keep change sequence 0 on a laptop; the pull's analysis mark is what tells
    the kept analysis of B's copy that A edited and deleted shares in it."""
    from db.sync.engine import sync
    from db.sync.remote import open_remote

    a = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    b = Store.open(f"sqlite:///{tmp_path / 'b.db'}")
    shared = open_remote(remote_url)
    build_demo(a, workshops=4, clips=False)
    sync(a, shared)
    sync(b, shared)
    first = report(b)
    assert report(b).analysed_now == 0
    star = first.ranking[0]
    with a.write() as s:
        _prompt_last_workshop(s, star)[0].deleted_at = utcnow()
    sync(a, shared)
    sync(b, shared)
    after = report(b)
    assert after.analysed_now == 1
    analysis_cache.clear(b)
    assert _numbers(after) == _numbers(report(b)) == _numbers(report(a))
    moved = next(c for c in after.ranking if c.person.id == star.person.id)
    assert moved.profile.contributions == star.profile.contributions - 1
    assert moved.profile.spontaneous < star.profile.spontaneous
    for store in (a, b, shared):
        store.close()


def test_a_cache_that_cannot_be_read_costs_only_speed(sqlite_store: Store, caplog: pytest.LogCaptureFixture) -> None:
    store = sqlite_store
    build_demo(store, workshops=3, clips=False)
    first = report(store)
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE analysis_marks"))
    with caplog.at_level(logging.WARNING, logger="app.insights.cache"):
        again = report(store)
    assert "could not be read" in caplog.text
    assert again.analysed_now == again.workshops and _numbers(again) == _numbers(first)


def test_a_report_does_not_wait_for_a_busy_store_to_keep_its_analyses(sqlite_store: Store) -> None:
    import sqlite3
    import time

    store = sqlite_store
    build_demo(store, workshops=3, clips=False)
    path = store.engine.url.database
    assert path
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer (a sync) holds the write lock
    try:
        started = time.monotonic()
        rep = report(store)
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert rep.ranking and waited < 10  # the store's own busy timeout is 30 s
    assert _kept(store) == 0
    assert report(store).analysed_now == rep.workshops and _kept(store) == rep.workshops
