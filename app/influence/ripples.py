"""Which contribution set off which: the rows in canonical order, the ripple links between
them, and who was in each room. Stages 1 to 3 of :func:`app.influence.engine.run`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from app.influence.batch import Batch, Columns

_I64 = np.int64


# ---------------------------------------------------------------- 1. rows in canonical order


@dataclass
class Rows(Columns):
    """The batch's rows in canonical order; ``builds`` points at canonical rows too."""

    order: np.ndarray  # canonical position -> input row
    ids: list[Any]

    def __len__(self) -> int:
        return len(self.order)


def order_rows(b: Batch) -> Rows:
    """The rows by workshop and time, and rows at the same millisecond by id."""
    order = _canonical_order(b)
    n = len(order)
    inv = np.empty(n, dtype=_I64)
    inv[order] = np.arange(n, dtype=_I64)
    old = b.builds[order]
    return Rows(
        order=order,
        ws=b.ws[order],
        item=b.item[order],
        group=b.group[order],
        person=b.person[order],
        t_ms=b.t_ms[order],
        spont=b.spont[order],
        failure=b.failure[order],
        builds=np.where(old >= 0, inv[np.where(old >= 0, old, 0)], -1),
        ids=[b.ids[i] for i in order.tolist()],
    )


def _canonical_order(b: Batch) -> np.ndarray:
    """Rows by workshop and time; rows at the same millisecond by id (so input order never
    matters)."""
    order = np.lexsort((b.t_ms, b.ws))
    if len(order) < 2:
        return order
    ws, t = b.ws[order], b.t_ms[order]
    same = (ws[1:] == ws[:-1]) & (t[1:] == t[:-1])
    if same.any():
        i = 0
        n = len(order)
        out = order.copy()
        while i < n - 1:
            if same[i]:
                j = i
                while j < n - 1 and same[j]:
                    j += 1
                run_rows = sorted(order[i:j + 1].tolist(), key=lambda r: str(b.ids[r]))
                out[i:j + 1] = run_rows
                i = j + 1
            else:
                i += 1
        order = out
    return order


# ---------------------------------------------------------------- 2. ripple links


@dataclass
class Links:
    """Ripple links between canonical rows, sorted by (source, target)."""

    src: np.ndarray
    dst: np.ndarray
    explicit: np.ndarray
    credit: np.ndarray  # 1.0 for an explicit link, 1/k when k shares could have set it off


def find_links(rows: Rows, n_items: int, window_s: float) -> Links:
    """Every ripple link: the explicit ones, and inferred ones for spontaneous rows without one."""
    has = rows.builds >= 0
    tgt = np.where(has, rows.builds, 0)
    valid = has & (rows.person[tgt] != rows.person) & (rows.ws[tgt] == rows.ws)
    x_dst = np.nonzero(valid)[0]
    x_src = rows.builds[x_dst]
    # Only a spontaneous share is inferred to be a ripple: a prompted one answered the trainer,
    # whoever happened to speak a second before it (docs/influence.md, "Ripples").
    i_src, i_dst, i_credit = _inferred_links(rows, np.nonzero(~valid & rows.spont)[0], n_items, round(window_s * 1000))
    src = np.concatenate([x_src, i_src]).astype(_I64)
    dst = np.concatenate([x_dst, i_dst]).astype(_I64)
    explicit = np.concatenate([np.ones(len(x_src), bool), np.zeros(len(i_src), bool)])
    credit = np.concatenate([np.ones(len(x_src)), i_credit])
    lk = np.lexsort((dst, src))
    return Links(src[lk], dst[lk], explicit[lk], credit[lk])


def _inferred_links(
    rows: Rows, targets: np.ndarray, n_items: int, window_ms: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(source, target, credit) for every spontaneous share by someone else in the target's
    bucket (agenda item or workshop, and group) strictly before it and at most ``window_ms``
    earlier: one sorted search over all buckets at once."""
    n = len(rows)
    pos = np.arange(n, dtype=_I64)
    item_key = np.where(rows.item >= 0, rows.item, n_items + rows.ws)
    _u, bucket = np.unique(item_key * 65536 + (rows.group + 1), return_inverse=True)
    tmin = int(rows.t_ms.min()) if n else 0
    key = (bucket.astype(_I64) << 41) + (rows.t_ms - tmin)
    by_key = np.lexsort((pos, key))
    sources = by_key[rows.spont[by_key]]
    source_keys = key[sources]
    lo = np.searchsorted(source_keys, key[targets] - window_ms, "left")
    hi = np.searchsorted(source_keys, key[targets], "left")
    counts = hi - lo
    i_dst = np.repeat(targets, counts)
    i_src = sources[_expand(lo, counts)] if len(i_dst) else np.zeros(0, dtype=_I64)
    keep = rows.person[i_src] != rows.person[i_dst]
    i_src, i_dst = i_src[keep], i_dst[keep]
    k = np.bincount(i_dst, minlength=n)
    i_credit = 1.0 / k[i_dst] if len(i_dst) else np.zeros(0)
    return i_src, i_dst, i_credit


def _expand(lo: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ranges [lo[i], lo[i] + counts[i]) as one array (vectorised)."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=_I64)
    starts = np.cumsum(counts) - counts
    return np.repeat(lo - starts, counts) + np.arange(total, dtype=_I64)


# ---------------------------------------------------------------- 3. who was in each room


@dataclass
class Presence:
    """One entry per (workshop, person) present, sorted; people numbered within their room.

    Present is everyone on a roster, who contributed, or who owns a clip or a reaction.
    """

    keys: np.ndarray  # workshop * P + person, sorted
    ws: np.ndarray
    person: np.ndarray
    n_people: int  # P
    n_ws: int
    of_row: np.ndarray  # each canonical row's presence entry
    room_first: np.ndarray  # each workshop's first presence entry
    local: np.ndarray  # each entry's number within its room
    rostered: np.ndarray  # 1 = on the workshop's roster (not only seen contributing)

    def __len__(self) -> int:
        return len(self.keys)

    def entry(self, w: int, p: int) -> int:
        """The presence entry of person ``p`` in workshop ``w`` (which must be present)."""
        return int(np.searchsorted(self.keys, w * self.n_people + p))


def presence(rows: Rows, b: Batch) -> Presence:
    """Everyone present in each workshop, with each room's people numbered from 0."""
    n_people = len(b.people)
    n_ws = len(b.workshops)
    row_key = rows.ws * n_people + rows.person
    extra = [w * n_people + p for w, p in (*b.present, *b.clips, *b.reactions)]
    pres = np.unique(np.concatenate([row_key, np.asarray(extra, dtype=_I64)]))
    m = len(pres)
    pres_ws, pres_person = pres // max(n_people, 1), pres % max(n_people, 1)
    room_first = np.searchsorted(pres_ws, np.arange(n_ws), "left")
    rostered = np.asarray([w * n_people + p for w, p in b.present], dtype=_I64)
    return Presence(
        keys=pres,
        ws=pres_ws,
        person=pres_person,
        n_people=n_people,
        n_ws=n_ws,
        of_row=np.searchsorted(pres, row_key),
        room_first=room_first,
        local=np.arange(m, dtype=_I64) - room_first[pres_ws] if m else np.zeros(0, dtype=_I64),
        rostered=np.isin(pres, rostered).astype(_I64),
    )
