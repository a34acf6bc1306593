"""Shared set-up for the export tests: a period with a quiet ripple starter, a loud prompted
talker and a person without analytics consent; running the command; reading the files."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.cli import main
from db.models import ExportRecord
from db.store import Store
from tests.helpers.insights import Cast, Line, load_into, quiet_and_loud


def export_scenario(store: Store, tmp_path: Path) -> Cast:
    """Quinn (quiet ripple starter), Lou (loud, prompted) and Nora, who set people off but
    did not consent to analytics."""
    cast = Cast().add("N", "Nora Private", analytics=False)
    extra: list[Line] = []
    for n, t in enumerate((3000, 3400, 3800)):
        extra.append((t, "N", "spontaneous", "story", None, f"n{n}"))
        extra.append((t + 20, "A", "spontaneous", "tip", f"n{n}"))
    cast, d = quiet_and_loud(cast, extra)
    load_into(store, tmp_path, d)
    return cast


def run_export(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    """``ripple --db URL export candidates ARGS``: (exit code, stdout, stderr)."""
    code = main(["--db", url, "export", "candidates", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def export_records(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(ExportRecord)) or 0)


def all_text_of_xlsx(path: Path) -> str:
    wb = load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


def pdf_text(path: Path) -> str:
    """All text of the PDF, read with pdfium (no system poppler needed)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
