"""How the screens write times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ui.kit.formats import ago, fmt_clock


def test_ago() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert ago(None) == "never"
    assert ago(now - timedelta(seconds=20), now) == "just now"
    assert ago(now - timedelta(minutes=12), now) == "12 min ago"
    assert ago(now - timedelta(hours=3), now) == "3 h ago"
    assert ago(now - timedelta(hours=30), now) == "yesterday"


def test_fmt_clock() -> None:
    assert fmt_clock(0) == "00:00"
    assert fmt_clock(0.2) == "00:01"  # a countdown shows a second until it is really over
    assert fmt_clock(-70) == "01:10"
    assert fmt_clock(3723) == "1:02:03"
