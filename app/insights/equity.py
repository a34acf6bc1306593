"""Participation equity in one workshop: how evenly the sharing was spread, who stayed silent,
who only spoke when called on, and where the facilitator's prompts went.

Why: the influence ranking looks at participants; this looks at the room and at the trainer's
own habits (prompting the same two people again and again is easy to do and hard to notice).
Pure computation over per-person counts; names come from the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from app.text import plural


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values: 0 = perfectly even, towards 1 = one person.

    Computed on the sorted values (O(n log n)); 0.0 for no one or an all-zero room.
    """
    xs = sorted(max(0.0, float(v)) for v in values)
    n = len(xs)
    total = sum(xs)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((i + 1) * x for i, x in enumerate(xs))
    return round((2 * weighted) / (n * total) - (n + 1) / n, 6)


@dataclass(frozen=True)
class PersonShare:
    person: str
    spontaneous: int
    prompted: int

    @property
    def total(self) -> int:
        return self.spontaneous + self.prompted


@dataclass(frozen=True)
class Equity:
    """The room's participation picture, ordered from most to least active."""

    people: tuple[PersonShare, ...]
    gini: float  # of all contributions per present person
    prompt_gini: float  # of prompted contributions per present person
    silent: tuple[str, ...]  # present, no contribution at all
    only_prompted: tuple[str, ...]  # contributed, but never spontaneously
    prompts: int
    top_prompted: tuple[str, ...]  # the (up to two) people who received most prompts
    top_prompt_share: float  # their share of all prompts
    top_share: float  # share of all contributions made by the most active fifth of the room
    habits: tuple[str, ...]  # plain sentences for the trainer

    @property
    def contributions(self) -> int:
        return sum(p.total for p in self.people)


def _names(ids: Sequence[str], name: Callable[[str], str], limit: int = 4) -> str:
    shown = [name(i) for i in ids[:limit]]
    more = len(ids) - len(shown)
    if more > 0:
        return ", ".join(shown) + f" and {more} more"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def equity_of(
    counts: Mapping[str, tuple[int, int]],
    *,
    name: Callable[[str], str] = str,
) -> Equity:
    """``counts`` maps every present person to (spontaneous, prompted)."""
    people = tuple(
        sorted(
            (PersonShare(pid, s, p) for pid, (s, p) in counts.items()),
            key=lambda x: (-x.total, -x.spontaneous, name(x.person), x.person),
        )
    )
    totals = [p.total for p in people]
    total = sum(totals)
    silent = tuple(p.person for p in people if p.total == 0)
    only_prompted = tuple(p.person for p in people if p.total > 0 and p.spontaneous == 0)
    prompts = sum(p.prompted for p in people)
    by_prompts = sorted(people, key=lambda x: (-x.prompted, name(x.person), x.person))
    top = tuple(p.person for p in by_prompts[:2] if p.prompted > 0)
    top_prompt_share = round(sum(p.prompted for p in by_prompts[:2]) / prompts, 6) if prompts else 0.0
    fifth = max(1, round(len(people) / 5)) if people else 0
    top_share = round(sum(totals[:fifth]) / total, 6) if total else 0.0
    g = gini(totals)
    pg = gini([p.prompted for p in people])

    habits: list[str] = []
    if not people:
        habits.append("No one is on this workshop's roster yet.")
    elif total == 0:
        habits.append("Nothing has been logged yet.")
    else:
        if g < 0.25:
            habits.append(f"Sharing was spread evenly across the room (Gini {g:.2f}).")
        elif g < 0.45:
            habits.append(
                f"Sharing was somewhat uneven (Gini {g:.2f}): the most active fifth of the room "
                f"made {top_share:.0%} of the contributions."
            )
        else:
            habits.append(
                f"Sharing was concentrated (Gini {g:.2f}): the most active fifth of the room "
                f"made {top_share:.0%} of the contributions."
            )
        if silent:
            habits.append(
                f"{len(silent)} of {len(people)} did not contribute: {_names(silent, name)}. "
                "An invitation to them early in the next item can help."
            )
        else:
            habits.append("Everyone contributed at least once.")
        if only_prompted:
            habits.append(
                f"{len(only_prompted)} only spoke when called on: {_names(only_prompted, name)}."
            )
        if prompts >= 4 and len(people) >= 4 and top_prompt_share >= 0.5:
            habits.append(
                f"{top_prompt_share:.0%} of your {prompts} prompts went to {_names(top, name)}; "
                "spreading them wider gives quieter people a way in."
            )
        elif prompts:
            prompted = sum(1 for p in people if p.prompted)
            habits.append(f"Your {plural(prompts, 'prompt')} {'was' if prompts == 1 else 'were'} spread over "
                          f"{plural(prompted, 'person', 'people')}.")
        else:
            habits.append("You did not need to prompt anyone: every share was spontaneous.")
    return Equity(
        people=people,
        gini=g,
        prompt_gini=pg,
        silent=silent,
        only_prompted=only_prompted,
        prompts=prompts,
        top_prompted=top,
        top_prompt_share=top_prompt_share,
        top_share=top_share,
        habits=tuple(habits),
    )
