"""The XLSX form of the export: Candidates, Evidence, Teams, and About (period, filters, method).

openpyxl loads only when a workbook is written (the CLI and the app start without it); the
workbook is written in write-only mode, which streams rows straight to the file, so a year's
thousands of evidence rows stay fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.export.csv import CSV_COLUMNS, safe_text
from app.export.document import ExportDocument

HEAD_FILL = "0E7C86"  # the brand teal, as in the PDF

EVIDENCE_COLUMNS = (
    "participant", "what", "workshop", "when", "agenda item", "kind", "initiative", "built on by",
    "set off (inferred)", "second-order people", "reactions", "clip seconds", "clip scope",
)
TEAM_COLUMNS = ("team", "people", "candidates", "mean influence index", "mean spontaneity", "contributions", "ripples")


def write_xlsx(doc: ExportDocument, path: Path) -> None:
    """A workbook: Candidates, Evidence, Teams, and About (period, filters, method)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    _sheet(
        wb, "Candidates", [c.replace("_", " ") for c in CSV_COLUMNS],
        [
            [
                r.rank, r.participant, r.email, r.team, r.status, r.index, r.trend, r.percentile, r.workshops,
                _day(r.first_workshop), _day(r.last_workshop), r.spontaneous, r.prompted, r.spontaneity, r.first_moves,
                r.explicit_ripples, r.inferred_ripples, r.rippling_shares, r.people_set_off, r.second_order,
                r.failure_stories, r.clips, r.reactions, r.centrality, r.why, r.reasons,
            ]
            for r in doc.candidates
        ],
        [6, 24, 30, 16, 24, 10, 10, 10, 10, 12, 12, 11, 10, 11, 10, 10, 10, 10, 10, 10, 10, 8, 10, 10, 60, 70],
    )
    _sheet(
        wb, "Evidence", EVIDENCE_COLUMNS,
        [
            [e.participant, e.what, e.workshop, _local(e.at) if e.at else e.when, e.agenda_item, e.kind, e.initiative, e.built_on_by,
             e.set_off_inferred, e.second_order, e.reactions, e.clip_seconds, e.clip_scope]
            for e in doc.evidence
        ],
        [24, 14, 34, 17, 28, 12, 12, 36, 36, 10, 10, 10, 10],
    )
    _sheet(
        wb, "Teams", TEAM_COLUMNS,
        [
            [t.team, "fewer than 5: suppressed", "", "", "", "", ""]
            if t.suppressed
            else [t.team, t.people, t.candidates, t.mean_index, t.spontaneity, t.contributions, t.ripples]
            for t in doc.teams
        ],
        [24, 24, 12, 20, 18, 14, 10],
    )
    _about_sheet(wb, doc)
    wb.save(str(path))


def _sheet(wb: Any, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int]) -> None:
    """One table sheet: a teal header row, frozen, with a filter over the rows."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "B2" if title == "Candidates" else "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor=HEAD_FILL)
    head_align = Alignment(vertical="center")
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font, cell.fill, cell.alignment = head_font, head_fill, head_align
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_xlsx_cell(ws, v) for v in row])


def _day(text: str) -> date | str:
    """A workshop day as a date cell (Excel sorts and filters it as one)."""
    return date.fromisoformat(text) if text else ""


def _local(at: datetime) -> datetime:
    """A time as the room lived it: Excel has no time zones, so the workshop's wall clock."""
    return at.replace(tzinfo=None, microsecond=0)


def _xlsx_cell(ws: Any, v: Any) -> Any:
    """A value for the sheet; dates and times get a readable number format."""
    if isinstance(v, datetime | date):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=v)
        cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(v, datetime) else "yyyy-mm-dd"
        return cell
    return _xlsx_value(v)


def _about_sheet(wb: Any, doc: ExportDocument) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    about = wb.create_sheet("About")
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 90
    bold = Font(bold=True)
    for row in _about_rows(doc):
        first = WriteOnlyCell(about, value=_xlsx_value(row[0]))
        first.font = bold
        about.append([first, *(_xlsx_value(v) for v in row[1:])])


def _xlsx_value(v: Any) -> Any:
    # openpyxl treats text starting with "=" as a formula; names never should be.
    if isinstance(v, str):
        return safe_text(v)
    return v


def _about_rows(doc: ExportDocument) -> list[list[Any]]:
    """The About sheet: what was analysed, and the method with its numbers (a flat list)."""
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
