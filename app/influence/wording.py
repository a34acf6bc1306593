"""The analysis in words a trainer can check: the verdict, its reasons, and why someone ranks.

Kept apart from the numbers so the dashboards, the CLI and the three export formats say the
same thing in the same words, and a change of wording never touches the method.
"""

from __future__ import annotations

from app.influence.params import RULES, Rules
from app.influence.period import PeriodProfile
from app.influence.workshop import Profile
from app.text import plural

#: What the index is, in one line, wherever an index is shown: points are what a person
#: earned (docs/influence.md); the index puts them against the room, so busy and quiet
#: workshops compare.
INDEX_MEANS = (
    "Index: the points a person earned (ripples they started, people they set off, spontaneous "
    "shares) over the typical participant's points in the same workshops; 1.0 = typical."
)


def status(p: PeriodProfile) -> str:
    """One label: the kind of candidate, or the first reason they are not one."""
    if not p.candidate:
        if not p.evidence_ok:
            return "not enough evidence"
        if not p.strong:
            return ""
        if not p.spontaneous_enough:
            return "mostly prompted"
        return "rests on one workshop"
    if p.rising and p.new:
        return "emerging: new and rising"
    if p.rising:
        return "emerging: rising"
    if p.new:
        return "emerging: new and strong"
    return "established"


def reasons(p: PeriodProfile, rules: Rules = RULES) -> list[str]:
    """Why the verdict is what it is, in phrases a trainer can check."""
    t = p.total
    out = []
    if t.spontaneous < rules.min_spontaneous:
        out.append(f"only {plural(t.spontaneous, 'spontaneous share')}; {rules.min_spontaneous} are needed")
    if t.rippling_shares < rules.min_rippling_shares:
        out.append(
            f"ripples from {plural(t.rippling_shares, 'share')}; ripples from at least "
            f"{rules.min_rippling_shares} different shares are needed"
        )
    relation = "at least" if p.strong else "below"
    out.append(f"influence index {p.index:.2f} is {relation} {rules.strong_index:.2f}")
    if not p.spontaneous_enough:
        out.append(
            f"speaks mostly when prompted: {t.spontaneity_rate:.0%} spontaneous (smoothed); "
            f"{rules.min_spontaneity:.0%} is needed"
        )
    if p.strong and not p.consistent and not p.new:
        out.append(f"rests on one workshop: without their best one the index is {p.index_without_best:.2f}")
    if p.rising:
        shown = min(len(p.series), rules.trend_window)
        out.append(f"rising: {p.trend:+.2f} per workshop over their last {shown} workshops")
    if p.new:
        out.append(f"new: {plural(p.workshops_ever, 'workshop')} so far, joined after their team started")
    return out


def why(p: Profile) -> str:
    """One line: why this person ranks where they do."""
    parts: list[str] = []
    if p.rippling_shares:
        people = len(p.reach_first)
        parts.append(
            f"{plural(p.rippling_shares, 'share')} set off {plural(people, 'person', 'people')}"
            + (f" ({p.explicit_ripples}× built on explicitly)" if p.explicit_ripples else "")
        )
    if p.reach_second:
        parts.append(f"+{len(p.reach_second)} further through their ripples")
    if p.first_moves:
        parts.append(f"opened {plural(p.first_moves, 'item')}")
    if p.contributions:
        parts.append(f"{p.spontaneous} spontaneous, {p.prompted} prompted")
    else:
        parts.append("no contributions")
    if p.failures:
        parts.append(plural(p.failures, "failure story", "failure stories"))
    if p.clips:
        parts.append(plural(p.clips, "clip"))
    if p.reactions:
        parts.append(plural(p.reactions, "reaction"))
    return "; ".join(parts)
