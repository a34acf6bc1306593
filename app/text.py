"""How numbers, durations and times are written, in one place for the UI, CSV, XLSX, PDF and CLI.

A clip's length reads the same in the booth, the gallery and the console ("01:23"), a count
says "1 reaction" but "2 reactions" everywhere, and a minute is written "2026-11-22 14:05" in
every file and table a person or a tool reads. Labels of the product's codes (kinds, scopes,
reactions) live beside the codes in :mod:`app.vocabulary`.

Times are written in the time zone they carry: callers convert first (``.astimezone()`` for
this computer's clock) when that is what the reader expects; evidence keeps the workshop's own
time zone on purpose. What happened *in* a workshop (the console's Latest list, the insights
timeline, the correction form) is shown on the workshop's clock through :func:`workshop_time`,
labelled with :func:`clock_label`, so every screen shows a share at the same minute.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone


def noun(count: int, one: str, many: str | None = None) -> str:
    """``one`` for exactly one, else ``many`` (by default ``one`` + "s"): "story"/"stories"."""
    if count == 1:
        return one
    return many if many is not None else one + "s"


def plural(count: int, one: str, many: str | None = None) -> str:
    """The count and its noun: "1 reaction", "0 reactions", "3 failure stories"."""
    return f"{count} {noun(count, one, many)}"


def times(label: str, count: int) -> str:
    """A name and how often it occurs, when more than once: "Ana", "Ben ×2"."""
    return f"{label} ×{count}" if count > 1 else label


def tally(labels: Iterable[str]) -> str:
    """"Ana, Ben ×2": each label once, in order of first appearance, with how often."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return ", ".join(times(label, n) for label, n in counts.items())


def clock(seconds: float) -> str:
    """A duration as a clock: "01:23", "12:05", "1:02:03" past the hour.

    A positive fraction rounds up (a timer showing "00:00" has really run out); the sign is
    dropped, the caller says "+" for overtime.
    """
    s = int(abs(seconds) + (0.999 if seconds > 0 else 0))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """"just now", "12 min ago", "3 h ago", "yesterday", or a date ("22 Nov"); "never" for None."""
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


def local(when: datetime) -> datetime:
    """``when`` in this computer's time zone, or as it is when that zone cannot show it (an
    instant at the edge of the calendar, written before the store checked its dates)."""
    try:
        return when.astimezone()
    except (OverflowError, ValueError):
        return when


def minute(when: datetime) -> str:
    """A moment to the minute, sortable and unambiguous: "2026-11-22 14:05" (files, the CLI)."""
    return when.strftime("%Y-%m-%d %H:%M")


def day(when: datetime) -> str:
    """A day for people: "22 Nov 2026"."""
    return when.strftime("%d %b %Y")


def weekday_minute(when: datetime) -> str:
    """A recent moment for people: "Sun 22 Nov, 14:05"."""
    return when.strftime("%a %d %b, %H:%M")


def workshop_zone(offset_min: int) -> timezone:
    """The workshop's time zone: the UTC offset it was planned in (``Workshop.utc_offset_min``)."""
    return timezone(timedelta(minutes=offset_min))


def workshop_time(when: datetime, offset_min: int) -> str:
    """A moment of a workshop on the workshop's clock: "14:05"."""
    return when.astimezone(workshop_zone(offset_min)).strftime("%H:%M")


def zone_name(offset_min: int, now: datetime | None = None) -> str:
    """The workshop's zone for people: this computer's zone name ("CET") when its clock shows
    the same time now, else the offset ("UTC+01:00", "UTC")."""
    now = now or datetime.now(UTC)
    here = local(now)
    name = here.tzname() or ""
    offset = here.utcoffset()
    if offset == timedelta(minutes=offset_min) and name.isalpha():
        return name
    if offset_min == 0:
        return "UTC"
    sign, minutes = ("+" if offset_min > 0 else "-"), abs(offset_min)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def clock_label(offset_min: int, now: datetime | None = None) -> str:
    """What the times of a workshop are in: "times in CET", "times in UTC+01:00"."""
    return f"times in {zone_name(offset_min, now)}"


__all__ = [
    "ago", "clock", "clock_label", "day", "local", "minute", "noun", "plural", "tally", "times",
    "weekday_minute", "workshop_time", "workshop_zone", "zone_name",
]
