"""Summaries: workshops analysed apart combine to the analysis of them all, also through the
bytes a kept analysis is stored as; bytes from another version are refused."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.influence.batch import Batch, make_batch
from app.influence.engine import COMPONENTS, FLOAT_METRICS, INT_METRICS, run
from app.influence.period import periods
from app.influence.summary import combine, decode, encode, summarise


def _batch(rows: list[tuple[int, int, int, int, bool, int]], n_ws: int) -> Batch:
    """rows: (workshop, item, person, second, spontaneous, builds_on row or -1)."""
    ids = [f"c{i:04d}" for i in range(len(rows))]
    return make_batch(
        workshops=[(f"w{w}", 1000.0 * w) for w in range(n_ws)],
        ids=ids,
        ws=[f"w{r[0]}" for r in rows],
        item=[f"w{r[0]}-i{r[1]}" for r in rows],
        person=[f"p{r[2]}" for r in rows],
        t=[float(r[3]) for r in rows],
        spontaneous=[r[4] for r in rows],
        kind_failure=[False] * len(rows),
        builds_on=[ids[r[5]] if 0 <= r[5] < len(rows) and r[5] != i else None for i, r in enumerate(rows)],
        groups={},
        present=[(f"w{w}", f"p{p}") for w in range(n_ws) for p in range(2)],
    )


_rows = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 6), st.integers(0, 900), st.booleans(),
              st.integers(-1, 40)),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(_rows)
def test_workshops_analysed_apart_combine_to_the_whole(rows: list[tuple[int, int, int, int, bool, int]]) -> None:
    whole = summarise(run(_batch(rows, 4)))
    pieces = whole.pieces()
    # each workshop on its own gives the same piece as the run over all of them
    for w in range(4):
        mine = [r for r in rows if r[0] == w]
        alone = summarise(run(_batch([(0, *r[1:5], -1) for r in mine], 1))).pieces()[0]
        if not any(r[5] >= 0 for r in mine):  # explicit links are indexed across the batch
            assert alone.people == pieces[w].people
            np.testing.assert_array_equal(alone.values, pieces[w].values)
            np.testing.assert_array_equal(np.sort(alone.pairs1), np.sort(pieces[w].pairs1))
    # and the pieces, put back together (and through the byte format), are the whole
    back = combine(list(zip(whole.workshops, whole.starts, strict=True)),
                       [decode(encode(p)) or p for p in pieces])
    assert back.people == whole.people
    np.testing.assert_array_equal(back.pres_ws, whole.pres_ws)
    np.testing.assert_array_equal(back.pres_person, whole.pres_person)
    for k in INT_METRICS + FLOAT_METRICS:
        np.testing.assert_array_equal(back.metrics[k], whole.metrics[k])
    for k in COMPONENTS:
        np.testing.assert_array_equal(back.components[k], whole.components[k])
    for name in ("pairs1", "pairs_x", "pairs2"):
        np.testing.assert_array_equal(np.sort(getattr(back, name)), np.sort(getattr(whole, name)))
    assert periods(back) == periods(whole)


def test_bytes_it_cannot_read_are_refused() -> None:
    piece = summarise(run(_batch([(0, 0, 1, 10, True, -1), (0, 0, 2, 20, True, -1)], 1))).pieces()[0]
    data = encode(piece)
    back = decode(data)
    assert back is not None and back.people == piece.people
    np.testing.assert_array_equal(back.values, piece.values)
    assert decode(b"\x00\x01 not a piece") is None
    assert decode(data[:-1]) is None  # cut short
    assert decode(data.replace(b'"v":', b'"v":9', 1)) is None  # another engine version
