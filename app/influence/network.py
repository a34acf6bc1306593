"""Who set off whom, as people: reach sets (first and second order) as per-room bitmasks, and
each person's network position. Stages 5 and 6 of :func:`app.influence.engine.run`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.influence.params import Rules, Weights
from app.influence.ripples import Links, Presence, Rows

_I64 = np.int64


# ---------------------------------------------------------------- 5. reach


@dataclass
class Reach:
    """How many distinct people each presence set off, and who (as presence * P + person)."""

    first: np.ndarray
    explicit: np.ndarray  # the part of ``first`` with an explicit link
    second: np.ndarray  # set off by their ripples, not by them directly, never themselves
    pairs1: np.ndarray
    pairs_x: np.ndarray
    pairs2: np.ndarray


def reach(links: Links, room: Presence) -> Reach:
    """Reach as sets of people, one bitmask per presence entry: a room's people are numbered
    within their workshop, so a few 64-bit words hold any room and sets merge with OR."""
    m = len(room)
    words = max(1, (int(room.local.max()) + 64) // 64) if m else 1
    local_row = room.local[room.of_row]
    sidx = room.of_row[links.src]
    dst_bits = _bits(local_row[links.dst], words)
    children = _or_by(links.src, dst_bits, len(room.of_row), words)  # per row: who its ripples set off
    mask1 = _or_by(sidx, dst_bits, m, words)
    mask_x = _or_by(sidx[links.explicit], dst_bits[links.explicit], m, words)
    mask2 = _or_by(sidx, children[links.dst], m, words) & ~mask1 & ~_bits(room.local, words)

    def popcount(mask: np.ndarray) -> np.ndarray:
        return np.bitwise_count(mask).sum(axis=1).astype(np.float64) if m else np.zeros(0)

    def pairs_of(mask: np.ndarray) -> np.ndarray:
        """presence * P + person for every bit set."""
        flags = np.unpackbits(mask.view(np.uint8), axis=1, bitorder="little")
        owner, local = np.nonzero(flags)
        return owner.astype(_I64) * room.n_people + room.person[room.room_first[room.ws[owner]] + local]

    return Reach(
        first=popcount(mask1), explicit=popcount(mask_x), second=popcount(mask2),
        pairs1=pairs_of(mask1), pairs_x=pairs_of(mask_x), pairs2=pairs_of(mask2),
    )


def _bits(local: np.ndarray, words: int) -> np.ndarray:
    """One row of ``words`` 64-bit words per value, with the value's bit set."""
    out = np.zeros((len(local), words), dtype="<u8")
    out[np.arange(len(local)), local // 64] = np.left_shift(np.uint64(1), (local % 64).astype(np.uint64))
    return out


def _or_by(owner: np.ndarray, values: np.ndarray, size: int, words: int) -> np.ndarray:
    """OR of ``values`` rows grouped by ``owner`` (any order) into ``size`` rows."""
    out = np.zeros((size, words), dtype="<u8")
    if len(owner):
        o = np.argsort(owner, kind="stable")
        so = owner[o]
        starts = np.flatnonzero(np.r_[True, so[1:] != so[:-1]])
        out[so[starts]] = np.bitwise_or.reduceat(values[o], starts, axis=0)
    return out


# ---------------------------------------------------------------- 6. network position


def network_position(rows: Rows, links: Links, room: Presence, weights: Weights, rules: Rules) -> np.ndarray:
    """Each presence's PageRank in its room's weighted who-sets-off-whom graph (edges point
    from the one set off to the one who set them off, weighted like their points), 1.0 in a
    room without links. All rooms' matrices are filled with one bincount."""
    cent = np.ones(len(room))
    if len(links.src):
        local_row = room.local[room.of_row]
        value = np.where(links.explicit, weights.explicit_ripple, weights.inferred_ripple * links.credit)
        size_w = np.bincount(room.ws, minlength=room.n_ws)
        offset = np.cumsum(size_w * size_w) - size_w * size_w
        w_dst = rows.ws[links.dst]
        flat = offset[w_dst] + local_row[links.dst] * size_w[w_dst] + local_row[links.src]
        cells = np.bincount(flat, weights=value, minlength=int((size_w * size_w).sum()))
        for w in np.unique(rows.ws[links.src]).tolist():
            size, base = int(size_w[w]), int(room.room_first[w])
            mat = cells[offset[w]:offset[w] + size * size].reshape(size, size)
            cent[base:base + size] = _pagerank(mat, rules.pagerank_alpha)
    return np.round(cent, 6)


def _pagerank(weights: np.ndarray, alpha: float) -> np.ndarray:
    """PageRank of a weighted digraph given as a matrix (row = from, column = to), as networkx
    computes it from ``google_matrix`` (uniform teleport, dangling nodes spread evenly), but
    solved exactly; scaled so the average node has 1.0."""
    n = len(weights)
    rows = weights.sum(axis=1)
    m = np.where(rows[:, None] > 0, weights / np.where(rows > 0, rows, 1.0)[:, None], 1.0 / n)
    r = np.linalg.solve(np.eye(n) - alpha * m.T, np.full(n, (1.0 - alpha) / n))
    return r / r.sum() * n
