"""A workshop's life as the trainer meets it: planned for a day, run (and re-dated to the day
it really ran), finished (read-only until resumed), and which workshops the Live button offers.

Days are said in the workshop's own time zone (the offset it was planned in), so "finished
on 3 Dec" is the trainer's date wherever the laptop is.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from app.planning.views import WorkshopSummary
from app.planning.workshops import list_workshops
from db.store import Store
from db.types import utcnow

#: How many workshops the Live button's picker offers at most.
PICKER_SIZE = 8


def local_day(when: datetime, utc_offset_min: int) -> date:
    """The calendar day of ``when`` where the workshop was planned."""
    return when.astimezone(timezone(timedelta(minutes=utc_offset_min))).date()


def say_day(day: date, today: date | None = None) -> str:
    """"3 Dec" (this year) or "3 Dec 2025" (another year): short enough for one line."""
    this_year = (today or date.today()).year
    text = f"{day.day} {day:%b}"
    return text if day.year == this_year else f"{text} {day.year}"


def finished_reason(ended_at: datetime | None, utc_offset_min: int, now: datetime | None = None) -> str:
    """Why the console of a finished workshop takes no taps, and what to do about it."""
    if ended_at is None:
        return "This workshop is finished. Resume it to log more."
    now = now or utcnow()
    day = say_day(local_day(ended_at, utc_offset_min), local_day(now, utc_offset_min))
    return f"This workshop finished on {day}. Resume it to log more."


def redate_question(
    status: str, started_at: datetime, utc_offset_min: int, now: datetime | None = None
) -> str | None:
    """What to ask before running a workshop planned for another day (going live dates it to
    the day it really runs: app/live_agenda.py), or None when there is nothing to ask."""
    if status != "planned":
        return None
    now = now or utcnow()
    planned, today = local_day(started_at, utc_offset_min), local_day(now, utc_offset_min)
    if planned == today:
        return None
    return (f"This workshop is planned for {say_day(planned, today)}. "
            f"Run it today and move it to {say_day(today, today)}?")


def runnable_workshops(store: Store, now: datetime | None = None) -> list[WorkshopSummary]:
    """What the Live button offers when no workshop is open: the live ones first, then the
    planned ones, today's first, then the coming days in order, then those whose day passed
    (most recent first), at most :data:`PICKER_SIZE`."""
    now = now or utcnow()
    today = now.astimezone().date()
    rows = [w for w in list_workshops(store) if w.status in ("live", "planned")]

    def rank(w: WorkshopSummary) -> tuple[int, float]:
        day = w.started_at.astimezone().date()
        seconds = (w.started_at - now).total_seconds()
        if w.status == "live":
            return (0, -w.started_at.timestamp())
        if day == today:
            return (1, seconds)
        return (2, seconds) if seconds > 0 else (3, -seconds)

    return sorted(rows, key=rank)[:PICKER_SIZE]


__all__ = ["PICKER_SIZE", "finished_reason", "local_day", "redate_question", "runnable_workshops", "say_day"]
