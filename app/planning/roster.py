"""Participants from a roster (CSV or an ``.xlsx`` workbook), as people really export them.

Spreadsheets and HR tools name columns in any case and language, split names into first
and last, write e-mails in any case, and repeat rows. The file is read into a table by
:mod:`app.planning.roster_files`, its columns recognised (or mapped by the trainer) by
:mod:`app.planning.roster_columns`; here each row becomes a person. We take what we can, list
what we cannot with its line number, and report duplicates instead of importing them twice.
E-mails are trimmed and lower-cased, so "Ana@Example.com " is the person "ana@example.com".
"""

from __future__ import annotations

import re
import time
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import func, select

from app.errors import RippleError
from app.planning.ids import existing_row, membership_id, person_id_for_email
from app.planning.participants import join_workshop, new_participant_rows, upsert_participant_in
from app.planning.roster_columns import (
    CONSENT_FIELDS,
    FIELDS,
    guess_columns,
    has_name,
    joined_name,
    mapped_columns,
    unrecognised,
)
from app.planning.roster_files import Records, RosterTable, read_roster_table
from app.planning.views import Consent
from app.platform.gc_pause import paused
from app.text import plural
from db import limits
from db.chunks import BULK_BUDGET_S, ChunkSizer
from db.models import ConsentEvent, Participant, Workshop, WorkshopParticipant
from db.store import Store
from db.types import utcnow


class RosterRow(NamedTuple):
    """One person as the roster gives them (a tuple: a 100,000-row roster stays light)."""

    line: int
    name: str
    email: str | None
    team: str
    consent: Consent | None


@dataclass(frozen=True)
class RosterProblem:
    line: int
    message: str
    unit: str = "line"  # "row" in a workbook

    def __str__(self) -> str:
        return f"{self.unit} {self.line}: {self.message}"


@dataclass
class Roster:
    rows: list[RosterRow] = field(default_factory=list)
    duplicates: list[RosterProblem] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    #: rows imported, with something said about them (a consent cell that is not yes or no)
    notes: list[RosterProblem] = field(default_factory=list)
    #: the file's header as written, and which column fills which field (see roster_columns)
    header: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)

    @property
    def consent_scopes(self) -> tuple[str, ...]:
        """The consent scopes the roster has a column for; the others it says nothing about
        (a roster built by hand, without columns, speaks for every scope its rows give)."""
        if not self.columns:
            return CONSENT_FIELDS
        return tuple(k for k in CONSENT_FIELDS if k in self.columns)

    @property
    def ignored(self) -> list[str]:
        """The headers of the columns no field uses (as written)."""
        return unrecognised(self.header, self.columns)

    def left_out(self) -> str:
        """What an import leaves out, as a sentence ("1 duplicate row skipped, …"), or ""."""
        parts = []
        if self.duplicates:
            parts.append(f"{plural(len(self.duplicates), 'duplicate row')} skipped")
        if self.problems:
            parts.append(f"{plural(len(self.problems), 'row')} with problems left out")
        return (parts[0][:1].upper() + ", ".join(parts)[1:] + ".") if parts else ""

    def unstated_consent(self) -> str:
        """Which consent the file says nothing about, as a sentence (or "" when it has every column).

        Why say it: the preview shows only the consent columns the file has, so a roster with
        none would otherwise leave the trainer guessing what the people get. They get nothing
        new: someone new starts without that consent, someone known keeps what they had.
        """
        missing = [_SCOPE_WORDS[k] for k in CONSENT_FIELDS if k not in self.consent_scopes]
        if not missing:
            return ""
        listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        it = "it" if len(missing) == 1 else "them"
        return (f"The file says nothing about {listed}: people new to Ripple start without {it} "
                "(ask at check-in), people already in Ripple keep theirs.")

    def summary(self) -> str:
        parts = [f"{plural(len(self.rows), 'participant')} ready"]
        if self.notes:
            noted = len({n.line for n in self.notes})
            parts[0] += f" ({noted} with a note)"
        if self.duplicates:
            parts.append(f"{plural(len(self.duplicates), 'duplicate row')} skipped")
        if self.problems:
            parts.append(f"{plural(len(self.problems), 'row')} with problems")
        return ", ".join(parts) + "."


class NoNameColumn(RippleError):
    """No column says who each row is; ``unrecognised`` lists the headers Ripple did not know,
    so the caller can offer to map them (the preview's combos, the CLI's ``--columns``)."""

    def __init__(self, unrecognised: list[str]) -> None:
        listed = ", ".join(f"“{h}”" for h in unrecognised[:8]) + (", …" if len(unrecognised) > 8 else "")
        super().__init__(
            f"The roster has no name column Ripple recognises (it does not know {listed}); "
            "say which column holds the names." if unrecognised else
            "The roster has no name column; the first line should name the columns (for example: name, email, team)."
        )
        self.unrecognised = unrecognised


_YES = ("yes", "y", "true", "1", "x", "✓", "✔", "si", "sí", "oui", "ja", "j", "wahr", "vrai", "verdadero",
        "ok", "agreed", "granted", "consented")
_NO = ("no", "n", "false", "0", "", "non", "nein", "falsch", "faux", "falso", "-", "–", "declined")
#: A consent cell's text → yes or no, in the spellings spreadsheets write (looked up as is first).
CONSENT_VALUES: dict[str, bool] = {
    form: value for words, value in ((_YES, True), (_NO, False)) for w in words
    for form in (w, w.upper(), w.capitalize())
}
_CONSENTS = {(v, c, a): Consent(video=v, community=c, analytics=a)
             for v in (False, True) for c in (False, True) for a in (False, True)}
_SCOPE_WORDS = {"video": "video consent", "community": "beyond-the-room consent", "analytics": "analytics consent"}
_NOT_EMAIL = r"@\s\x00-\x1f\x7f-\x9f"
EMAIL_RE = re.compile(rf"^[^{_NOT_EMAIL}]+@[^{_NOT_EMAIL}]+\.[^{_NOT_EMAIL}]+$")
_NAME_MAX = limits.LIMITS["participants"]["name"].max_len
_EMAIL_MAX = limits.LIMITS["participants"]["email"].max_len
_TEAM_MAX = limits.LIMITS["participants"]["team"].max_len


def _consent_cell(value: str, line: int, scope: str, roster: Roster, unit: str) -> bool:
    """The slow path of a consent cell: spaces, odd case, accents; anything else is a problem
    on its line and counts as no (a roster never grants what it does not say)."""
    key = unicodedata.normalize("NFKD", value.strip().casefold())
    key = "".join(c for c in key if not unicodedata.combining(c))
    found = CONSENT_VALUES.get(key)
    if found is not None:
        return found
    roster.notes.append(RosterProblem(line, f"“{value}” in {_SCOPE_WORDS[scope]} is not yes or no; taken as no", unit))
    return False


def _slow_text(value: str, column: str, *, collapse: bool) -> tuple[str, str | None]:
    """A name or team that is not short printable ASCII: whitespace made single (names),
    NFC, then the field's limit; returns the text and what is wrong with it (or None)."""
    if collapse:
        value = " ".join(value.split())
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return value, limits.problem("participants", column, value)


def _read_rows(roster: Roster, records: Records, width: int, unit: str) -> int:
    """Every record into ``roster`` (a person, a duplicate, or a problem with its line);
    returns how many were not blank. The hot loop of a 100,000-row roster: no dicts per
    row, the limits' common case (short printable ASCII) checked inline."""
    cols = roster.columns
    ni, fi, li = cols.get("name", -1), cols.get("first", -1), cols.get("last", -1)
    ei, ti = cols.get("email", -1), cols.get("team", -1)
    vi, ci, ai = cols.get("video", -1), cols.get("community", -1), cols.get("analytics", -1)
    has_consent, parts = max(vi, ci, ai) >= 0, max(fi, li) >= 0
    need = max(cols.values()) + 1
    pad = [""] * need
    problems, rows, values, email_ok = roster.problems, roster.rows, CONSENT_VALUES, EMAIL_RE.match
    seen: dict[str, int] = {}
    filled = 0
    for line, raw in records:
        n = len(raw)
        if n < need:
            if not n:
                continue
            raw = raw + pad[n:]
        elif n > width and any(c.strip() for c in raw[width:]):
            problems.append(RosterProblem(line, f"{n} cells but the header has {width}; check the separators", unit))
            filled += 1
            continue
        name = raw[ni].strip() if ni >= 0 else ""
        if not name and parts:  # first and last name joined (the name column wins when filled)
            name = joined_name((raw[fi] if fi >= 0 else "", raw[li] if li >= 0 else ""))
        if not name:
            if any(c.strip() for c in raw):
                problems.append(RosterProblem(line, "no name", unit))
                filled += 1
            continue
        filled += 1
        wrong = None
        if len(name) > _NAME_MAX or "  " in name or not (name.isascii() and name.isprintable()):
            name, wrong = _slow_text(name, "name", collapse=True)
        email = raw[ei].strip().lower() if ei >= 0 else ""
        if email and wrong is None:
            if not email_ok(email):
                wrong = f"“{email}” is not an e-mail address"
            elif len(email) > _EMAIL_MAX:
                wrong = limits.problem("participants", "email", email)
        team = raw[ti].strip() if ti >= 0 else ""
        if team and wrong is None and (len(team) > _TEAM_MAX or not (team.isascii() and team.isprintable())):
            team, wrong = _slow_text(team, "team", collapse=False)
        if wrong is not None:
            problems.append(RosterProblem(line, wrong, unit))
            continue
        key = email or "name:" + name.casefold()
        first = seen.get(key)
        if first is not None:
            roster.duplicates.append(RosterProblem(line, f"{name} repeats {unit} {first}", unit))
            continue
        seen[key] = line
        consent = None
        if has_consent:
            v = values.get(raw[vi], None) if vi >= 0 else False
            if v is None:
                v = _consent_cell(raw[vi], line, "video", roster, unit)
            c = values.get(raw[ci], None) if ci >= 0 else False
            if c is None:
                c = _consent_cell(raw[ci], line, "community", roster, unit)
            a = values.get(raw[ai], None) if ai >= 0 else False
            if a is None:
                a = _consent_cell(raw[ai], line, "analytics", roster, unit)
            consent = _CONSENTS[v, c, a]
        rows.append(RosterRow(line, name, email or None, team, consent))
    return filled


def parse_table(table: RosterTable, columns: Mapping[str, int] | None = None) -> Roster:
    """The people in a roster table, with its columns as ``columns`` says (field → column
    index; default: the headers Ripple recognises). Touches no store, so it is the preview."""
    cols = guess_columns(table.header) if columns is None else dict(columns)
    if not has_name(cols):
        raise NoNameColumn(unrecognised(table.header, cols))
    width = len(table.header)
    for key, index in cols.items():
        if key not in FIELDS or not 0 <= index < width:
            raise RippleError(f"The roster has no column {index + 1} for the {FIELDS.get(key, key).lower()}.")
    roster = Roster(header=list(table.header), columns=cols)
    if not _read_rows(roster, table.records(), width, table.unit):
        raise RippleError(f"The roster names its columns but lists nobody after {table.unit} {table.header_line}.")
    return roster


def parse_roster(source: bytes | str | Path, columns: Mapping[str, str | int] | None = None) -> Roster:
    """Read a roster (CSV or ``.xlsx``; a path, its bytes or CSV text) without touching the
    store. ``columns``: the trainer's mapping, field → header text or column index (the
    recognised headers fill the rest)."""
    table = read_roster_table(source)
    return parse_table(table, None if columns is None else mapped_columns(table.header, columns))


@dataclass(frozen=True)
class RosterRead:
    """A roster file as read for the preview: its table, the columns recognised in its header,
    and the people parsed with them (``None`` when no name column was recognised: the trainer
    says which column holds the names before anything is parsed)."""

    table: RosterTable
    columns: dict[str, int]
    roster: Roster | None


def read_roster(path: Path, *, recognised_only: bool = False) -> RosterRead:
    """Read and parse a roster file without touching the store, as one plain function the UI
    runs off its thread: a 100,000-row workbook takes seconds to read, and the window must not
    freeze for them. With ``recognised_only`` the recognised columns are taken as they are (a
    file without a name column is refused with :class:`NoNameColumn`'s sentence)."""
    table = read_roster_table(path)
    columns = guess_columns(table.header)
    roster = parse_table(table, columns) if has_name(columns) or recognised_only else None
    return RosterRead(table, columns, roster)

#: A roster goes in in write transactions that each hold the store's write lock within
#: db.chunks.BULK_BUDGET_S, commit included, so a tap in the live console waits at most that
#: long (the target is 50 ms), and have at most this many people.
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
    store: Store, workshop_id: uuid.UUID, roster: Roster, *, consent_by: str = "",
    progress: Callable[[int], None] | None = None,
) -> list[uuid.UUID]:
    """Add the roster's people to the workshop; returns their ids in roster order.

    Who the store knows already is read first, outside any write; then the people go in a
    few dozen at a time, each batch one short transaction (:data:`db.chunks.BULK_BUDGET_S`), so a
    100,000-row roster takes seconds and a tap in the live console never meets "database is
    locked". Importing again changes nothing (people are matched by e-mail, memberships have
    stable ids), so an import cut short (a crash, a full disk) is finished by running it again.
    ``progress`` hears how many roster rows are in after each batch (the planner shows it).
    """
    rows = roster.rows
    known, members, position = _already_known(store, workshop_id, rows)
    ids: list[uuid.UUID] = []
    # One rule for both paths (db/chunks.py), each with its own cost per row: the known
    # people go through the ORM one by one, many times slower than a bulk insert.
    new = ChunkSizer(BULK_BUDGET_S, first=50, least=10, most=CHUNK_MAX_ROWS)
    careful = ChunkSizer(BULK_BUDGET_S, first=20, least=1, most=CHUNK_MAX_ROWS)
    i = 0
    # No collector walk inside a chunk (as a portable file's import): with a big roster's
    # rows alive one takes tens of milliseconds, all of it holding the write lock.
    with paused():
        while i < len(rows):
            chunk = rows[i : i + new.size]
            if any(n in known or not rows[n].email for n in range(i, i + len(chunk))):
                chunk = rows[i : i + careful.size]  # someone known: the careful path, row by row
                started = time.perf_counter()
                ids += _import_known(store, workshop_id, list(enumerate(chunk, start=i)), known, consent_by,
                                     members, roster.consent_scopes)
                elapsed = time.perf_counter() - started
                careful.done(len(chunk), elapsed)
            else:
                position, elapsed = _import_new(store, workshop_id, chunk, consent_by, members, position, ids)
                new.done(len(chunk), elapsed)
            i += len(chunk)
            if progress is not None:
                progress(i)
            store.let_others_write(elapsed)
    return ids


def _consent(row: RosterRow, consent_by: str) -> Consent | None:
    c = row.consent
    return None if c is None else Consent(c.video, c.community, c.analytics, utcnow(), consent_by)


def _import_known(
    store: Store, workshop_id: uuid.UUID, chunk: list[tuple[int, RosterRow]], known: dict[int, uuid.UUID],
    consent_by: str, members: set[uuid.UUID], scopes: tuple[str, ...],
) -> list[uuid.UUID]:
    """People the store knows (by e-mail) or cannot tell apart (no e-mail): one by one,
    through the same use case as the planner's form. Only the consent ``scopes`` the roster
    has a column for are recorded: a roster without an analytics column withdraws nothing."""
    ids = []
    with store.write() as s:
        people = {p.id: p for p in s.scalars(
            select(Participant).where(Participant.id.in_([known[n] for n, _ in chunk if n in known]))
            .execution_options(include_deleted=True))}
        for n, row in chunk:
            person = upsert_participant_in(s, name=row.name, email=row.email, team=row.team,
                                           consent=_consent(row, consent_by), consent_scopes=scopes,
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
