"""The CSV form of the export: one header row and one row per candidate, for other tools.

Names go into spreadsheets: any text that a spreadsheet would run as a formula is quoted
(:func:`safe_text`, used by the XLSX writer too).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from app.export.document import CandidateRow, ExportDocument

CSV_COLUMNS = (
    "rank", "participant", "email", "team", "status", "influence_index", "trend_per_workshop", "percentile",
    "workshops", "first_workshop", "last_workshop", "spontaneous", "prompted", "spontaneity_rate",
    "first_moves", "explicit_ripples", "inferred_ripples", "rippling_shares", "people_set_off",
    "second_order_reach", "failure_stories", "clips", "reactions_received", "network_centrality", "why",
    "reasons",
)


def safe_text(value: str) -> str:
    """Text a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _csv_row(r: CandidateRow) -> list[Any]:
    return [
        r.rank, safe_text(r.participant), safe_text(r.email), safe_text(r.team), r.status, f"{r.index:.2f}",
        f"{r.trend:.2f}", f"{r.percentile:.2f}", r.workshops, r.first_workshop, r.last_workshop, r.spontaneous,
        r.prompted, f"{r.spontaneity:.2f}", r.first_moves, r.explicit_ripples, r.inferred_ripples,
        r.rippling_shares, r.people_set_off, r.second_order, r.failure_stories, r.clips, r.reactions,
        f"{r.centrality:.2f}", safe_text(r.why), safe_text(r.reasons),
    ]


def write_csv(doc: ExportDocument, path: Path) -> None:
    """UTF-8 with a byte-order mark (without it Excel reads "García" as "GarcÃ­a"; Python's
    ``utf-8-sig``, pandas and R skip it), comma-separated, one header row, one row per candidate."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for r in doc.candidates:
            w.writerow(_csv_row(r))
        fh.flush()
        os.fsync(fh.fileno())
