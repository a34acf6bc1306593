"""Who built on whom in one workshop, as the follow-up reads it: the buddy Ripple suggests,
and the "who built on your shares" of a personal ripple card.

The links come from the influence engine's ripple graph (explicit ``builds_on`` links and
inferred ones within the ripple window), computed by :mod:`app.insights.loading` exactly as
the dashboards compute them. Only people who consented to analytics are analysed for a
suggestion: a link counts only when both ends consented (see :func:`suggest_buddy`).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

from app.influence.params import RIPPLE_WINDOW_S, RULES, WEIGHTS
from app.influence.workshop import Link, WorkshopAnalysis, workshop_of
from app.insights.loading import Scope, analyse, load
from app.insights.people import Person, load_people
from db.store import Store


@dataclass(frozen=True)
class WorkshopRipples:
    analysis: WorkshopAnalysis | None  # None: nothing was shared (or the workshop never ran)
    people: dict[str, Person]

    @property
    def links(self) -> list[Link]:
        return self.analysis.links if self.analysis else []

    def ties(self, person: str) -> dict[str, float]:
        """How strongly ``person`` is tied to each peer by ripples in either direction: they
        built on (or were set off by) the peer's shares, or set the peer off. An explicit
        link counts 1, an inferred one its credit, so explicit links count more."""
        out: dict[str, float] = {}
        for x in self.links:
            if x.target_person == person and x.source_person != person:
                out[x.source_person] = out.get(x.source_person, 0.0) + x.credit
            elif x.source_person == person and x.target_person != person:
                out[x.target_person] = out.get(x.target_person, 0.0) + x.credit
        return out


def workshop_ripples(store: Store, workshop_id: uuid.UUID) -> WorkshopRipples:
    loaded = load(store, Scope(workshop_ids=(workshop_id,)), any_status=True)
    if str(workshop_id) not in loaded.workshops:
        return WorkshopRipples(None, {})
    analysed = analyse(loaded, window_s=RIPPLE_WINDOW_S, weights=WEIGHTS, rules=RULES)
    workshop = workshop_of(analysed.result, 0, analysed.kinds)
    return WorkshopRipples(workshop, load_people(store, workshop.profiles))


def suggest_buddy(
    ripples: WorkshopRipples, participant_id: uuid.UUID, candidates: set[uuid.UUID] | None = None
) -> uuid.UUID | None:
    """The peer whose shares ``participant_id`` most often built on or set off, or None.

    Only links between two people who both consented to analytics count (a suggestion is an
    analysis of what both did); ``candidates`` limits the peers (e.g. the roster); ties go to
    the explicit link count, then to the peer's id, so every laptop suggests the same one."""
    me = str(participant_id)
    person = ripples.people.get(me)
    if person is None or not person.named:
        return None
    explicit: Counter[str] = Counter(
        x.source_person if x.target_person == me else x.target_person
        for x in ripples.links if x.explicit and me in (x.source_person, x.target_person)
    )
    best: tuple[float, int, str] | None = None
    for peer, weight in ripples.ties(me).items():
        other = ripples.people.get(peer)
        if other is None or not other.named or weight <= 0:
            continue
        if candidates is not None and uuid.UUID(peer) not in candidates:
            continue
        key = (round(weight, 9), explicit[peer], peer)
        if best is None or (key[0], key[1]) > (best[0], best[1]) or (key[:2] == best[:2] and peer < best[2]):
            best = key
    return uuid.UUID(best[2]) if best else None
