"""The one way numbers, durations and times are written (UI, files and CLI alike)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.text import ago, clock, day, minute, noun, plural, tally, times, weekday_minute


def test_ago() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert ago(None) == "never"
    assert ago(now - timedelta(seconds=20), now) == "just now"
    assert ago(now - timedelta(minutes=12), now) == "12 min ago"
    assert ago(now - timedelta(hours=3), now) == "3 h ago"
    assert ago(now - timedelta(hours=30), now) == "yesterday"


def test_clock_counts_minutes_and_hours_and_rounds_a_started_second_up() -> None:
    assert clock(0) == "00:00"
    assert clock(83) == "01:23"
    assert clock(725) == "12:05"
    assert clock(0.2) == "00:01"
    assert clock(-61) == "01:01"  # overtime: the caller adds the "+"
    assert clock(3723) == "1:02:03"


def test_plural_and_noun() -> None:
    assert plural(1, "reaction") == "1 reaction"
    assert plural(0, "reaction") == "0 reactions"
    assert plural(3, "failure story", "failure stories") == "3 failure stories"
    assert plural(1, "person", "people") == "1 person"
    assert noun(2, "is", "are") == "are" and noun(1, "is", "are") == "is"


def test_tally_keeps_the_order_and_counts_repeats() -> None:
    assert tally(["Ana", "Ben", "Ana", "Cleo", "Ana", "Ben"]) == "Ana ×3, Ben ×2, Cleo"
    assert tally([]) == ""
    assert times("Ana", 1) == "Ana" and times("Ana", 2) == "Ana ×2"


def test_times_of_day() -> None:
    at = datetime(2026, 11, 22, 14, 5, tzinfo=UTC)
    assert minute(at) == "2026-11-22 14:05"
    assert day(at) == "22 Nov 2026"
    assert weekday_minute(at) == "Sun 22 Nov, 14:05"
