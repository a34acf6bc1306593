"""The engine's input: many workshops' rows coded as integer columns.

Why columns: the engine is vectorised (numpy), so a year of workshops (200,000 contributions)
is analysed in seconds. Workshops, agenda items and people become positions in sorted lists,
and the rows refer to them by position; everything else the engine needs is a column too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

_I64 = np.int64


class Share(NamedTuple):
    """One live contribution as the engine needs it (ids are opaque strings)."""

    id: str
    workshop: str
    item: str | None
    person: str
    t: float  # seconds since the epoch (milliseconds count, finer is ignored)
    spontaneous: bool
    kind: str
    builds_on: str | None


Groups = Mapping[str, Sequence[Iterable[str]]]
"""Agenda item id -> its groups, each a collection of participant ids."""


def codes(values: Sequence[str]) -> dict[str, int]:
    """Each value's position: the integer code the columns use for it."""
    return {v: i for i, v in enumerate(values)}


@dataclass
class Columns:
    """One entry per contribution: its workshop, agenda item, group and person (as codes),
    its time in milliseconds, whether it was spontaneous or a failure story, and the row it
    builds on (-1 for none). The batch has them in input order, the engine's rows in canonical
    order."""

    ws: np.ndarray
    item: np.ndarray
    group: np.ndarray
    person: np.ndarray
    t_ms: np.ndarray
    spont: np.ndarray
    failure: np.ndarray
    builds: np.ndarray


@dataclass
class Batch(Columns):
    """Columnar input for one or many workshops: what :func:`app.influence.engine.run` needs
    and nothing else.

    Workshops, agenda items and people are coded by position in their lists; rows refer to
    them by code. ``builds`` is the row index of the contribution built on (-1 for none).
    ``group`` is 0 where the agenda item has no groups, the group's position + 1 otherwise,
    and -1 for someone outside every group of the item.
    """

    workshops: list[str]
    starts: list[float]  # each workshop's start, epoch seconds
    people: list[str]
    items: list[str]
    ids: list[Any]
    present: list[tuple[int, int]] = field(default_factory=list)  # (workshop, person) on rosters
    clips: dict[tuple[int, int], int] = field(default_factory=dict)
    reactions: dict[tuple[int, int], int] = field(default_factory=dict)


def make_batch(
    *,
    workshops: Sequence[tuple[str, float]],
    ids: Sequence[Any],
    ws: Sequence[Any],
    item: Sequence[Any],
    person: Sequence[Any],
    spontaneous: Sequence[bool],
    kind_failure: Sequence[bool],
    builds_on: Sequence[Any],
    groups: Groups,
    t: Sequence[float] | None = None,
    t_ms: np.ndarray | None = None,
    present: Iterable[tuple[str, str]] = (),
    clips: Mapping[tuple[str, str], int] | None = None,
    reactions: Mapping[tuple[str, str], int] | None = None,
    canon: Callable[[Any], str] = str,
) -> Batch:
    """Code many workshops' rows as integers.

    Times are ``t`` (epoch seconds) or ``t_ms`` (whole milliseconds); either way the engine
    counts whole milliseconds, finer parts are dropped.
    ``ws``, ``item`` and ``person`` may hold the driver's raw ids: ``canon`` turns each
    distinct value into the canonical id string once (``None`` means no agenda item), so a
    column of 200,000 rows costs one dictionary look-up per row. Everything else is given
    with canonical ids already.
    """
    wlist = [w for w, _s in workshops]
    wcode = codes(wlist)
    present = list(present)
    clips = clips or {}
    reactions = reactions or {}
    canon_people = {raw: canon(raw) for raw in set(person)}
    people = sorted(
        set(canon_people.values()) | {p for _w, p in present} | {p for _w, p in clips} | {p for _w, p in reactions}
    )
    pcode = codes(people)
    canon_items = {raw: canon(raw) for raw in set(item) if raw is not None}
    items = sorted(set(canon_items.values()))
    icode = codes(items)
    n = len(ids)

    p_of = {raw: pcode[c] for raw, c in canon_people.items()}
    i_of: dict[Any, int] = {raw: icode[c] for raw, c in canon_items.items()}
    i_of[None] = -1
    w_of = {raw: wcode[canon(raw)] for raw in set(ws)}
    person_col = np.fromiter((p_of[p] for p in person), dtype=_I64, count=n)
    item_col = np.fromiter((i_of[i] for i in item), dtype=_I64, count=n)
    wanted = {x for x in builds_on if x is not None}
    row_of = {rid: i for i, rid in enumerate(ids) if rid in wanted}
    return Batch(
        workshops=wlist,
        starts=[s for _w, s in workshops],
        people=people,
        items=items,
        ids=list(ids),
        ws=np.fromiter((w_of[w] for w in ws), dtype=_I64, count=n),
        item=item_col,
        group=_group_column(item_col, person_col, groups, icode, pcode),
        person=person_col,
        t_ms=_milliseconds(n, t, t_ms),
        spont=np.asarray(spontaneous, dtype=bool).reshape(n),
        failure=np.asarray(kind_failure, dtype=bool).reshape(n),
        builds=np.fromiter((row_of.get(b, -1) if b is not None else -1 for b in builds_on), dtype=_I64, count=n),
        present=[(wcode[w], pcode[p]) for w, p in present if w in wcode],
        clips={(wcode[w], pcode[p]): int(v) for (w, p), v in clips.items() if w in wcode},
        reactions={(wcode[w], pcode[p]): int(v) for (w, p), v in reactions.items() if w in wcode},
    )


def _milliseconds(n: int, t: Sequence[float] | None, t_ms: np.ndarray | None) -> np.ndarray:
    """The time column in whole milliseconds, from milliseconds or from epoch seconds (the
    1e-6 keeps a time stored as x.xxx s from landing one millisecond early)."""
    if t_ms is not None:
        return np.asarray(t_ms, dtype=_I64).reshape(n)
    seconds = np.asarray(t if t is not None else [], dtype=np.float64).reshape(n)
    return np.floor(seconds * 1000.0 + 1e-6).astype(_I64)


def _group_column(
    item_col: np.ndarray, person_col: np.ndarray, groups: Groups, icode: dict[str, int], pcode: dict[str, int]
) -> np.ndarray:
    """Each row's group: 0 = its item has no groups, g + 1 = in the item's group g, -1 =
    outside them all. A person in two groups of one item counts in the first."""
    n = len(item_col)
    n_people = max(len(pcode), 1)
    grouped: set[int] = set()
    member_keys: dict[int, int] = {}
    for it, item_groups in groups.items():
        code = icode.get(it)
        if code is None:
            continue
        for gi, g in enumerate(item_groups):
            for pid in g:
                pc = pcode.get(pid)
                grouped.add(code)
                if pc is not None:
                    member_keys.setdefault(code * n_people + pc, gi + 1)
    if not grouped:
        return np.zeros(n, dtype=_I64)
    in_grouped = np.isin(item_col, np.fromiter(grouped, dtype=_I64))
    if not member_keys:
        return np.where(in_grouped, -1, 0).astype(_I64)
    keys = np.fromiter(sorted(member_keys), dtype=_I64, count=len(member_keys))
    values = np.asarray([member_keys[k] for k in keys.tolist()], dtype=_I64)
    row_keys = item_col * n_people + person_col
    at = np.minimum(np.searchsorted(keys, row_keys), len(keys) - 1)
    hit = keys[at] == row_keys
    return np.where(in_grouped, np.where(hit, values[at], -1), 0).astype(_I64)
