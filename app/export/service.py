"""The L&D candidate export as a use case: analyse, write the file, record who exported what.

One analysis (:func:`app.insights.period.report`) feeds one :class:`ExportDocument`, which the three
writers render alike (:mod:`app.export.csv`, :mod:`app.export.xlsx`, :mod:`app.export.pdf`).

Files are written to a temporary name beside the target and renamed into place, and each
export is recorded in ``export_records`` (who, when, format, filters, rows, target) in the same
step, so a failure leaves neither a file nor a record behind, and an older export at the same
path stays (it is kept under a second name until the record has committed). The record is kept in the store
the workshops came from: this laptop's, or the shared store holding every laptop's.
"""

from __future__ import annotations

import getpass
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import RippleError
from app.export.csv import write_csv
from app.export.document import ExportDocument, build_document
from app.export.request import ExportRequest
from app.export.xlsx import write_xlsx
from app.insights.period import report
from app.platform.gc_pause import without_gc
from app.platform.inputs import refuse_writing_onto_stores
from app.text import plural
from db.models import ExportRecord
from db.store import Store
from db.types import utcnow

if TYPE_CHECKING:
    from app.context import Ripple
    from app.settings import Settings


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    rows: int
    record_id: uuid.UUID
    workshops: int
    contributions: int

    def summary(self) -> str:
        return (
            f"Wrote {plural(self.rows, 'candidate')} to {self.path} ({self.format.upper()}, from "
            f"{plural(self.workshops, 'workshop')} and {self.contributions} contributions)."
        )


def _write_pdf(doc: ExportDocument, path: Path) -> None:
    from app.export.pdf import write_pdf  # reportlab loads only when a PDF is asked for

    write_pdf(doc, path)


WRITERS: dict[str, Callable[[ExportDocument, Path], None]] = {"csv": write_csv, "xlsx": write_xlsx, "pdf": _write_pdf}


@without_gc
def export_candidates(
    store: Store,
    request: ExportRequest,
    *,
    by: str,
    progress: Callable[[str], None] | None = None,
) -> ExportResult:
    """Analyse, write the file atomically, and record the export; all or nothing."""
    refuse_writing_onto_stores(request.out, store.url)
    rep = report(store, request.scope, progress=progress)
    if progress:
        progress("Gathering the evidence…")
    doc = build_document(store, rep, request)
    out = request.out
    if progress:
        progress(f"Writing the {request.format.upper()} file…")
    try:
        fd, name = tempfile.mkstemp(prefix=".ripple-export-", suffix="." + request.format, dir=out.parent)
    except OSError as exc:
        raise RippleError(f"The export could not be written to {out}: {exc.strerror or exc}.") from None
    os.close(fd)
    tmp = Path(name)
    older: Path | None = None
    placed = False
    try:
        WRITERS[request.format](doc, tmp)
        older = _keep_aside(out)
        with store.write() as s:
            record = ExportRecord(
                at=utcnow(),
                by=by[:200],
                format=request.format,
                # The team as the store spells it ("Sales South"), not as it was typed.
                # Who is in the file, so a subject access request can say which exports
                # included the person (app/privacy/access.py).
                filters={**request.filters(), "team": rep.scope.team,
                         "included": [c.person.id.hex for c in
                                      (rep.candidates[: request.top] if request.top else rep.candidates)]},
                rows=len(doc.candidates),
                target=str(out.resolve())[:500],
            )
            s.add(record)
            s.flush()
            # The file goes into place inside the record's transaction, so the two stand or
            # fall together; should the commit fail, the older file is put back (below).
            os.replace(tmp, out)
            placed = True
            record_id = record.id
    except OSError as exc:
        _undo(tmp, out, placed, older)
        raise RippleError(f"The export could not be written to {out}: {exc.strerror or exc}.") from None
    except BaseException:
        _undo(tmp, out, placed, older)
        raise
    if older is not None:
        older.unlink(missing_ok=True)
    return ExportResult(out, request.format, len(doc.candidates), record_id, rep.workshops, rep.contributions)


def _keep_aside(out: Path) -> Path | None:
    """A second name for the export already at ``out`` (a hard link beside it, so the file's
    bytes are neither copied nor moved), or None when there is none; it lets a failed commit
    of the record put the older export back instead of losing it with the new one. Where the
    folder has no hard links (a FAT stick, some network shares) the older file is copied."""
    if not out.is_file():
        return None
    fd, name = tempfile.mkstemp(prefix=".ripple-export-older-", dir=out.parent)
    os.close(fd)
    aside = Path(name)
    try:
        aside.unlink()
        try:
            os.link(out, aside)
        except OSError:
            shutil.copy2(out, aside)
    except OSError:
        aside.unlink(missing_ok=True)
        raise
    return aside


def _undo(tmp: Path, out: Path, placed: bool, older: Path | None) -> None:
    """After a failure: no new file, and the older export (if any) back at ``out``."""
    tmp.unlink(missing_ok=True)
    if older is not None:
        try:
            os.replace(older, out)  # atomic: ``out`` is never missing on the way back
        except OSError:
            pass  # left beside ``out`` under its .ripple-export-older- name, not deleted
    elif placed:
        out.unlink(missing_ok=True)


def exporter(settings: Settings) -> str:
    """Who exports, for the audit trail: the facilitator named in the settings, else the
    computer's user name."""
    name = settings.facilitator.strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


# ---------------------------------------------------------------- where the workshops come from


@dataclass(frozen=True)
class Source:
    """A store an export can read: this laptop's, or the shared one (every synced laptop's)."""

    key: str  # "local" or "shared"
    label: str
    detail: str  # more about it (the full masked address), for a tooltip; may be empty
    preferred: bool = False


def export_sources(ctx: Ripple) -> list[Source]:
    """The stores to offer, this laptop's first. With a shared store set, that one is
    preferred: an L&D export is about every laptop's workshops, not the ones run here."""
    here = "This laptop" if ctx.store.is_sqlite else f"The open store ({ctx.store_label})"
    sources = [Source("local", here, ctx.store_label)]
    if ctx.sync.configured:
        sources.append(Source("shared", f"Shared store, all laptops ({ctx.sync.masked_remote})", "", preferred=True))
    return sources


def export_from(
    ctx: Ripple,
    source: str,
    request: ExportRequest,
    *,
    by: str,
    progress: Callable[[str], None] | None = None,
) -> ExportResult:
    """Export from the source chosen (a :attr:`Source.key`); the record goes to that store.

    Run it off the UI thread: connecting to the shared store may take seconds (or fail)."""
    if source != "shared":
        return export_candidates(ctx.store, request, by=by, progress=progress)
    if progress:
        progress(f"Connecting to {ctx.sync.masked_remote}…")
    remote = ctx.sync.open_shared()
    try:
        return export_candidates(remote, request, by=by, progress=progress)
    finally:
        remote.close()
