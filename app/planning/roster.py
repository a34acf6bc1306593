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
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import RippleError
from app.planning.ids import existing_row
from app.planning.participants import join_workshop, upsert_participant_in
from app.planning.views import Consent
from app.text import plural
from db.models import Workshop
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


def _read_bytes(source: bytes | str | Path) -> bytes:
    if isinstance(source, Path):
        try:
            return source.read_bytes()
        except OSError as exc:
            raise RippleError(f"Ripple cannot read {source}: {exc.strerror or exc}.") from None
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
    name = unicodedata.normalize("NFC", re.sub(r"\s+", " ", name)).strip()
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
    roster.rows.append(RosterRow(line, name[:200], email, cell("team"), consent))


def parse_roster(source: bytes | str | Path) -> Roster:
    """Read a roster without touching the store, so the planner can show a preview."""
    data = _read_bytes(source)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RippleError("This file is not a CSV roster (it looks like a binary file).")
    text = _decode(data)
    if not text.strip():
        raise RippleError("The roster file is empty.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    header: list[str] | None = None
    columns: dict[str, int] = {}
    roster = Roster()
    seen: dict[str, int] = {}
    try:
        for raw in reader:
            if not any(cell.strip() for cell in raw):
                continue
            if header is None:
                header = [_norm_header(h) for h in raw]
                columns = _columns(header)
                continue
            _take_row(roster, raw, reader.line_num, len(header), columns, seen)
    except csv.Error as exc:
        raise RippleError(f"The roster could not be read as CSV near line {reader.line_num}: {exc}.") from None
    if header is None:
        raise RippleError("The roster file is empty.")
    return roster


def import_roster(
    store: Store, workshop_id: uuid.UUID, roster: Roster, *, consent_by: str = ""
) -> list[uuid.UUID]:
    """Add the roster's people to the workshop, all in one transaction."""
    ids: list[uuid.UUID] = []
    with store.write() as s:
        existing_row(s, Workshop, workshop_id, "workshop")
        for row in roster.rows:
            consent = row.consent
            if consent is not None:
                consent = Consent(consent.video, consent.community, consent.analytics, utcnow(), consent_by)
            person = upsert_participant_in(s, name=row.name, email=row.email, team=row.team, consent=consent)
            s.flush()
            join_workshop(s, workshop_id, person)
            ids.append(person.id)
    return ids
