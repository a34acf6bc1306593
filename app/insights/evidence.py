"""The records behind a person's numbers: the shares that set others off (and whom), their
failure stories, their clips, and how often they set off each person.

Read straight from the engine's links, for many people in one pass. A period's report keeps
only summaries, so :func:`evidence_for` reads the rows of the workshops the people attended
when they are asked for (and keeps them on the report while they stay few: clicking through a
team's people mostly needs the same workshops again).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from app.influence.engine import Result
from app.influence.wording import why
from app.influence.workshop import Profile
from app.insights.loading import Analysed, Scope, WorkshopInfo, analyse, load
from app.insights.people import Person, anonymous
from app.insights.period import Report
from db.queries import analysis
from db.queries.columns import Canon
from db.store import Store

_EVIDENCE_WORKSHOPS = 120  # workshops' rows a report keeps at hand for evidence, at most


@dataclass(frozen=True)
class SharedEvidence:
    """One of the person's contributions that set others off, and whom."""

    id: uuid.UUID
    workshop: str
    at: datetime  # in the workshop's own time zone
    item: str
    kind: str
    spontaneous: bool
    explicit: tuple[Person, ...]  # who explicitly built on it
    inferred: tuple[Person, ...]  # who is inferred to have been set off by it
    second_order: int
    reactions: int
    note: str = ""


@dataclass(frozen=True)
class ClipEvidence:
    id: uuid.UUID
    workshop: str
    at: datetime
    seconds: float
    scope: str
    title: str
    reactions: int


@dataclass(frozen=True)
class Evidence:
    """The numbers and the records behind one person's rank."""

    person: Person
    profile: Profile
    shares: tuple[SharedEvidence, ...]
    failures: tuple[SharedEvidence, ...]
    clips: tuple[ClipEvidence, ...]
    set_off: tuple[tuple[Person, int], ...]  # (who, times set off), most first
    summary: str


# ---------------------------------------------------------------- for a period's report


def evidence(store: Store, rep: Report, pid: uuid.UUID, *, limit: int | None = 25) -> Evidence | None:
    """The records behind one person's numbers (fetched on demand: only for who is shown)."""
    return evidence_for(store, rep, [pid], limit=limit).get(pid)


def evidence_for(
    store: Store, rep: Report, pids: Sequence[uuid.UUID], *, limit: int | None = 25
) -> dict[uuid.UUID, Evidence]:
    """Evidence for many people at once, from the rows of the workshops they attended (read
    now unless ``rep.rows`` already holds them; what is read is kept there)."""
    who = [(c.person, c.profile) for c in (rep.candidate(p) for p in pids) if c is not None]
    if not who:
        return {}
    summary = rep.summary
    code_of = {p: i for i, p in enumerate(summary.people)}
    codes = np.asarray([code_of.get(str(person.id), -1) for person, _p in who], dtype=np.int64)
    needed = {summary.workshops[w] for w in np.unique(summary.pres_ws[np.isin(summary.pres_person, codes)]).tolist()}
    rows = rep.rows
    if rows is None or not needed <= rows.loaded.workshops.keys():
        # Keep what was read for the previous people too while it stays small.
        have = set(rows.loaded.workshops) if rows is not None else set()
        take = needed | have if len(needed | have) <= _EVIDENCE_WORKSHOPS else needed
        infos = rep.workshop_infos
        scope = Scope(workshop_ids=tuple(infos[w].id for w in sorted(take) if w in infos))
        rows = analyse(load(store, scope), window_s=rep.window_s, weights=rep.weights, rules=rep.rules)
        rep.rows = rows
    ids = [w.id for w in rows.loaded.workshops.values()]
    with store.read() as s:
        reactions = reactions_per_contribution(s, Scope(workshop_ids=tuple(ids)).workshops())
        clips = analysis.clips(s, ids, [p.id for p, _x in who])
    return evidence_many(rows, who, rep.people, reactions, clips, limit=limit)


def reactions_per_contribution(s: Session, f: analysis.Workshops) -> dict[Any, list[str]]:
    """Who reacted to each contribution of the workshops, keyed by the driver's raw
    contribution id (the engine's row ids); whether a reaction came from the owner is decided
    by the caller, who knows the owners."""
    canon = Canon()
    out: dict[Any, list[str]] = defaultdict(list)
    for cid, pid in analysis.reactions_per_contribution(s, f):
        out[cid].append(canon(pid) if pid is not None else "")
    return out


# ---------------------------------------------------------------- from the rows


def evidence_many(
    rows: Analysed,
    who: Sequence[tuple[Person, Profile]],
    people: dict[str, Person],
    reactions: dict[Any, list[str]],  # raw contribution id -> who reacted
    clips: Sequence[tuple[Any, ...]],  # as db.queries.analysis.clips gives them
    notes: dict[str, str] | None = None,
    *,
    limit: int | None = None,
) -> dict[uuid.UUID, Evidence]:
    """For each person: their shares that set others off (most ripples first: explicit count
    three times), their failure stories and clips, and whom they set off — at most ``limit``
    shares and failure stories each."""
    r = rows.result
    b = r.batch
    code_of = {p: i for i, p in enumerate(b.people)}
    codes = [code_of.get(str(person.id), -1) for person, _p in who]
    code_arr = np.asarray(codes, dtype=np.int64)
    chosen = np.nonzero(np.isin(r.person[r.src], code_arr))[0]  # the links from the chosen people
    top_sources = _top_sources(r, chosen, limit)
    failure_rows = _failure_rows(r, code_arr, limit)
    shown = sorted({x for v in top_sources.values() for x in v} | {x for v in failure_rows.values() for x in v})
    labels = [people[p] if p in people else anonymous(p) for p in b.people]
    shares = _Shares(rows, labels, reactions, notes or {}, np.asarray(shown, dtype=np.int64))
    set_off_of = _set_off(r, chosen)
    clips_by: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for c in clips:
        clips_by[c[1]].append(c)
    out: dict[uuid.UUID, Evidence] = {}
    for (person, profile), code in zip(who, codes, strict=True):
        ranked_people = tuple(
            sorted(((labels[k], n) for k, n in set_off_of.get(code, [])),
                   key=lambda kv: (-kv[1], kv[0].label, str(kv[0].id)))
        )
        out[person.id] = Evidence(
            person,
            profile,
            tuple(shares.of(row, code, profile.reach_first) for row in top_sources.get(code, [])),
            tuple(shares.of(row, code, profile.reach_first) for row in failure_rows.get(code, [])),
            tuple(_clip(c, rows.loaded.workshops) for c in clips_by.get(str(person.id), [])),
            ranked_people,
            why(profile),
        )
    return out


def _top_sources(r: Result, chosen: np.ndarray, limit: int | None) -> dict[int, list[int]]:
    """Each chosen person's source rows ranked by impact (explicit ripples count 3, inferred
    1), then by time: only the top ``limit`` become evidence objects."""
    c_src = r.src[chosen]
    u_src, inv = np.unique(c_src, return_inverse=True)
    impact = np.bincount(inv, weights=np.where(r.explicit[chosen], 3.0, 1.0), minlength=len(u_src))
    u_owner = r.person[u_src]
    order = np.lexsort((u_src, r.t_ms[u_src], -impact, u_owner))
    u_src, u_owner = u_src[order], u_owner[order]
    starts = np.flatnonzero(np.r_[True, u_owner[1:] != u_owner[:-1]]) if len(u_owner) else np.zeros(0, np.int64)
    rank_in_owner = np.arange(len(u_src)) - np.repeat(starts, np.diff(np.r_[starts, len(u_src)]))
    keep = rank_in_owner < limit if limit is not None else np.ones(len(u_src), bool)
    top: dict[int, list[int]] = defaultdict(list)
    for o, src_row in zip(u_owner[keep].tolist(), u_src[keep].tolist(), strict=True):
        top[o].append(src_row)
    return top


def _failure_rows(r: Result, code_arr: np.ndarray, limit: int | None) -> dict[int, list[int]]:
    """Each chosen person's failure stories, in time order, at most ``limit``."""
    person_of = r.person.tolist()
    out: dict[int, list[int]] = defaultdict(list)
    for row in np.nonzero(r.failure & np.isin(r.person, code_arr))[0].tolist():
        if limit is None or len(out[person_of[row]]) < limit:
            out[person_of[row]].append(row)
    return out


def _set_off(r: Result, chosen: np.ndarray) -> dict[int, list[tuple[int, int]]]:
    """Whom each chosen person set off (person code), how often."""
    n_people = max(len(r.batch.people), 1)
    pair, times = np.unique(r.person[r.src[chosen]] * n_people + r.person[r.dst[chosen]], return_counts=True)
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for k, n in zip(pair.tolist(), times.tolist(), strict=True):
        out[k // n_people].append((k % n_people, n))
    return out


class _Shares:
    """Evidence objects for the ``shown`` rows: their links, and their links' own links for
    the second order, looked up once (plain lists: indexing them is much cheaper than
    indexing numpy arrays one by one)."""

    def __init__(
        self, rows: Analysed, labels: list[Person], reactions: dict[Any, list[str]], notes: dict[str, str],
        shown: np.ndarray,
    ) -> None:
        r = rows.result
        self.r, self.labels, self.reactions, self.notes, self.kinds = r, labels, reactions, notes, rows.kinds
        self.infos = [rows.loaded.workshops[w] for w in r.batch.workshops]
        items = rows.loaded.items
        self.item_titles = {i: items[k].title if k in items else "" for i, k in enumerate(r.batch.items)}
        self.person_of, self.t_of, self.ws_of = r.person.tolist(), r.t_ms.tolist(), r.ws.tolist()
        self.item_of, self.spont_of = r.item.tolist(), r.spont.tolist()
        src_l, self.dst_l, self.expl_l = r.src.tolist(), r.dst.tolist(), r.explicit.tolist()
        self.links_of: dict[int, list[int]] = defaultdict(list)
        for li in np.nonzero(np.isin(r.src, shown))[0].tolist():
            self.links_of[src_l[li]].append(li)
        # children of every target of those links, for the second order
        targets = np.asarray(sorted({self.dst_l[li] for v in self.links_of.values() for li in v}), dtype=np.int64)
        self.children: dict[int, list[int]] = defaultdict(list)
        for li in (np.nonzero(np.isin(r.src, targets))[0].tolist() if len(targets) else []):
            self.children[src_l[li]].append(self.dst_l[li])

    def of(self, row: int, code: int, first: frozenset[str] = frozenset()) -> SharedEvidence:
        """Row ``row``, a share by the person coded ``code``, as evidence. Its second order
        counts people, as the profile does: whoever its ripples set off in turn, leaving out the
        owner and ``first`` (the people the owner set off directly over the period), so every
        "+N further" of a share is part of the profile's second-order reach."""
        info = self.infos[self.ws_of[row]]
        raw = self.r.ids[row]
        cid = uuid.UUID(str(raw))
        links = self.links_of.get(row, [])
        person_of, dst_l, labels = self.person_of, self.dst_l, self.labels
        people = self.r.batch.people
        second = {
            person_of[c] for li in links for c in self.children.get(dst_l[li], ())
            if person_of[c] != code and people[person_of[c]] not in first
        }
        item = self.item_of[row]
        return SharedEvidence(
            id=cid,
            workshop=info.title,
            at=datetime.fromtimestamp(self.t_of[row] / 1000.0, info.tz),
            item=self.item_titles.get(item, "") if item >= 0 else "",
            kind=self.kinds[row],
            spontaneous=bool(self.spont_of[row]),
            explicit=tuple(labels[person_of[dst_l[li]]] for li in links if self.expl_l[li]),
            inferred=tuple(labels[person_of[dst_l[li]]] for li in links if not self.expl_l[li]),
            second_order=len(second),
            reactions=sum(1 for x in self.reactions.get(raw, ()) if x != self.r.batch.people[code]),
            note=self.notes.get(str(cid), "") if self.notes else "",
        )


def _clip(c: tuple[Any, ...], workshops: dict[str, WorkshopInfo]) -> ClipEvidence:
    info = workshops.get(c[2])
    return ClipEvidence(
        uuid.UUID(str(c[0])), info.title if info else "",
        c[3].astimezone(info.tz) if info else c[3], float(c[4] or 0.0), c[5], c[6] or "", int(c[7]),
    )
