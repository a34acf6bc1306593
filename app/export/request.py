"""What to export, checked: the request the CLI and the Export dialog build alike.

Every refusal is one sentence saying what to change. A refusal worded through a command-line
option is a :class:`~app.errors.FieldError` naming the request's field, so the dialog can
word it through its own controls instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.errors import FieldError, RippleError
from app.insights.workshop import Scope

FORMATS = ("csv", "xlsx", "pdf")


@dataclass(frozen=True)
class ExportRequest:
    """What to export; ``until`` is exclusive (a day given on the command line counts whole)."""

    format: str
    out: Path
    since: datetime | None = None
    until: datetime | None = None
    team: str | None = None
    top: int | None = None
    pseudonymize: bool = False

    @property
    def scope(self) -> Scope:
        return Scope(self.since, self.until, self.team)

    def filters(self) -> dict[str, Any]:
        """The filters as recorded in the audit trail."""
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "team": self.team,
            "top": self.top,
            "pseudonymize": self.pseudonymize,
        }


def parse_day(text: str, *, end: bool = False) -> datetime:
    """A date (``2026-11-22``) or a date and time, read in this computer's time zone.

    With ``end``, a bare date means the whole day: the bound becomes the next midnight.
    """
    raw = (text or "").strip()
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise RippleError(f"“{raw}” is not a date like 2026-11-22.") from None
    bare = len(raw) <= 10
    if value.tzinfo is None:
        value = value.astimezone()
    if end and bare:
        value = value + timedelta(days=1)
    return value


def make_request(
    *,
    format: str | None,
    out: str | Path,
    since: str | datetime | date | None = None,
    until: str | datetime | date | None = None,
    team: str | None = None,
    top: str | int | None = None,
    pseudonymize: bool = False,
) -> ExportRequest:
    """Check every input and say in one sentence what is wrong (the CLI and the dialog share
    it); the checks run in the order a person fixes them: the file, its format, its folder,
    the period, the count."""
    path = _target(out)
    fmt = _format(format, path)
    _check_folder(path.parent)
    start, stop = _bound(since, end=False), _bound(until, end=True)
    if start and stop and start >= stop:
        raise FieldError("until", "The start date is after the end date; swap --since and --until.")
    return ExportRequest(
        format=fmt, out=path, since=start, until=stop, team=(team or "").strip() or None, top=_count(top),
        pseudonymize=bool(pseudonymize),
    )


def _target(out: str | Path) -> Path:
    """The file to write: an ordinary file or a new name, never a folder, a device or a pipe."""
    path = Path(str(out)).expanduser() if str(out or "").strip() else None
    if path is None:
        raise FieldError("out", "Say where to write the export (--out FILE).")
    if path.exists() and path.is_dir():
        raise RippleError(f"{path} is a folder; give a file name such as {path / 'candidates.csv'}.")
    if path.is_symlink():
        path = path.resolve()  # the export replaces the file the link points to, not the link
    if path.exists() and not path.is_file():
        raise RippleError(f"{path} is not an ordinary file (a device or a pipe); give a file name to write.")
    return path


def _format(format: str | None, path: Path) -> str:
    """The format asked for, else the one the file name says."""
    fmt = (format or path.suffix.lstrip(".")).strip().lower()
    if fmt not in FORMATS:
        shown = format if format else path.name
        raise RippleError(f"“{shown}” is not an export format; use csv, xlsx or pdf.")
    if path.suffix.lower() != "." + fmt:
        raise FieldError(
            "format",
            f"--format {fmt} does not match the file name {path.name}; name it "
            f"{path.with_suffix('.' + fmt).name} or give the format its name says.",
        )
    return fmt


def _check_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise RippleError(f"{folder} is a file, not a folder; choose another place for the export.")
    if not folder.is_dir():
        raise RippleError(f"The folder {folder} does not exist.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RippleError(f"Ripple cannot write to the folder {folder}; choose another place.")


def _bound(value: str | datetime | date | None, *, end: bool) -> datetime | None:
    """A period bound in this computer's time zone; a day given as ``until`` counts whole."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.astimezone()
    if isinstance(value, date):
        return parse_day(value.isoformat(), end=end)
    return parse_day(value, end=end)


def _count(top: str | int | None) -> int | None:
    if top is None or not str(top).strip():
        return None
    try:
        count = int(str(top).strip())
    except ValueError:
        raise FieldError("top", f"--top must be a whole number, not “{top}”.") from None
    if count < 1:
        raise FieldError("top", "--top must be at least 1.")
    return count
