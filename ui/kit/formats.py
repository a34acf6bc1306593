"""How the screens write times: a clock ("04:05", "1:02:03") and how long ago ("12 min ago")."""

from __future__ import annotations

from datetime import UTC, datetime


def fmt_clock(seconds: float) -> str:
    """Minutes and seconds (hours when there are any); a part of a second left counts as one,
    so a countdown shows 00:01 until it really is over."""
    s = int(abs(seconds) + (0.999 if seconds > 0 else 0))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """"just now", "12 min ago", "3 h ago", "yesterday", or a date."""
    if when is None:
        return "never"
    seconds = ((now or datetime.now(UTC)) - when).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    if seconds < 2 * 86400:
        return "yesterday"
    return when.astimezone().strftime("%d %b")
