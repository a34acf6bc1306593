"""The check-in dates of a workshop's commitments as an iCalendar file.

One all-day event per participant and check-in date, with the commitment and the buddy's
name in the description. UIDs are derived from the commitment and the date, so importing a
newer file into a calendar updates the events instead of doubling them (RFC 5545 matches
events by UID; ``SEQUENCE`` and ``LAST-MODIFIED`` say which version is newer). The file for
the whole workshop is the trainer's; with one participant it is the file to hand to them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path

from icalendar import Calendar, Event
from sqlalchemy import select

from app.errors import FieldError, NotFound
from app.followup.commitments import workshop_day
from db.models import Commitment, Participant, Workshop
from db.store import Store
from db.types import utcnow

PRODID = "-//Ripple//Follow-up check-ins//EN"
_UID_NS = uuid.UUID("b4f8e2a1-7c3d-4e59-a0b6-1d2c3e4f5a6b")


def event_uid(commitment_id: uuid.UUID, day: date) -> str:
    """The same commitment and date give the same UID on every run and every laptop."""
    return f"{uuid.uuid5(_UID_NS, f'{commitment_id}:{day.isoformat()}')}@ripple"


def _sequence(text: str, buddy: str, due: list[str]) -> int:
    """A number that changes when what the event says changes (calendars keep the event with
    the higher SEQUENCE), stable while nothing changes."""
    digest = hashlib.sha256("\x1f".join([text, buddy, *due]).encode()).digest()
    return int.from_bytes(digest[:3], "big")


def workshop_calendar(store: Store, workshop_id: uuid.UUID, participant_id: uuid.UUID | None = None) -> Calendar:
    """The calendar of a workshop's check-ins (only ``participant_id``'s when given)."""
    with store.read() as s:
        w = s.get(Workshop, workshop_id)
        if w is None:
            raise NotFound(f"There is no workshop with id {workshop_id}.")
        q = select(Commitment).where(Commitment.workshop_id == workshop_id, Commitment.text != "")
        if participant_id is not None:
            q = q.where(Commitment.participant_id == participant_id)
        rows = list(s.scalars(q.order_by(Commitment.participant_id)))
        if participant_id is not None and not rows:
            raise NotFound(f"Participant {participant_id} has no commitment in the workshop “{w.title}”.")
        people = {p.id: p for p in s.scalars(select(Participant).where(Participant.id.in_(
            {c.participant_id for c in rows} | {c.buddy_id for c in rows if c.buddy_id})))}
        title, day = w.title, workshop_day(w)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Ripple check-ins: {title}")
    stamp = utcnow()
    for c in rows:
        person = people.get(c.participant_id)
        if person is None or person.erased_at is not None:
            continue
        buddy_row = people.get(c.buddy_id) if c.buddy_id else None
        buddy = buddy_row.name if buddy_row is not None and buddy_row.erased_at is None else ""
        due = sorted(c.check_ins_due or [])
        seq = _sequence(c.text, buddy, due)
        for i, iso in enumerate(due, start=1):
            when = date.fromisoformat(iso)
            ev = Event()
            ev.add("uid", event_uid(c.id, when))
            ev.add("dtstamp", stamp)
            ev.add("last-modified", c.updated_at)
            ev.add("sequence", seq)
            ev.add("dtstart", when)
            ev.add("dtend", when + timedelta(days=1))
            ev.add("summary", f"Ripple check-in {i} of {len(due)}: {person.name}")
            lines = [f"Commitment: {c.text}", f"Buddy: {buddy}" if buddy else "Buddy: none",
                     f"From the workshop “{title}” on {day.isoformat()}.",
                     "Check in: how far did it go, from 1 to 10, and what happened?"]
            ev.add("description", "\n".join(lines))
            ev.add("transp", "TRANSPARENT")
            cal.add_component(ev)
    return cal


def write_calendar(cal: Calendar, out: Path) -> int:
    """Write the calendar atomically (a temporary name, then renamed); returns the events."""
    out = out.expanduser()
    if out.suffix.lower() != ".ics":
        raise FieldError("out", f"--out should name an .ics file, not “{out.name}”.")
    if not out.parent.is_dir():
        raise FieldError("out", f"The folder {out.parent} does not exist.")
    data = cal.to_ical()
    fd, tmp = tempfile.mkstemp(prefix=".ripple-ics-", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise FieldError("out", f"The calendar could not be written to {out}: {exc.strerror or exc}.") from None
    return len(cal.walk("VEVENT"))
