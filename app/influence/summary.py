"""What a period needs of a run, per workshop, and the bytes a kept analysis is stored as.

:func:`app.influence.engine.run` treats every workshop on its own (ripples never cross
workshops, a room's median and network are its own), so one workshop's :class:`Piece`, kept
in the store, put side by side with others by :func:`combine`, is exactly what one run over
all their rows gives. That is what lets the cross-workshop report keep each finished
workshop's piece instead of its 400 rows (:mod:`app.insights.cache`).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.influence.batch import codes
from app.influence.engine import COMPONENTS, FLOAT_METRICS, INT_METRICS, Result, Signals

_I64 = np.int64

#: Bump when :func:`app.influence.engine.run` or the byte layout below changes meaning: every
#: kept analysis is then recomputed.
ENGINE_VERSION = 4  # 4: prompted shares are never inferred ripples

PIECE_COLUMNS = (*INT_METRICS, *FLOAT_METRICS, *COMPONENTS)
"""A :class:`Piece`'s columns: the metrics, then the components."""

_WIDTH = len(PIECE_COLUMNS)


@dataclass
class Summary(Signals):
    """What a period needs of a run: every (workshop, present person)'s signals and whom they
    set off, without the rows behind them."""

    workshops: list[str]
    starts: list[float]
    people: list[str]
    contributions: np.ndarray  # live contributions per workshop

    def pieces(self) -> list[Piece]:
        """One :class:`Piece` per workshop, in workshop order."""
        n_ws = len(self.workshops)
        n_people = max(len(self.people), 1)
        columns = np.column_stack(
            [self.metrics[k].astype(np.float64) for k in (*INT_METRICS, *FLOAT_METRICS)]
            + [self.components[k] for k in COMPONENTS]
        ) if len(self.pres_ws) else np.zeros((0, len(PIECE_COLUMNS)))
        bounds = np.searchsorted(self.pres_ws, np.arange(n_ws + 1), "left")
        keys = self.pres_ws * n_people + self.pres_person  # sorted: entries are by (workshop, person)

        def localise(pairs: np.ndarray) -> list[np.ndarray]:
            """Each workshop's pairs as ``local presence * room size + local person``."""
            owner, other = pairs // n_people, pairs % n_people
            w = self.pres_ws[owner]
            other_at = np.searchsorted(keys, w * n_people + other)
            size = np.maximum(bounds[w + 1] - bounds[w], 1)
            local = (owner - bounds[w]) * size + (other_at - bounds[w])
            order = np.argsort(w, kind="stable")
            cuts = np.searchsorted(w[order], np.arange(n_ws + 1), "left")
            local = local[order].astype(_I64)
            return [local[cuts[i]:cuts[i + 1]] for i in range(n_ws)]

        p1, px, p2 = localise(self.pairs1), localise(self.pairs_x), localise(self.pairs2)
        people = self.pres_person.tolist()
        return [
            Piece(
                people=[self.people[c] for c in people[bounds[w]:bounds[w + 1]]],
                values=np.ascontiguousarray(columns[bounds[w]:bounds[w + 1]]),
                pairs1=p1[w],
                pairs_x=px[w],
                pairs2=p2[w],
                contributions=int(self.contributions[w]),
            )
            for w in range(n_ws)
        ]


def summarise(r: Result) -> Summary:
    """The per-presence part of a result, which is all a period needs."""
    b = r.batch
    return Summary(
        workshops=b.workshops,
        starts=b.starts,
        people=b.people,
        pres_ws=r.pres_ws,
        pres_person=r.pres_person,
        metrics=r.metrics,
        components=r.components,
        pairs1=r.pairs1,
        pairs_x=r.pairs_x,
        pairs2=r.pairs2,
        contributions=np.bincount(r.ws, minlength=len(b.workshops)).astype(_I64),
    )


@dataclass
class Piece:
    """One workshop's :class:`Summary` on its own: its present people (sorted, so their
    position is their local code), one row of numbers each, and the set-off pairs as
    ``local presence * len(people) + local person``."""

    people: list[str]
    values: np.ndarray  # (len(people), len(PIECE_COLUMNS)) float64
    pairs1: np.ndarray
    pairs_x: np.ndarray
    pairs2: np.ndarray
    contributions: int


def combine(workshops: Sequence[tuple[str, float]], pieces: Sequence[Piece]) -> Summary:
    """Workshops' pieces (in the given workshop order) as one summary, identical to the one
    a single :func:`app.influence.engine.run` over all their rows gives."""
    people = sorted({p for piece in pieces for p in piece.people})
    code = codes(people)
    n_people = max(len(people), 1)
    sizes = [len(piece.people) for piece in pieces]
    pres_ws = np.repeat(np.arange(len(pieces), dtype=_I64), sizes)
    pres_person = np.fromiter((code[p] for piece in pieces for p in piece.people), dtype=_I64, count=sum(sizes))
    values = np.concatenate([piece.values for piece in pieces]) if pieces else np.zeros((0, len(PIECE_COLUMNS)))
    starts = np.cumsum(sizes, dtype=_I64) - np.asarray(sizes, dtype=_I64)

    def globalise(name: str) -> np.ndarray:
        arrays = [getattr(piece, name) for piece in pieces]
        counts = np.asarray([len(a) for a in arrays], dtype=_I64)
        if not counts.sum():
            return np.zeros(0, dtype=_I64)
        pairs = np.concatenate(arrays).astype(_I64)
        size = np.repeat(np.maximum(np.asarray(sizes, dtype=_I64), 1), counts)
        base = np.repeat(starts, counts)
        return (pairs // size + base) * n_people + pres_person[base + pairs % size]

    metrics: dict[str, np.ndarray] = {k: values[:, i].astype(_I64) for i, k in enumerate(INT_METRICS)}
    offset = len(INT_METRICS)
    metrics.update({k: values[:, offset + i].copy() for i, k in enumerate(FLOAT_METRICS)})
    offset += len(FLOAT_METRICS)
    components = {k: values[:, offset + i].copy() for i, k in enumerate(COMPONENTS)}
    return Summary(
        workshops=[w for w, _s in workshops],
        starts=[s for _w, s in workshops],
        people=people,
        pres_ws=pres_ws,
        pres_person=pres_person,
        metrics=metrics,
        components=components,
        pairs1=globalise("pairs1"),
        pairs_x=globalise("pairs_x"),
        pairs2=globalise("pairs2"),
        contributions=np.asarray([piece.contributions for piece in pieces], dtype=_I64),
    )


def people_sets(pairs: np.ndarray, people: list[str], lo: int, hi: int) -> dict[int, frozenset[str]]:
    """``owner * P + person`` pairs with ``lo <= owner < hi`` as one set of people per owner."""
    n_people = max(len(people), 1)
    sel = np.sort(pairs[(pairs >= lo * n_people) & (pairs < hi * n_people)])
    if not len(sel):
        return {}
    owner = sel // n_people
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    names = [people[i] for i in (sel % n_people).tolist()]
    bounds = [*starts.tolist(), len(sel)]
    return {
        o: frozenset(names[bounds[i]:bounds[i + 1]]) for i, o in enumerate(owner[starts].tolist())
    }


# ---------------------------------------------------------------- the kept-analysis bytes


def encode(piece: Piece) -> bytes:
    """A piece as bytes: a small JSON header (people, sizes), then the numbers as raw arrays."""
    header = json.dumps(
        {
            "v": ENGINE_VERSION,
            "people": piece.people,
            "width": _WIDTH,
            "pairs": [len(piece.pairs1), len(piece.pairs_x), len(piece.pairs2)],
            "contributions": piece.contributions,
        },
        separators=(",", ":"),
    ).encode()
    return b"".join(
        [
            struct.pack("<I", len(header)),
            header,
            np.ascontiguousarray(piece.values, dtype="<f8").tobytes(),
            np.concatenate([piece.pairs1, piece.pairs_x, piece.pairs2]).astype("<i4").tobytes(),
        ]
    )


def decode(data: bytes) -> Piece | None:
    """The piece, or ``None`` for bytes this version cannot read (it is then recomputed)."""
    try:
        (size,) = struct.unpack_from("<I", data, 0)
        header = json.loads(bytes(data[4 : 4 + size]))
        if header.get("v") != ENGINE_VERSION or header.get("width") != _WIDTH:
            return None
        people = [str(p) for p in header["people"]]
        n1, nx, n2 = (int(x) for x in header["pairs"])
        at = 4 + size
        values = np.frombuffer(data, dtype="<f8", count=len(people) * _WIDTH, offset=at).reshape(len(people), _WIDTH)
        at += values.nbytes
        raw_pairs = np.frombuffer(data, dtype="<i4", count=n1 + nx + n2, offset=at)
        if at + raw_pairs.nbytes != len(data):
            return None
        pairs = raw_pairs.astype(np.int64)
    except (ValueError, KeyError, TypeError, struct.error):
        return None
    return Piece(
        people=people,
        values=values,
        pairs1=pairs[:n1],
        pairs_x=pairs[n1 : n1 + nx],
        pairs2=pairs[n1 + nx :],
        contributions=int(header["contributions"]),
    )
