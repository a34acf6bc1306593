"""The one table of limits on what people type, and the check every way in uses.

Every text a person (or a roster, a portable file, the command line) can put into a synced
row is listed here once with its longest length and whether it may span lines. The same
table is what the UI's forms (through ``app``), the roster, the portable file, the CLI and a
push to the shared store check, so nothing a laptop accepts is refused later by PostgreSQL
("value too long", "cannot contain NUL") and blocks every sync. Single-line text allows no
control character at all; long text allows newline and tab. The lengths equal the columns'
own (``tests/db/test_limits.py`` checks that they agree with :mod:`db.models`).

It lives in ``db`` because the store itself checks every ORM write against it (a flush hook:
the backstop for any path that forgot) and the push needs it; ``app`` uses it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from db.errors import StoreError

#: The longest long text (notes, instructions): a page of a notebook is a few thousand.
LONG_TEXT = 20_000


@dataclass(frozen=True)
class Limit:
    """How long a field may be and whether it may hold newlines and tabs."""

    label: str
    max_len: int
    multiline: bool = False


#: table → column → limit. Record nouns are in :data:`RECORD`.
LIMITS: dict[str, dict[str, Limit]] = {
    "workshops": {
        "title": Limit("title", 200),
        "facilitator": Limit("facilitator", 200),
        "team": Limit("team", 200),
        "location": Limit("location", 200),
        "notes": Limit("notes", LONG_TEXT, multiline=True),
    },
    "participants": {
        "name": Limit("name", 200),
        "email": Limit("e-mail", 320),
        "team": Limit("team", 200),
        "consent_by": Limit("consent recorded by", 200),
    },
    "consent_events": {"by": Limit("recorded by", 200)},
    "agenda_items": {
        "title": Limit("title", 200),
        "instructions": Limit("instructions", LONG_TEXT, multiline=True),
    },
    "agenda_groups": {"name": Limit("group name", 100)},
    "contributions": {"note": Limit("note", LONG_TEXT, multiline=True)},
    "clips": {"title": Limit("title", 200)},
    "export_records": {"by": Limit("exported by", 200), "target": Limit("target", 500)},
    "scenarios": {"title": Limit("title", 200), "situation": Limit("situation", LONG_TEXT, multiline=True)},
    "markers": {"note": Limit("note", LONG_TEXT, multiline=True)},
    "ratings": {"comment": Limit("comment", LONG_TEXT, multiline=True)},
    "commitments": {"text": Limit("commitment", LONG_TEXT, multiline=True)},
    "check_ins": {"note": Limit("note", LONG_TEXT, multiline=True)},
}

#: What a row of each table is called in a sentence.
RECORD: dict[str, str] = {
    "workshops": "workshop",
    "participants": "participant",
    "consent_events": "consent record",
    "agenda_items": "agenda item",
    "agenda_groups": "group",
    "contributions": "contribution",
    "clips": "clip",
    "export_records": "export record",
    "scenarios": "role-play card",
    "markers": "marker",
    "ratings": "rating",
    "commitments": "commitment",
    "check_ins": "check-in",
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class LimitError(StoreError):
    """A text over its length or holding a control character; names the table and column."""

    def __init__(self, table: str, column: str, message: str) -> None:
        super().__init__(message)
        self.table = table
        self.column = column


def problem(table: str, column: str, value: Any) -> str | None:
    """What is wrong with ``value`` for this field, as the end of a sentence ("the name is
    longer than 200 characters"), or None when it is fine (or the field has no limit)."""
    limit = LIMITS.get(table, {}).get(column)
    if limit is None or value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit.max_len:
        return f"the {limit.label} is longer than {limit.max_len:,} characters ({len(text):,})"
    if text.isascii() and text.isprintable():  # the common case, without a regex
        return None
    bad = (_CONTROL_MULTILINE if limit.multiline else _CONTROL).search(text)
    if bad is not None:
        return f"the {limit.label} holds a control character (U+{ord(bad.group()):04X})"
    return None


def surely_fine(table: str, column: str, values: list[Any]) -> bool:
    """Whether every one of ``values`` surely fits the field: one test of the whole column
    (strings within the length, printable ASCII together), the usual case on a push of many
    rows, where asking :func:`problem` row by row cost a twentieth of the push. False means
    only "ask :func:`problem` of each"."""
    limit = LIMITS.get(table, {}).get(column)
    if limit is None:
        return True
    texts = [v for v in values if v is not None]
    if not all(type(v) is str for v in texts):
        return False
    if texts and max(map(len, texts)) > limit.max_len:
        return False
    joined = "".join(texts)
    return joined.isascii() and joined.isprintable()


def sentence(table: str, wrong: str) -> str:
    """``wrong`` (from :func:`problem`) as a sentence: "An agenda item's title is longer …"."""
    noun = RECORD.get(table, table)
    article = "An" if noun[:1] in "aeiou" else "A"
    return f"{article} {noun}'s {wrong.removeprefix('the ')}."


def check(table: str, column: str, value: Any) -> None:
    """Raise :class:`LimitError` ("A participant's name is longer than …") when ``value`` breaks
    the field's limit."""
    wrong = problem(table, column, value)
    if wrong is not None:
        raise LimitError(table, column, sentence(table, wrong))


def cleaned(table: str, column: str, value: str) -> str:
    """``value`` made to fit (control characters dropped, then cut to the length): what a push
    sends for an old row written before the limits were checked."""
    limit = LIMITS.get(table, {}).get(column)
    if limit is None:
        return value
    text = (_CONTROL_MULTILINE if limit.multiline else _CONTROL).sub("", value)
    return text[: limit.max_len]


def check_row(table: str, values: dict[str, Any]) -> None:
    """Check every limited field present in ``values`` (the fast path of live logging)."""
    for column in LIMITS.get(table, {}):
        if column in values:
            check(table, column, values[column])


@event.listens_for(Session, "before_flush")
def _check_rows(session: Session, _ctx: Any, _instances: Any) -> None:
    """The backstop: no ORM write of a synced row stores a value the limits refuse, whatever
    way it came in. Rows applied from another store are checked by the sync itself."""
    if session.info.get("sync_apply"):
        return
    for obj in (*session.new, *session.dirty):
        table = getattr(obj, "__tablename__", None)
        if table not in LIMITS:
            continue
        for column in LIMITS[table]:
            check(table, column, getattr(obj, column, None))


# ---------------------------------------------------------------- instants

#: The instants a workshop, a contribution or a consent may carry: wide enough for any real
#: record, narrow enough that every time zone can show them (year 1 or 9999 overflows
#: ``astimezone`` east or west of UTC).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def instant_problem(value: datetime) -> str | None:
    """Why an aware instant is outside :data:`EARLIEST`…:data:`LATEST` (None when it is not)."""
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError):
        return f"is outside the years {EARLIEST.year}–{LATEST.year - 1}"
    if not EARLIEST <= utc < LATEST:
        return f"is outside the years {EARLIEST.year}–{LATEST.year - 1}"
    return None
