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


def test_a_workshops_times_are_on_its_clock_and_say_which() -> None:
    from app.text import clock_label, workshop_time, zone_name

    at = datetime(2026, 11, 22, 13, 5, tzinfo=UTC)
    assert workshop_time(at, 60) == "14:05"
    assert workshop_time(at, -300) == "08:05"
    assert workshop_time(at.astimezone(), 0) == "13:05"  # whatever zone the moment carries
    assert zone_name(0, at) in ("UTC", at.astimezone().tzname())
    here = at.astimezone()
    offset = int(here.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    other = offset + 90  # a zone this computer is not in
    sign = "+" if other > 0 else "-"
    assert zone_name(other, at) == f"UTC{sign}{abs(other) // 60:02d}:{abs(other) % 60:02d}"
    if (here.tzname() or "").isalpha():
        assert zone_name(offset, at) == here.tzname()  # the name of this computer's zone when it is the same clock
    assert clock_label(other, at) == f"times in {zone_name(other, at)}"
