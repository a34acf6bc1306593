"""A participant's role-play record for Insights: rounds per role, scores per criterion
over time, verbal vs non-verbal; absent without analytics consent; the influence index
does not move when role plays are added."""

from __future__ import annotations

from datetime import UTC, datetime

from app.planning.participants import set_consent
from app.roleplay.ratings import rate
from app.roleplay.record import roleplay_record
from app.roleplay.rounds import start_round
from db.models import OBSERVER_ROLE
from db.store import Store
from tests.helpers.roleplay import triad


def test_rounds_per_role_scores_over_time_and_channels(sqlite_store: Store) -> None:
    first = triad(sqlite_store)
    second = triad(sqlite_store, names=("Ana García", "Ben Okafor", "Chloé Martin"))  # same e-mails: same people
    assert first.people == second.people
    ana = first.people[0]
    for t, score in ((first, 2), (second, 4)):
        for r in t.rounds:
            start_round(sqlite_store, r.id)
            role = r.role_of(ana)
            observer = next(c.participant_id for c in r.cast if c.role == OBSERVER_ROLE)
            if role != OBSERVER_ROLE:
                rate(sqlite_store, r.id, ana, "eye_contact", score, rater=observer)
                rate(sqlite_store, r.id, ana, "open_questions", 3)
    record = roleplay_record(sqlite_store, ana)
    assert record is not None
    assert record.rounds_by_role == {"seller": 2, "customer": 2, OBSERVER_ROLE: 2} and record.rounds == 6
    assert record.role_names["seller"] == "Seller"
    trend = {c.criterion: c for c in record.criteria}
    assert [p.mean for p in trend["eye_contact"].points] == [2, 4] and trend["eye_contact"].mean == 3
    assert trend["eye_contact"].channel == "non_verbal" and trend["open_questions"].channel == "verbal"
    assert record.non_verbal == 3 and record.verbal == 3
    assert set(trend) == {"eye_contact", "open_questions"}


def test_no_record_without_analytics_consent(sqlite_store: Store) -> None:
    t = triad(sqlite_store)
    set_consent(sqlite_store, t.people[1], analytics=False, by="Marta Ruiz")
    assert roleplay_record(sqlite_store, t.people[1]) is None
    record = roleplay_record(sqlite_store, t.people[0])
    assert record is not None and record.rounds == 0 and record.criteria == ()


def test_role_plays_do_not_change_the_influence_index(sqlite_store: Store) -> None:
    from app.insights.workshop import workshop_insights
    from app.live import LiveWorkshop

    t = triad(sqlite_store)
    live = LiveWorkshop(sqlite_store, t.workshop)
    live.next()
    first = live.log(t.people[0], at=datetime(2026, 11, 24, 9, 5, tzinfo=UTC))
    live.log(t.people[1], builds_on=first.id, at=datetime(2026, 11, 24, 9, 7, tzinfo=UTC))
    before = workshop_insights(sqlite_store, t.workshop).profiles
    for r in t.rounds:
        start_round(sqlite_store, r.id)
        for c in r.cast:
            if c.role != OBSERVER_ROLE:
                rate(sqlite_store, r.id, c.participant_id, "pace", 5)
    after = workshop_insights(sqlite_store, t.workshop).profiles
    assert before and after == before
