"""A period's influence picture: every workshop in it analysed (kept analyses reused), every
named person ranked with their verdict, and the team numbers.

:class:`Report` is plain data; reading the records behind someone's numbers is a function
of it and the store (:func:`app.insights.evidence.evidence_for`).
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from app.followup.followthrough import FollowThrough, follow_through
from app.influence.params import RIPPLE_WINDOW_S, RULES, WEIGHTS, Rules, Weights
from app.influence.period import PeriodProfile, judge, periods, rank_key
from app.influence.summary import Summary, combine, summarise
from app.influence.wording import reasons, status
from app.influence.workshop import Profile
from app.insights import cache as analysis_cache
from app.insights.loading import Analysed, Scope, WorkshopInfo, analyse, load, workshop_infos
from app.insights.people import Person, load_people, resolve_team
from app.platform.gc_pause import without_gc
from app.text import plural
from db.queries import analysis
from db.queries.columns import Canon
from db.store import Store

MIN_TEAM_SIZE = 5


@dataclass(frozen=True)
class Candidate:
    rank: int
    person: Person
    period: PeriodProfile
    status: str
    reasons: tuple[str, ...]

    @property
    def profile(self) -> Profile:
        return self.period.total


@dataclass(frozen=True)
class TeamSummary:
    team: str
    people: int  # named (consenting) participants analysed; 0 when suppressed
    suppressed: bool
    candidates: int = 0
    mean_index: float = 0.0
    spontaneity: float = 0.0
    contributions: int = 0
    ripples: int = 0
    #: follow-through of commitments: people with one, check-ins done, mean of the last ratings
    committed: int = 0
    check_ins: int = 0
    last_rating: float | None = None


@dataclass
class Report:
    """A period's influence picture: every named person ranked, and the candidates among them."""

    scope: Scope
    generated_at: datetime
    workshops: int
    contributions: int
    analysed: int  # people analysed (named or not)
    ranking: list[Candidate]  # every named person in scope who shared (team filter applied), best first
    teams: list[TeamSummary]
    computed_ms: float
    summary: Summary = field(repr=False)  # what the ranking was computed from
    workshop_infos: dict[str, WorkshopInfo] = field(default_factory=dict, repr=False)
    people: dict[str, Person] = field(default_factory=dict, repr=False)
    analysed_now: int = 0  # workshops analysed from their rows for this report (the rest were kept)
    window_s: float = RIPPLE_WINDOW_S
    weights: Weights = WEIGHTS
    rules: Rules = RULES
    # The rows of some of the period's workshops and their analysis, when at hand (evidence
    # needs the rows; a report from kept analyses has none until evidence is asked for).
    rows: Analysed | None = field(default=None, repr=False)
    silent: int = 0  # named people who took part but never shared: counted for teams, not ranked
    #: the named people's follow-through of commitments made in the period
    followthrough: dict[uuid.UUID, FollowThrough] = field(default_factory=dict, repr=False)

    @property
    def candidates(self) -> list[Candidate]:
        return [c for c in self.ranking if c.period.candidate]

    def candidate(self, pid: uuid.UUID) -> Candidate | None:
        return next((c for c in self.ranking if c.person.id == pid), None)

    def workshop_title(self, workshop: str) -> str:
        info = self.workshop_infos.get(workshop)
        return info.title if info else ""

    def workshop_start(self, workshop: str) -> datetime | None:
        info = self.workshop_infos.get(workshop)
        return info.local_start if info else None


@without_gc
def report(
    store: Store,
    scope: Scope | None = None,
    *,
    window_s: float = RIPPLE_WINDOW_S,
    weights: Weights = WEIGHTS,
    rules: Rules = RULES,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Analyse every workshop in the period and rank the people in it.

    With a team filter the ranking and the verdicts cover that team's people; the analysis
    still uses every workshop they attended (their ripples set off people of other teams too).
    """
    scope = scope or Scope()
    started = time.perf_counter()
    if scope.team is not None:
        scope = Scope(scope.since, scope.until, resolve_team(store, scope.team), scope.workshop_ids)
    if progress:
        progress("Reading the workshops…")
    summary, infos, rows, analysed_now = _period_summary(
        store, scope, window_s=window_s, weights=weights, rules=rules, progress=progress
    )
    people = load_people(store, summary.people)
    wanted = [p for p in summary.people if scope.team is None or people[p].team == scope.team]
    profiles = periods(summary, rules, people=wanted)
    _mark_newcomers(store, scope, summary, people, profiles)
    ranked = sorted(profiles.values(), key=rank_key)
    judge(ranked, rules)
    ranking: list[Candidate] = []
    silent: list[Candidate] = []  # named, present, never shared: in the team numbers, not ranked
    for pp in ranked:
        person = people[pp.person]
        if not person.named:
            continue
        if pp.total.contributions == 0:
            silent.append(Candidate(0, person, pp, status(pp), tuple(reasons(pp, rules))))
        else:
            ranking.append(Candidate(len(ranking) + 1, person, pp, status(pp), tuple(reasons(pp, rules))))
    follow = follow_through(store, [i.id for i in infos.values()], [c.person.id for c in ranking])
    return Report(
        scope=scope,
        generated_at=datetime.now(UTC),
        workshops=len(summary.workshops),
        contributions=int(summary.contributions.sum()),
        analysed=len(ranked),
        ranking=ranking,
        teams=_team_summaries([*ranking, *silent], follow),
        silent=len(silent),
        computed_ms=round((time.perf_counter() - started) * 1000, 1),
        summary=summary,
        workshop_infos=infos,
        people=people,
        analysed_now=analysed_now,
        window_s=window_s,
        weights=weights,
        rules=rules,
        rows=rows,
        followthrough=follow,
    )


def _period_summary(
    store: Store,
    scope: Scope,
    *,
    window_s: float,
    weights: Weights,
    rules: Rules,
    progress: Callable[[str], None] | None = None,
) -> tuple[Summary, dict[str, WorkshopInfo], Analysed | None, int]:
    """Every workshop of the period analysed: kept analyses where their rows have not changed
    since (:mod:`app.insights.cache`), the others read and analysed now (and kept once the
    workshop has finished). Also returns the rows read, when they cover the whole period, and
    how many workshops had to be analysed from their rows."""
    params = analysis_cache.params_key(window_s, weights, rules)
    with store.read() as s:
        infos = workshop_infos(s, scope.workshops())
        known = analysis_cache.look_up(s, list(infos), params) if infos else ({}, {})
    wanted, pieces = known if known is not None else ({}, {})
    missing = [w for w in infos if w not in pieces]
    rows: Analysed | None = None
    if missing:
        if progress:
            progress(f"Analysing {plural(len(missing), 'workshop')}…")
        # Everything missing (a first report): read the period as it is, without naming 500
        # workshops in every query.
        some = Scope(workshop_ids=tuple(infos[w].id for w in missing))
        fresh_rows = analyse(load(store, scope if len(missing) == len(infos) else some),
                             window_s=window_s, weights=weights, rules=rules)
        fresh = dict(zip(fresh_rows.result.batch.workshops, summarise(fresh_rows.result).pieces(), strict=True))
        pieces.update(fresh)
        if known is not None:  # (a store whose cache cannot even be read is not written)
            analysis_cache.save(
                store,
                [(w, wanted[w], fresh[w]) for w in missing if w in fresh and infos[w].status == "finished"],
                params,
            )
        if len(missing) == len(infos):
            rows = fresh_rows
    # A workshop deleted between the reads drops out.
    order = [w for w in infos if w in pieces]
    infos = {w: infos[w] for w in order}
    summary = combine([(w, infos[w].started_at.timestamp()) for w in order], [pieces[w] for w in order])
    return summary, infos, rows, len(missing)


# ---------------------------------------------------------------- who is new


@dataclass
class Attendance:
    before: dict[str, int]  # workshops attended before the period
    first: dict[str, float]  # each person's first workshop (start, epoch seconds)
    team_first: dict[str, float]  # each participants' team's first workshop


def _mark_newcomers(
    store: Store, scope: Scope, summary: Summary, people: dict[str, Person], profiles: dict[str, PeriodProfile]
) -> None:
    """How many workshops each person attended ever, and whether they joined after their
    team's first workshop (the input to "new")."""
    if scope.since is None and scope.workshop_ids is None:
        seen = attendance_from_rosters(summary, people)  # the period is the whole history: no query
    else:
        seen = attendance(store, scope)
    global_first = min(seen.team_first.values(), default=0.0)
    for pid, pp in profiles.items():
        before = seen.before.get(pid, 0)
        first = min(seen.first.get(pid, float("inf")), min(x.t for x in pp.series))
        team = people[pid].team
        team_first = seen.team_first.get(team, global_first) if team else global_first
        pp.workshops_ever = before + len(pp.series)
        pp.joined_later = before == 0 and first > team_first


def attendance(store: Store, scope: Scope) -> Attendance:
    """Roster history up to the period's end, aggregated in SQL (for "new")."""
    canon = Canon()
    out = Attendance({}, {}, {})
    with store.read() as s:
        rows = analysis.attendance(s, scope.since, scope.until)
    for pid, team, first, n_before in rows:
        key, at = canon(pid), float(first)
        out.first[key] = min(at, out.first.get(key, at))
        if team is not None:
            t = team or ""
            out.team_first[t] = min(at, out.team_first.get(t, at))
        if n_before:
            out.before[key] = out.before.get(key, 0) + int(n_before)
    return out


def attendance_from_rosters(summary: Summary, people: dict[str, Person]) -> Attendance:
    """:func:`attendance` when the period is every workshop up to its end: read off the
    rosters already in the analysis."""
    out = Attendance({}, {}, {})
    rostered = summary.metrics["rostered"].astype(bool)
    if not rostered.any():
        return out
    starts = np.asarray(summary.starts, dtype=np.float64)[summary.pres_ws[rostered]]
    first = np.full(len(summary.people), np.inf)
    np.minimum.at(first, summary.pres_person[rostered], starts)
    for code in np.flatnonzero(np.isfinite(first)).tolist():
        pid, at = summary.people[code], float(first[code])
        out.first[pid] = at
        person = people.get(pid)
        if person is not None and person.known and not person.deleted:
            out.team_first[person.team] = min(at, out.team_first.get(person.team, at))
    return out


def _team_summaries(
    ranking: Sequence[Candidate], follow: dict[uuid.UUID, FollowThrough] | None = None
) -> list[TeamSummary]:
    """Aggregates per participants' team, over named people only; fewer than five people in a
    team and the team's numbers are suppressed (they would point at individuals)."""
    by_team: dict[str, list[Candidate]] = defaultdict(list)
    for c in ranking:
        by_team[c.person.team or "(no team)"].append(c)
    out = []
    for team, members in sorted(by_team.items()):
        if len(members) < MIN_TEAM_SIZE:
            out.append(TeamSummary(team, 0, True))
            continue
        n = len(members)
        theirs = [f for c in members if (f := (follow or {}).get(c.person.id)) is not None]
        rated = [f.last_rating for f in theirs if f.last_rating is not None]
        out.append(
            TeamSummary(
                team=team,
                people=n,
                suppressed=False,
                candidates=sum(1 for c in members if c.period.candidate),
                mean_index=round(sum(c.period.index for c in members) / n, 3),
                spontaneity=round(sum(c.profile.spontaneity_rate for c in members) / n, 3),
                contributions=sum(c.profile.contributions for c in members),
                ripples=sum(c.profile.ripples for c in members),
                committed=len(theirs),
                check_ins=sum(f.check_ins for f in theirs),
                last_rating=round(sum(rated) / len(rated), 2) if rated else None,
            )
        )
    return out
