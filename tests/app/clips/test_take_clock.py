"""The booth's recording clock: what is shown as recorded and as left always adds up to the limit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.clips.recording import take_clock
from app.text import clock


def test_the_reported_case_adds_up() -> None:
    # 7.2 s into a 90 s take showed "00:08" recorded and "01:23" left (91 s).
    elapsed, left = take_clock(7.2, 90.0)
    assert (clock(elapsed), clock(left)) == ("00:07", "01:23")


@given(st.floats(min_value=0, max_value=600), st.integers(min_value=1, max_value=600))
def test_shown_recorded_plus_left_is_the_limit(elapsed: float, limit: int) -> None:
    shown, left = take_clock(elapsed, float(limit))
    assert left >= 0 and shown >= 0
    if elapsed <= limit:
        assert shown + left == limit
    else:
        assert left == 0


def test_the_end_shows_no_time_left() -> None:
    assert take_clock(90.0, 90.0) == (90, 0)
    assert take_clock(89.99, 90.0) == (89, 1)
