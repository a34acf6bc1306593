"""The retry policy of background syncs (``app.sync.next_try_minutes``)."""

from __future__ import annotations

from app.sync import RETRY_MINUTES, next_try_minutes


def test_a_working_sync_waits_the_usual_interval() -> None:
    assert next_try_minutes(0, 10) == 10
    assert next_try_minutes(0, 0) == 0  # only when the person asks


def test_failures_are_retried_sooner_then_less_often() -> None:
    assert [next_try_minutes(n, 30) for n in range(1, 7)] == [1, 2, 5, 10, 10, 10]
    assert RETRY_MINUTES[-1] == 10


def test_a_retry_never_waits_longer_than_the_usual_interval() -> None:
    assert [next_try_minutes(n, 3) for n in range(1, 5)] == [1, 2, 3, 3]


def test_failures_are_retried_even_when_syncing_only_on_request() -> None:
    # (a sync the person asked for failed: it is tried again in the background)
    assert [next_try_minutes(n, 0) for n in range(1, 5)] == [1, 2, 5, 10]
