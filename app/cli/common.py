"""What every command shares: opening the store, reading dates, ``--json``.

One :func:`open_store` for every command. ``create=False`` is for commands that only read
(reports, lists): a mistyped SQLite path must say there is no store there instead of making an
empty one whose empty answer looks like a real one.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import json
import os
import re
import sys
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import RippleError
from app.platform.paths import resolve_db_url

if TYPE_CHECKING:
    from db.store import Store


def open_store(args: argparse.Namespace, *, create: bool = True) -> Store:
    """The store ``--db`` (or ``RIPPLE_DB``, or this laptop's default) names.

    With ``create=False`` a named SQLite file that does not exist is refused; this laptop's own
    default store may still be new (a first ``ripple workshop list`` is not an error)."""
    from db.store import Store

    url = resolve_db_url(getattr(args, "db", None))
    named = bool(getattr(args, "db", None) or os.environ.get("RIPPLE_DB"))
    if not create and named:
        from db.urls import parse_url

        parsed = parse_url(url)
        is_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
        if is_file and not Path(str(parsed.database)).expanduser().is_file():
            raise RippleError(f"There is no Ripple store at {parsed.database}; check the path.")
        # A named store is somebody's (often the shared one): a report neither makes tables
        # in a database that is not a store, nor upgrades it under older laptops.
        return Store.open(url, create=False, upgrade=False)
    return Store.open(url)


def parse_date(text: str) -> datetime:
    """An argparse type: ``2026-11-22`` or ``2026-11-22T09:00``, in local time unless a zone is given."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date like 2026-11-22") from None
    from db.limits import EARLIEST, LATEST, instant_problem

    try:
        value = value if value.tzinfo else value.astimezone()
        wrong = instant_problem(value)
    except (OverflowError, ValueError):
        wrong = f"is outside the years {EARLIEST.year}–{LATEST.year - 1}"
    if wrong is not None:
        raise argparse.ArgumentTypeError(f"“{text}” {wrong}")
    return value


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help="print JSON for scripts (full ids, ISO-8601 times)")


def to_jsonable(value: Any) -> Any:
    """Plain JSON types from views: full ids as strings, times as ISO-8601 with their zone."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Path):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


def print_json(value: Any) -> None:
    json.dump(to_jsonable(value), sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write("\n")


#: What a terminal would obey instead of show: C0/C1 controls (escape sequences that recolour,
#: retitle or rewrite the screen) and bidirectional overrides, except newline and tab.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"  # also a valid escape inside a JSON string


class SafeStream:
    """A text stream that shows control characters as ``\\u001b`` instead of passing them to
    the terminal: names come from rosters and files, and ``print`` must never let one of them
    clear the screen or fake a prompt. The CLI writes only through these (see ``main``)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(_UNSAFE.sub(_shown, text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def safe_output() -> Callable[[], None]:
    """Put :class:`SafeStream` over stdout and stderr; returns the function that undoes it."""
    before = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)

    def restore() -> None:
        sys.stdout, sys.stderr = before

    return restore
