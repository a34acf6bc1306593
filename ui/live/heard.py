"""When "not heard yet" deserves the trainer's attention: one rule for the tiles' dot and the
live panel's list, so the two never disagree.

At the start of a workshop nobody has shared, so a silent person is the normal state, not an
alarm. The room counts as *under way* once either

- at least half of the room has been heard (those still silent are now the few worth a look), or
- a third of the agenda's planned time has been used (the sum of every item's timer against
  the sum of the items' planned minutes), so a room where two people do all the talking
  still gets its nudge.

Before that, silent people are listed in neutral, muted type; after it, calmly marked (a small
dot in the theme's warning colour), never in the danger red.
"""

from __future__ import annotations

from app.live import LiveWorkshop

HEARD_SHARE = 0.5
"""The part of the room heard that makes it under way."""
TIME_SHARE = 1 / 3
"""The part of the agenda's planned time used that makes it under way."""


def under_way(heard: int, people: int, used_s: float = 0.0, planned_s: float = 0.0) -> bool:
    """Whether silent people are now worth the trainer's attention (see the module's rule)."""
    if people <= 0 or heard >= people:
        return False  # nobody to nudge
    if heard >= people * HEARD_SHARE:
        return True
    return planned_s > 0 and used_s >= planned_s * TIME_SHARE


def agenda_progress(live: LiveWorkshop) -> tuple[float, float]:
    """(seconds used on the agenda's timers, seconds planned for the whole agenda)."""
    used = planned = 0.0
    for item in live.plan.agenda:
        planned += item.minutes * 60
        state = live.timer(item.id)
        if state is not None:
            used += state.elapsed_s
    return used, planned
