"""The one place for the ripple window, every weight and every threshold of the analysis.

Nothing else in Ripple holds a number that changes who counts as an influencer: the engine,
the dashboards, the exports and ``docs/influence.md`` (its tables are generated from here)
all read these. A cached analysis is keyed by them too (:func:`app.insights.cache.params_key`),
so changing one never serves numbers computed with the old value.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Seconds after a spontaneous share in which another member of the same agenda item and
#: group counts as set off by it (an *inferred* ripple).
RIPPLE_WINDOW_S: float = 120.0


@dataclass(frozen=True)
class Weights:
    """Points per unit of each signal in a workshop's raw influence score.

    Why these values: ripples are the signal PRODUCT.md cares about, so they dominate;
    explicit links (the trainer saw B build on A) are worth three times an inferred one, and
    an inferred ripple's point is shared among all the shares that could have set it off.
    Volume is worth little (0.5 per spontaneous, 0.1 per prompted share), so a loud
    participant who speaks when called on cannot talk their way up the ranking.
    """

    explicit_ripple: float = 3.0  # per contribution that explicitly builds on theirs
    inferred_ripple: float = 1.0  # per unit of inferred credit (1/k for k possible sources)
    reach_explicit: float = 2.0  # per distinct person who built on them explicitly
    reach_inferred: float = 1.0  # per further distinct person set off (inferred links only)
    second_order_reach: float = 1.0  # per further distinct person set off by their ripples
    first_mover: float = 1.0  # per agenda item they opened with a spontaneous share
    spontaneous: float = 0.5  # per spontaneous share
    prompted: float = 0.1  # per prompted share
    spontaneity: float = 2.0  # times the smoothed spontaneity rate (0..1)
    failure: float = 1.0  # per failure story told unprompted (prompted ones are the exercise)
    clip: float = 1.5  # per clip shared
    reaction: float = 0.5  # per peer reaction received on their contributions or clips
    centrality: float = 1.0  # per unit of network centrality above the room's average


@dataclass(frozen=True)
class Rules:
    """Smoothing, normalisation and the thresholds for *candidate* and *emerging*."""

    # Spontaneity rate smoothed towards an even split: (spontaneous + 2) / (shares + 4).
    prior_rate: float = 0.5
    prior_strength: float = 4.0
    # A workshop's index is the raw score over the room's median raw score (1.0 = a typical
    # participant of that workshop), so long and short workshops compare; the median (not the
    # mean, which the influencers themselves pull up) is floored so a near-silent room does
    # not blow small numbers up.
    min_room_median: float = 1.0
    # Enough evidence to be a candidate: several spontaneous shares, and ripples from more
    # than one of them (one lucky share is not enough).
    min_spontaneous: int = 3
    min_rippling_shares: int = 2
    # Not mostly prompted: a candidate's smoothed spontaneity rate is at least this (PRODUCT.md:
    # a loud participant who mostly speaks when called on is not an emerging influencer).
    min_spontaneity: float = 0.4
    # Not resting on one workshop: without their best workshop, someone who is not new must
    # still be above a typical participant (index 1.0) to be a candidate.
    consistency_floor: float = 1.0
    # "High": an influence index of at least 1.5, i.e. half as much again as a typical
    # participant of the same workshops (absolute, so a team filter does not change it).
    strong_index: float = 1.5
    # "Rising": the least-squares slope of the per-workshop index over their last
    # ``trend_window`` workshops is at least this much per workshop (needs 3 workshops).
    rising_slope: float = 0.15
    min_trend_workshops: int = 3
    trend_window: int = 6
    # "New": attended at most this many workshops so far, and joined after their team's
    # first workshop in the store (and within the period, when it has a start).
    new_max_workshops: int = 2
    # Network centrality: PageRank damping on the who-sets-off-whom graph.
    pagerank_alpha: float = 0.85


WEIGHTS = Weights()
RULES = Rules()
