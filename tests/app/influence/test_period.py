"""Across workshops: the plain trend formula (the vectorised one is held to the reference in
test_reference.py)."""

from __future__ import annotations

import pytest

from app.influence.period import trend_slope


def test_trend_slope() -> None:
    assert trend_slope([1, 2, 3, 4]) == pytest.approx(1.0)
    assert trend_slope([3]) == 0.0
    assert trend_slope([2, 2, 2]) == 0.0
