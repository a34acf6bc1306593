"""Participants from a CSV roster, as people really export them.

Spreadsheets and HR tools write UTF-8 with or without a BOM (sometimes Windows-1252),
separate with commas or semicolons, name columns in any case and language, split names
into first and last, and repeat rows. We take what we can, list what we cannot with its
line number, and report duplicates instead of importing them twice.
"""

from __future__ import annotations

import csv
import io
import re
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.errors import RippleError
from app.planning.ids import existing_row, membership_id, person_id_for_email
from app.planning.participants import join_workshop, new_participant_rows, upsert_participant_in
from app.planning.views import Consent
from app.platform.inputs import MB, read_regular
from app.text import plural
from db import limits
from db.models import ConsentEvent, Participant, Workshop, WorkshopParticipant
from db.store import Store
from db.types import utcnow

HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fullname", "participant", "participant name", "nombre",
             "nombre completo", "nom", "display name", "learner", "attendee"),
    "first": ("first name", "firstname", "given name", "first", "nombre de pila", "prénom", "prenom"),
    "last": ("last name", "lastname", "surname", "family name", "last", "apellido", "apellidos", "nom de famille"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "correo",
              "correo electrónico", "courriel", "work email"),
    "team": ("team", "department", "dept", "group", "unit", "equipo", "departamento", "équipe", "business unit"),
    "video": ("video consent", "consent video", "video"),
    "community": ("community consent", "consent community", "share beyond room", "community"),
    "analytics": ("analytics consent", "consent analytics", "analytics"),
}

TRUE = {"yes", "y", "true", "1", "x", "si", "sí", "oui", "ja"}
FALSE = {"no", "n", "false", "0", "", "non", "nein"}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _norm_header(h: str) -> str:
    h = unicodedata.normalize("NFC", h).strip().strip('"').lower()
    return re.sub(r"[\s_]+", " ", h)


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    email: str | None
    team: str
    consent: Consent | None


@dataclass(frozen=True)
class RosterProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class Roster:
    rows: list[RosterRow] = field(default_factory=list)
    duplicates: list[RosterProblem] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{plural(len(self.rows), 'participant')} ready"]
        if self.duplicates:
            parts.append(f"{plural(len(self.duplicates), 'duplicate row')} skipped")
        if self.problems:
            parts.append(f"{plural(len(self.problems), 'row')} with problems")
        return ", ".join(parts) + "."


def _decode(data: bytes) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _sniff_delimiter(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _consent_cell(value: str, line: int, column: str, problems: list[RosterProblem]) -> bool | None:
    v = value.strip().lower()
    if v in TRUE:
        return True
    if v in FALSE:
        return False
    problems.append(RosterProblem(line, f"“{value}” in {column} is not yes or no; treated as no"))
    return False


#: The largest roster read (100,000 people are about 6 MB).
MAX_ROSTER_BYTES = 64 * MB


def _read_bytes(source: bytes | str | Path) -> bytes:
    if isinstance(source, Path):
        return read_regular(source, "a roster", max_bytes=MAX_ROSTER_BYTES)
    if isinstance(source, str):
        return source.encode("utf-8")
    return source


def _columns(header: list[str]) -> dict[str, int]:
    """Which cell holds which field: the first column whose header is one of its names."""
    columns: dict[str, int] = {}
    for key, names in HEADERS.items():
        for i, h in enumerate(header):
            if h in names and key not in columns:
                columns[key] = i
    if "name" not in columns and not ("first" in columns or "last" in columns):
        raise RippleError(
            "The roster has no name column; the first line should name the columns "
            "(for example: name, email, team)."
        )
    return columns


def _take_row(
    roster: Roster, raw: list[str], line: int, width: int, columns: dict[str, int], seen: dict[str, int]
) -> None:
    """Add one data row to ``roster``: as a person, a duplicate, or a problem with its line."""

    def cell(key: str) -> str:
        i = columns.get(key)
        return raw[i].strip() if i is not None and i < len(raw) else ""

    name = cell("name") or " ".join(p for p in (cell("first"), cell("last")) if p)
    name = " ".join(name.split())
    if not name.isascii():
        name = unicodedata.normalize("NFC", name)
    email = cell("email") or None
    if not name:
        roster.problems.append(RosterProblem(line, "no name"))
        return
    if len(raw) > width and any(c.strip() for c in raw[width:]):
        roster.problems.append(
            RosterProblem(line, f"{len(raw)} cells but the header has {width}; check the separators")
        )
        return
    if email and not EMAIL_RE.match(email):
        roster.problems.append(RosterProblem(line, f"“{email}” is not an e-mail address"))
        return
    for column, value in (("name", name), ("email", email), ("team", cell("team"))):
        wrong = limits.problem("participants", column, value)
        if wrong is not None:
            roster.problems.append(RosterProblem(line, wrong))
            return
    key = (email or "").lower() or "name:" + name.casefold()
    if key in seen:
        roster.duplicates.append(RosterProblem(line, f"{name} repeats line {seen[key]}"))
        return
    seen[key] = line
    consent = None
    if any(k in columns for k in ("video", "community", "analytics")):
        consent = Consent(
            video=bool(_consent_cell(cell("video"), line, "video consent", roster.problems)),
            community=bool(_consent_cell(cell("community"), line, "community consent", roster.problems)),
            analytics=bool(_consent_cell(cell("analytics"), line, "analytics consent", roster.problems)),
        )
    roster.rows.append(RosterRow(line, name, email, cell("team"), consent))


def parse_roster(source: bytes | str | Path) -> Roster:
    """Read a roster without touching the store, so the planner can show a preview."""
    data = _read_bytes(source)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RippleError("This file is not a CSV roster (it looks like a binary file).")
    text = _decode(data)
    if not text.strip():
        raise RippleError("The roster file is empty.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text), strict=True)
    header: list[str] | None = None
    columns: dict[str, int] = {}
    roster = Roster()
    seen: dict[str, int] = {}
    data_rows = 0
    start = 1
    try:
        for raw in reader:
            if any("\n" in c or "\r" in c for c in raw):
                raise RippleError(
                    f"Line {start} of the roster opens a quote (\") that runs on to line "
                    f"{reader.line_num}; check the quotes on line {start}."
                )
            start = reader.line_num + 1
            if not any(cell.strip() for cell in raw):
                continue
            if header is None:
                header = [_norm_header(h) for h in raw]
                columns = _columns(header)
                continue
            data_rows += 1
            _take_row(roster, raw, reader.line_num, len(header), columns, seen)
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise RippleError(
                f"Line {start} of the roster opens a quote (\") that is never closed; check the quotes there."
            ) from None
        raise RippleError(
            f"Line {start} of the roster could not be read as CSV ({exc}); check the quotes there."
        ) from None
    if header is None:
        raise RippleError("The roster file is empty.")
    if not data_rows:
        raise RippleError("The roster names its columns but lists nobody after the first line.")
    return roster


#: A roster goes in in write transactions that each hold the store's write lock about this
#: long at most, so a tap in the live console on this laptop never waits noticeably.
CHUNK_BUDGET_S = 0.02
CHUNK_MAX_ROWS = 500


def _already_known(
    store: Store, workshop_id: uuid.UUID, rows: list[RosterRow]
) -> tuple[dict[int, uuid.UUID], set[uuid.UUID], int]:
    """Read (no write lock): the people the store knows already (row index → their id, by
    e-mail or by their e-mail's id), who is on the workshop, and how many are."""
    emails = sorted({r.email.strip().lower() for r in rows if r.email})
    found: dict[str, uuid.UUID] = {}
    with store.read() as s:
        existing_row(s, Workshop, workshop_id, "workshop")
        for i in range(0, len(emails), 500):
            chunk = emails[i : i + 500]
            for pid, email in s.execute(
                select(Participant.id, Participant.email).where(func.lower(Participant.email).in_(chunk))
                .execution_options(include_deleted=True)
            ):
                if email:
                    found.setdefault(email.lower(), pid)
        derived = {person_id_for_email(e): e for e in emails if e not in found}
        ids = list(derived)
        for i in range(0, len(ids), 500):
            for pid in s.scalars(select(Participant.id).where(Participant.id.in_(ids[i : i + 500]))
                                 .execution_options(include_deleted=True)):
                found[derived[pid]] = pid
        members = set(s.scalars(
            select(WorkshopParticipant.participant_id).where(WorkshopParticipant.workshop_id == workshop_id)
            .execution_options(include_deleted=True)))
        count = int(s.scalar(select(func.count()).select_from(WorkshopParticipant)
                             .where(WorkshopParticipant.workshop_id == workshop_id)) or 0)
    known = {i: found[r.email.strip().lower()] for i, r in enumerate(rows)
             if r.email and r.email.strip().lower() in found}
    return known, members, count


def import_roster(
    store: Store, workshop_id: uuid.UUID, roster: Roster, *, consent_by: str = ""
) -> list[uuid.UUID]:
    """Add the roster's people to the workshop; returns their ids in roster order.

    Who the store knows already is read first, outside any write; then the people go in a
    few dozen at a time, each batch one short transaction (:data:`CHUNK_BUDGET_S`), so a
    100,000-row roster takes seconds and a tap in the live console never meets "database is
    locked". Importing again changes nothing (people are matched by e-mail, memberships have
    stable ids), so an import cut short (a crash, a full disk) is finished by running it again.
    """
    rows = roster.rows
    known, members, position = _already_known(store, workshop_id, rows)
    ids: list[uuid.UUID] = []
    size, i = 50, 0
    while i < len(rows):
        chunk = rows[i : i + size]
        if any(n in known or not rows[n].email for n in range(i, i + len(chunk))):
            size = 20  # someone known: the careful path, row by row
            chunk = rows[i : i + size]
            started = time.perf_counter()
            ids += _import_known(store, workshop_id, list(enumerate(chunk, start=i)), known, consent_by, members)
            elapsed = time.perf_counter() - started
        else:
            position, elapsed = _import_new(store, workshop_id, chunk, consent_by, members, position, ids)
        i += len(chunk)
        store.let_others_write(elapsed)
        if elapsed < CHUNK_BUDGET_S / 2:
            size = min(CHUNK_MAX_ROWS, size * 2)
        elif elapsed > CHUNK_BUDGET_S:
            size = max(10, size // 2)
    return ids


def _consent(row: RosterRow, consent_by: str) -> Consent | None:
    c = row.consent
    return None if c is None else Consent(c.video, c.community, c.analytics, utcnow(), consent_by)


def _import_known(
    store: Store, workshop_id: uuid.UUID, chunk: list[tuple[int, RosterRow]], known: dict[int, uuid.UUID],
    consent_by: str, members: set[uuid.UUID],
) -> list[uuid.UUID]:
    """People the store knows (by e-mail) or cannot tell apart (no e-mail): one by one,
    through the same use case as the planner's form."""
    ids = []
    with store.write() as s:
        people = {p.id: p for p in s.scalars(
            select(Participant).where(Participant.id.in_([known[n] for n, _ in chunk if n in known]))
            .execution_options(include_deleted=True))}
        for n, row in chunk:
            person = upsert_participant_in(s, name=row.name, email=row.email, team=row.team,
                                           consent=_consent(row, consent_by),
                                           known=people.get(known[n]) if n in known else None)
            join_workshop(s, workshop_id, person)
            members.add(person.id)
            ids.append(person.id)
    return ids


def _import_new(
    store: Store, workshop_id: uuid.UUID, chunk: list[RosterRow], consent_by: str,
    members: set[uuid.UUID], position: int, ids: list[uuid.UUID],
) -> tuple[int, float]:
    """People the store has never seen: their rows built first, then one short bulk insert.
    Returns the next roster place and how long the insert held the write lock."""
    people: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    joins: list[dict[str, Any]] = []
    for row in chunk:
        person, granted = new_participant_rows(name=row.name, email=row.email, team=row.team,
                                               consent=_consent(row, consent_by))
        people.append(person)
        events += granted
        ids.append(person["id"])
        if person["id"] not in members:
            members.add(person["id"])
            joins.append({"id": membership_id(workshop_id, person["id"]), "workshop_id": workshop_id,
                          "participant_id": person["id"], "position": position})
            position += 1
    held = store.append_many([(Participant, people), (ConsentEvent, events), (WorkshopParticipant, joins)])
    return position, held
