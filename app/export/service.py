"""The L&D candidate export: CSV for tools, XLSX (candidates and evidence), a PDF to forward.

One analysis (:func:`app.insights.period.report`) feeds one :class:`ExportDocument`, which the three
writers render alike. Privacy rules live here, in one place:

* only participants who consented to analytics appear (by name, in evidence, in team numbers);
  anyone else who was set off shows as "another participant";
* ``pseudonymize`` replaces names and e-mails with stable pseudonyms: an HMAC of the person's
  id with a secret kept in the store, so the same person gets the same pseudonym on every run
  against that store, and nobody can reverse it without the store;
* team aggregates of fewer than five people are suppressed.

Files are written to a temporary name beside the target and renamed into place, and each
export is recorded in ``export_records`` (who, when, format, filters, rows, target) in the same
step, so a failure leaves neither a file nor a record behind.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import os
import secrets
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from app.errors import RippleError
from app.influence.params import Rules, Weights
from app.influence.wording import why
from app.insights.evidence import Evidence, evidence_for
from app.insights.loading import Scope
from app.insights.people import ANONYMOUS, Person
from app.insights.period import MIN_TEAM_SIZE, Candidate, Report, TeamSummary, report
from app.platform.gc_pause import without_gc
from db.models import ExportRecord, StoreMeta
from db.store import Store
from db.types import utcnow

FORMATS = ("csv", "xlsx", "pdf")
PSEUDONYM_SECRET_KEY = "pseudonym_secret"
EVIDENCE_PER_CANDIDATE = 10  # shares (and failure stories) per candidate in the files: the strongest first
PDF_DETAILED = 15  # the PDF details the evidence of its first 15 candidates

# ---------------------------------------------------------------- the request


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
    dialog: bool = False,
) -> ExportRequest:
    """Check every input and say in one sentence what is wrong (the CLI and the dialog share
    it; ``dialog`` names the dialog's fields instead of the command's options)."""
    path = Path(str(out)).expanduser() if str(out or "").strip() else None
    if path is None:
        raise RippleError("Choose a file to write the export to." if dialog
                          else "Say where to write the export (--out FILE).")
    if path.exists() and path.is_dir():
        raise RippleError(f"{path} is a folder; give a file name such as {path / 'candidates.csv'}.")
    if path.is_symlink():
        path = path.resolve()  # the export replaces the file the link points to, not the link
    if path.exists() and not path.is_file():
        raise RippleError(f"{path} is not an ordinary file (a device or a pipe); give a file name to write.")
    fmt = (format or path.suffix.lstrip(".")).strip().lower()
    if fmt not in FORMATS:
        shown = format if format else path.name
        raise RippleError(f"“{shown}” is not an export format; use csv, xlsx or pdf.")
    folder = path.parent
    if folder.exists() and not folder.is_dir():
        raise RippleError(f"{folder} is a file, not a folder; choose another place for the export.")
    if not folder.is_dir():
        raise RippleError(f"The folder {folder} does not exist.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RippleError(f"Ripple cannot write to the folder {folder}; choose another place.")

    def when(value: str | datetime | date | None, end: bool) -> datetime | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime):
            return value if value.tzinfo else value.astimezone()
        if isinstance(value, date):
            return parse_day(value.isoformat(), end=end)
        return parse_day(value, end=end)

    start, stop = when(since, False), when(until, True)
    if start and stop and start >= stop:
        swap = "“from” and “until”" if dialog else "--since and --until"
        raise RippleError(f"The start date is after the end date; swap {swap}.")
    count: int | None = None
    if top is not None and str(top).strip():
        try:
            count = int(str(top).strip())
        except ValueError:
            raise RippleError(f"--top must be a whole number, not “{top}”.") from None
        if count < 1:
            raise RippleError("--top must be at least 1.")
    return ExportRequest(
        format=fmt, out=path, since=start, until=stop, team=(team or "").strip() or None, top=count,
        pseudonymize=bool(pseudonymize),
    )


# ---------------------------------------------------------------- pseudonyms


def pseudonym_secret(store: Store) -> bytes:
    """This store's secret for pseudonyms, made on first use (kept in ``store_meta``, which
    never syncs: pseudonyms are stable per store and cannot be reversed without it)."""
    current = store.meta(PSEUDONYM_SECRET_KEY)
    if current:
        return base64.b64decode(current)
    fresh = base64.b64encode(secrets.token_bytes(32)).decode()
    try:
        with store.write() as s:
            if s.get(StoreMeta, PSEUDONYM_SECRET_KEY) is None:
                s.add(StoreMeta(key=PSEUDONYM_SECRET_KEY, value=fresh))
    except IntegrityError:  # another export made it at the same moment: use theirs
        pass
    value = store.meta(PSEUDONYM_SECRET_KEY)
    if not value:
        raise RippleError("Ripple could not keep the pseudonym key in the store.")
    return base64.b64decode(value)


class Pseudonyms:
    """Stable pseudonyms: ``P-`` and 10 characters of an HMAC-SHA256 of the participant id."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def __call__(self, pid: uuid.UUID) -> str:
        digest = hmac.new(self._secret, str(pid).encode(), hashlib.sha256).digest()
        code = base64.b32encode(digest).decode().rstrip("=")[:10]
        return f"P-{code[:5]}-{code[5:]}"

    def email(self, pid: uuid.UUID) -> str:
        return f"{self(pid).lower()}@pseudonymized.invalid"


# ---------------------------------------------------------------- the document


@dataclass(frozen=True)
class CandidateRow:
    rank: int
    participant: str
    email: str
    team: str
    status: str
    index: float
    trend: float
    percentile: float
    workshops: int
    first_workshop: str
    last_workshop: str
    spontaneous: int
    prompted: int
    spontaneity: float
    first_moves: int
    explicit_ripples: int
    inferred_ripples: int
    rippling_shares: int
    people_set_off: int
    second_order: int
    failure_stories: int
    clips: int
    reactions: int
    centrality: float
    why: str
    reasons: str
    series: tuple[tuple[str, float], ...]  # (workshop date, index)


@dataclass(frozen=True)
class EvidenceRow:
    participant: str
    what: str  # "share", "failure story" or "clip"
    workshop: str
    when: str
    agenda_item: str
    kind: str
    initiative: str
    built_on_by: str
    set_off_inferred: str
    second_order: int
    reactions: int
    clip_seconds: float | None = None
    clip_scope: str = ""


@dataclass
class ExportDocument:
    """What every writer renders: the same rows, the same words."""

    title: str
    generated_at: datetime
    period: str
    team: str
    pseudonymized: bool
    workshops: int
    contributions: int
    analysed: int
    candidates: list[CandidateRow]
    evidence: list[EvidenceRow]
    teams: list[TeamSummary]
    weights: Weights
    rules: Rules
    window_s: float
    notes: list[str] = field(default_factory=list)


CSV_COLUMNS = (
    "rank", "participant", "email", "team", "status", "influence_index", "trend_per_workshop", "percentile",
    "workshops", "first_workshop", "last_workshop", "spontaneous", "prompted", "spontaneity_rate",
    "first_moves", "explicit_ripples", "inferred_ripples", "rippling_shares", "people_set_off",
    "second_order_reach", "failure_stories", "clips", "reactions_received", "network_centrality", "why",
    "reasons",
)


def _period(request: ExportRequest) -> str:
    def day(d: datetime) -> str:
        return d.astimezone().strftime("%d %b %Y")

    if request.since and request.until:
        return f"{day(request.since)} – {day(request.until - timedelta(seconds=1))}"
    if request.since:
        return f"from {day(request.since)}"
    if request.until:
        return f"until {day(request.until - timedelta(seconds=1))}"
    return "all workshops"


def build_document(store: Store, rep: Report, request: ExportRequest) -> ExportDocument:
    """The candidates (best first, ``top`` of them), their evidence and the team numbers, with
    names replaced when asked."""
    chosen: list[Candidate] = rep.candidates[: request.top] if request.top else rep.candidates
    names: Callable[[Person], str]
    emails: Callable[[Person], str]
    if request.pseudonymize:
        pseudo = Pseudonyms(pseudonym_secret(store))

        def names(p: Person) -> str:
            return pseudo(p.id) if p.named else ANONYMOUS

        def emails(p: Person) -> str:
            return pseudo.email(p.id) if p.named else ""
    else:

        def names(p: Person) -> str:
            return p.label

        def emails(p: Person) -> str:
            return (p.email or "") if p.named else ""

    # The CSV (for tools) has no evidence rows; the PDF details its first candidates only.
    detailed = {"csv": [], "pdf": chosen[:PDF_DETAILED]}.get(request.format, chosen)
    evidence = evidence_for(store, rep, [c.person.id for c in detailed], limit=EVIDENCE_PER_CANDIDATE)
    day_cache: dict[str, str] = {}

    def day_of(workshop: str) -> str:
        if workshop not in day_cache:
            start = rep.workshop_start(workshop)
            day_cache[workshop] = start.strftime("%Y-%m-%d") if start else ""
        return day_cache[workshop]

    rows: list[CandidateRow] = []
    ev_rows: list[EvidenceRow] = []
    for i, c in enumerate(chosen, start=1):
        t, pp = c.profile, c.period
        days = [day_of(x.workshop) for x in pp.series]
        rows.append(
            CandidateRow(
                rank=i,
                participant=names(c.person),
                email=emails(c.person),
                team=c.person.team,
                status=c.status,
                index=round(pp.index, 2),
                trend=round(pp.trend, 2),
                percentile=round(pp.percentile, 2),
                workshops=len(pp.series),
                first_workshop=days[0] if days else "",
                last_workshop=days[-1] if days else "",
                spontaneous=t.spontaneous,
                prompted=t.prompted,
                spontaneity=round(t.spontaneity_rate, 2),
                first_moves=t.first_moves,
                explicit_ripples=t.explicit_ripples,
                inferred_ripples=t.inferred_ripples,
                rippling_shares=t.rippling_shares,
                people_set_off=len(t.reach_first),
                second_order=len(t.reach_second),
                failure_stories=t.failures,
                clips=t.clips,
                reactions=t.reactions,
                centrality=round(t.centrality, 2),
                why=why(c.profile),
                reasons="; ".join(c.reasons),
                series=tuple((d, round(x.index, 2)) for d, x in zip(days, pp.series, strict=True)),
            )
        )
        ev = evidence.get(c.person.id)
        if ev is not None:
            ev_rows.extend(_evidence_rows(names(c.person), ev, names))
    notes = [
        "Only participants who consented to analytics are listed; others appear as “another participant”.",
        f"Team numbers are suppressed for teams with fewer than {MIN_TEAM_SIZE} consenting people.",
    ]
    if request.pseudonymize:
        notes.append("Names and e-mails are pseudonyms, stable for this store; they cannot be reversed without it.")
    return ExportDocument(
        title="Emerging learning influencers",
        generated_at=utcnow(),
        period=_period(request),
        team=rep.scope.team or "all teams",
        pseudonymized=request.pseudonymize,
        workshops=rep.workshops,
        contributions=rep.contributions,
        # Consenting people only: counting everyone would reveal, in a small team, that someone
        # who declined analytics took part.
        analysed=len(rep.ranking),
        candidates=rows,
        evidence=ev_rows,
        teams=rep.teams,
        weights=rep.weights,
        rules=rep.rules,
        window_s=rep.window_s,
        notes=notes,
    )


def _people(people: Sequence[Person], names: Callable[[Person], str]) -> str:
    """"Ana, Ben ×2": each person once, in order of appearance, with how often."""
    counts: dict[str, int] = {}
    for p in people:
        label = names(p)
        counts[label] = counts.get(label, 0) + 1
    return ", ".join(label if n == 1 else f"{label} ×{n}" for label, n in counts.items())


def _evidence_rows(owner: str, ev: Evidence, names: Callable[[Person], str]) -> list[EvidenceRow]:
    out = []
    seen: set[uuid.UUID] = set()
    for what, items in (("share", ev.shares), ("failure story", ev.failures)):
        for e in items:
            if e.id in seen:
                continue
            seen.add(e.id)
            out.append(
                EvidenceRow(
                    participant=owner,
                    what=what if not (what == "share" and e.kind == "failure") else "failure story",
                    workshop=e.workshop,
                    when=e.at.strftime("%Y-%m-%d %H:%M"),
                    agenda_item=e.item,
                    kind=e.kind,
                    initiative="spontaneous" if e.spontaneous else "prompted",
                    built_on_by=_people(e.explicit, names),
                    set_off_inferred=_people(e.inferred, names),
                    second_order=e.second_order,
                    reactions=e.reactions,
                )
            )
    for c in ev.clips:
        out.append(
            EvidenceRow(
                participant=owner, what="clip", workshop=c.workshop, when=c.at.strftime("%Y-%m-%d %H:%M"),
                agenda_item="", kind=c.title, initiative="", built_on_by="", set_off_inferred="", second_order=0,
                reactions=c.reactions, clip_seconds=round(c.seconds, 1), clip_scope=c.scope,
            )
        )
    return out


# ---------------------------------------------------------------- writers


def _safe_text(value: str) -> str:
    """Text a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _csv_row(r: CandidateRow) -> list[Any]:
    return [
        r.rank, _safe_text(r.participant), _safe_text(r.email), _safe_text(r.team), r.status, f"{r.index:.2f}",
        f"{r.trend:.2f}", f"{r.percentile:.2f}", r.workshops, r.first_workshop, r.last_workshop, r.spontaneous,
        r.prompted, f"{r.spontaneity:.2f}", r.first_moves, r.explicit_ripples, r.inferred_ripples,
        r.rippling_shares, r.people_set_off, r.second_order, r.failure_stories, r.clips, r.reactions,
        f"{r.centrality:.2f}", _safe_text(r.why), _safe_text(r.reasons),
    ]


def write_csv(doc: ExportDocument, path: Path) -> None:
    """UTF-8, comma-separated, one header row, one row per candidate (for tools)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for r in doc.candidates:
            w.writerow(_csv_row(r))
        fh.flush()
        os.fsync(fh.fileno())


def write_xlsx(doc: ExportDocument, path: Path) -> None:
    """A workbook: Candidates, Evidence, Teams, and About (period, filters, method)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    # Write-only mode streams rows straight to the file: thousands of evidence rows stay fast.
    wb = Workbook(write_only=True)
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="0E7C86")
    head_align = Alignment(vertical="center")

    def sheet(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int]) -> None:
        ws = wb.create_sheet(title)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "B2" if title == "Candidates" else "A2"
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
        header = []
        for name in columns:
            cell = WriteOnlyCell(ws, value=name)
            cell.font, cell.fill, cell.alignment = head_font, head_fill, head_align
            header.append(cell)
        ws.append(header)
        for row in rows:
            ws.append([_xlsx_value(v) for v in row])

    sheet(
        "Candidates",
        [c.replace("_", " ") for c in CSV_COLUMNS],
        [
            [
                r.rank, r.participant, r.email, r.team, r.status, r.index, r.trend, r.percentile, r.workshops,
                r.first_workshop, r.last_workshop, r.spontaneous, r.prompted, r.spontaneity, r.first_moves,
                r.explicit_ripples, r.inferred_ripples, r.rippling_shares, r.people_set_off, r.second_order,
                r.failure_stories, r.clips, r.reactions, r.centrality, r.why, r.reasons,
            ]
            for r in doc.candidates
        ],
        [6, 24, 30, 16, 24, 10, 10, 10, 10, 12, 12, 11, 10, 11, 10, 10, 10, 10, 10, 10, 10, 8, 10, 10, 60, 70],
    )
    sheet(
        "Evidence",
        ["participant", "what", "workshop", "when", "agenda item", "kind", "initiative", "built on by",
         "set off (inferred)", "second-order people", "reactions", "clip seconds", "clip scope"],
        [
            [e.participant, e.what, e.workshop, e.when, e.agenda_item, e.kind, e.initiative, e.built_on_by,
             e.set_off_inferred, e.second_order, e.reactions, e.clip_seconds, e.clip_scope]
            for e in doc.evidence
        ],
        [24, 14, 34, 17, 28, 12, 12, 36, 36, 10, 10, 10, 10],
    )
    sheet(
        "Teams",
        ["team", "people", "candidates", "mean influence index", "mean spontaneity", "contributions", "ripples"],
        [
            [t.team, "fewer than 5: suppressed", "", "", "", "", ""]
            if t.suppressed
            else [t.team, t.people, t.candidates, t.mean_index, t.spontaneity, t.contributions, t.ripples]
            for t in doc.teams
        ],
        [24, 24, 12, 20, 18, 14, 10],
    )
    about = wb.create_sheet("About")
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 90
    bold = Font(bold=True)
    for row in _about_rows(doc):
        first = WriteOnlyCell(about, value=_xlsx_value(row[0]))
        first.font = bold
        about.append([first, *(_xlsx_value(v) for v in row[1:])])
    wb.save(str(path))


def _xlsx_value(v: Any) -> Any:
    # openpyxl treats text starting with "=" as a formula; names never should be.
    if isinstance(v, str):
        return _safe_text(v)
    return v


def _about_rows(doc: ExportDocument) -> list[list[Any]]:
    w, r = doc.weights, doc.rules
    rows: list[list[Any]] = [
        ["Report", doc.title],
        ["Generated", doc.generated_at.astimezone().strftime("%Y-%m-%d %H:%M %Z")],
        ["Period", doc.period],
        ["Team", doc.team],
        ["Pseudonymized", "yes" if doc.pseudonymized else "no"],
        ["Workshops analysed", doc.workshops],
        ["Contributions analysed", doc.contributions],
        ["People analysed (consented to analytics)", doc.analysed],
        ["Candidates listed", len(doc.candidates)],
        ["", ""],
        ["Method", "Ripples: B is a ripple of A when B explicitly builds on A, or (inferred) B comes from "
                   f"another participant of the same agenda item and group within {doc.window_s:g} s after a "
                   "spontaneous A; k possible sources share an inferred ripple's credit."],
        ["Influence index", "A workshop's points over the typical (median) participant's points of that "
                            "workshop, pooled over the period: 1.0 = typical."],
        ["Candidate", f"at least {r.min_spontaneous} spontaneous shares, ripples from at least "
                      f"{r.min_rippling_shares} different shares, index ≥ {r.strong_index:g}, spontaneity ≥ "
                      f"{r.min_spontaneity:.0%}, and not resting on one workshop (unless new)."],
        ["Emerging", f"a candidate who is rising (≥ {r.rising_slope:+g} index per workshop over ≥ "
                     f"{r.min_trend_workshops} workshops) or new (≤ {r.new_max_workshops} workshops, joined after "
                     "their team started)."],
        ["", ""],
        ["Weights (points per unit)", ""],
    ]
    for name, value in (
        ("explicit ripple", w.explicit_ripple), ("inferred ripple credit", w.inferred_ripple),
        ("person set off explicitly", w.reach_explicit), ("person set off (inferred only)", w.reach_inferred),
        ("second-order person", w.second_order_reach), ("first move", w.first_mover),
        ("spontaneous share", w.spontaneous), ("prompted share", w.prompted),
        ("spontaneity rate (0–1)", w.spontaneity), ("unprompted failure story", w.failure), ("clip", w.clip),
        ("reaction received", w.reaction), ("network centrality above average", w.centrality),
    ):
        rows.append([f"  {name}", value])
    rows.append(["", ""])
    rows.extend([["Note", n] for n in doc.notes])
    return rows


# ---------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    rows: int
    record_id: uuid.UUID
    workshops: int
    contributions: int

    def summary(self) -> str:
        noun = "candidate" if self.rows == 1 else "candidates"
        return (
            f"Wrote {self.rows} {noun} to {self.path} ({self.format.upper()}, from {self.workshops} "
            f"workshop{'s' if self.workshops != 1 else ''} and {self.contributions} contributions)."
        )


WRITERS: dict[str, Callable[[ExportDocument, Path], None]] = {"csv": write_csv, "xlsx": write_xlsx}


def _writer(fmt: str) -> Callable[[ExportDocument, Path], None]:
    if fmt == "pdf":
        from app.export.pdf import write_pdf

        return write_pdf
    return WRITERS[fmt]


@without_gc
def export_candidates(
    store: Store,
    request: ExportRequest,
    *,
    by: str,
    progress: Callable[[str], None] | None = None,
) -> ExportResult:
    """Analyse, write the file atomically, and record the export; all or nothing."""
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
    placed = False
    try:
        _writer(request.format)(doc, tmp)
        with store.write() as s:
            record = ExportRecord(
                at=utcnow(),
                by=by[:200],
                format=request.format,
                # The team as the store spells it ("Sales South"), not as it was typed.
                filters={**request.filters(), "team": rep.scope.team},
                rows=len(doc.candidates),
                target=str(out.resolve())[:500],
            )
            s.add(record)
            s.flush()
            os.replace(tmp, out)
            placed = True
            record_id = record.id
    except OSError as exc:
        _discard(tmp, out if placed else None)
        raise RippleError(f"The export could not be written to {out}: {exc.strerror or exc}.") from None
    except BaseException:
        _discard(tmp, out if placed else None)
        raise
    return ExportResult(out, request.format, len(doc.candidates), record_id, rep.workshops, rep.contributions)


def _discard(tmp: Path, placed: Path | None) -> None:
    tmp.unlink(missing_ok=True)
    if placed is not None:
        placed.unlink(missing_ok=True)


__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "CandidateRow",
    "EvidenceRow",
    "ExportDocument",
    "ExportRequest",
    "ExportResult",
    "Pseudonyms",
    "build_document",
    "export_candidates",
    "make_request",
    "parse_day",
    "pseudonym_secret",
    "write_csv",
    "write_xlsx",
]
