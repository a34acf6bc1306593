"""What the console says about a live workshop, in sentences and lines (Qt-free, so the CLI and
the tests read the same words the trainer does).

A message names who or what it is about ("Ana Costa's share", "Group 2: Ben, Chloé"), never
"that person" or "this item", when the workshop knows the name.
"""

from __future__ import annotations

from app.planning.views import AgendaItemView, ContributionView, WorkshopPlan
from app.vocabulary import INITIATIVE_LABELS, KIND_SHORT


def logged_line(plan: WorkshopPlan, c: ContributionView, base: ContributionView | None = None) -> str:
    """What a tap logged: "Logged Ana Costa's spontaneous share as Story, building on Ben Okafor's"."""
    line = f"Logged {c.participant_name}'s {INITIATIVE_LABELS[c.initiative].lower()} share as {KIND_SHORT[c.kind]}"
    if base is not None:
        line += f", building on {base.participant_name}'s"
    return line


def group_lines(plan: WorkshopPlan, item: AgendaItemView | None) -> list[str]:
    """An agenda item's groups, one line each: "Group 1: Ana Costa, Ben Okafor" (people no
    longer on the roster are left out; a group left empty says so)."""
    if item is None:
        return []
    names = {p.id: p.name for p in plan.participants if not p.erased}
    lines = []
    for g in item.groups:
        members = [names[m] for m in g.members if m in names]
        lines.append(f"{g.name}: {', '.join(members) if members else 'nobody'}")
    return lines


__all__ = ["group_lines", "logged_line"]
