"""The one chunk-sizing rule of the bulk writers (db/chunks.py), on its own: no store, no clock."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.chunks import AIM, FAST, ChunkSizer

budgets = st.floats(min_value=0.005, max_value=0.2)
holds = st.floats(min_value=0.0, max_value=2.0)
rows = st.integers(min_value=0, max_value=1000)


@st.composite
def sizers(draw: st.DrawFn) -> ChunkSizer:
    least = draw(st.integers(min_value=1, max_value=50))
    most = draw(st.integers(min_value=least, max_value=2000))
    return ChunkSizer(draw(budgets), first=draw(st.integers(min_value=1, max_value=3000)), least=least, most=most)


@given(sizers(), st.lists(st.tuples(rows, holds), max_size=60))
def test_the_size_stays_within_least_and_most(sizer: ChunkSizer, history: list[tuple[int, float]]) -> None:
    assert sizer.least <= sizer.size <= sizer.most
    for n, held in history:
        assert sizer.least <= sizer.done(n, held) <= sizer.most


@given(sizers(), st.lists(st.tuples(rows, holds), max_size=30), st.integers(min_value=1, max_value=1000),
       st.floats(min_value=1.0001, max_value=100.0))
def test_after_an_overshoot_it_never_grows_and_fits_the_time_per_row(
    sizer: ChunkSizer, history: list[tuple[int, float]], n: int, over: float,
) -> None:
    for done, held in history:
        sizer.done(done, held)
    before = sizer.size
    held = sizer.budget_s * over
    after = sizer.done(n, held)
    assert after <= before
    # At once as small as the time per row allows (the least when not even that fits).
    assert after == sizer.least or after * held / n <= AIM * sizer.budget_s + 1e-12
    # And it does not grow on the next chunk either, however fast: one fast chunk may be luck.
    assert sizer.done(n, 0.0) == after


@given(sizers(), st.floats(min_value=1e-6, max_value=0.05))
def test_a_steady_cost_per_row_settles_within_the_budget(sizer: ChunkSizer, per_row: float) -> None:
    budget = sizer.budget_s
    for _ in range(80):
        sizer.done(sizer.size, sizer.size * per_row)
    settled = sizer.size
    assert sizer.done(settled, settled * per_row) == settled  # it stays there
    held = settled * per_row
    # Within the budget unless even the least overshoots ...
    assert held <= budget or settled == sizer.least
    # ... and not far under it: the most, or within the budget's upper half, or as many
    # rows as the aim allows (fewer than that when one row is a large share of the budget).
    assert settled == sizer.most or held >= FAST * budget or settled >= min(
        sizer.most, math.floor(AIM * budget / per_row)) or (settled == sizer.least)


def test_a_spike_shrinks_at_once_then_it_grows_back_after_fast_chunks() -> None:
    sizer = ChunkSizer(0.020, first=20, least=5, most=500)
    per_row = 0.00002  # 20 µs a row: 500 rows take 10 ms
    sizes = []
    for _ in range(12):
        sizes.append(sizer.done(sizer.size, sizer.size * per_row))
    assert sizes[-1] == 500
    # The machine pauses the writer inside a chunk: 500 rows held the lock 300 ms.
    assert sizer.done(500, 0.300) == math.floor(AIM * 0.020 * 500 / 0.300) == 26
    after = [sizer.done(sizer.size, sizer.size * per_row) for _ in range(8)]
    assert after[0] == 26  # one fast chunk is not enough
    assert after == sorted(after) and after[-1] == 500
    # halving (the old rule) would have left 250 rows: another 150 ms overshoot on a busy machine


def test_a_chunk_in_the_budget_keeps_its_size_and_a_nonsense_sizer_is_refused() -> None:
    sizer = ChunkSizer(0.020, first=100)
    assert sizer.done(100, 0.015) == 100
    assert sizer.done(0, 5.0) == 100  # an empty chunk says nothing
    with pytest.raises(ValueError):
        ChunkSizer(0.020, least=10, most=5)
    with pytest.raises(ValueError):
        ChunkSizer(0.0)
