"""Participation equity: the Gini coefficient and the sentences for the trainer."""

from __future__ import annotations

import pytest

from app.insights.equity import equity_of, gini


def test_gini_and_equity() -> None:
    assert gini([1, 1, 1, 1]) == 0.0
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)
    assert gini([]) == 0.0
    eq = equity_of({"a": (5, 1), "b": (0, 4), "c": (0, 0), "d": (1, 0)}, name=str.upper)
    assert eq.silent == ("c",) and eq.only_prompted == ("b",)
    assert eq.prompts == 5 and eq.top_prompted[0] == "b"
    assert any("C" in h and "did not contribute" in h for h in eq.habits)
