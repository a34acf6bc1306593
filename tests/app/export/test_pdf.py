"""The PDF report renders: real pages with the title, the chart and the names it may show."""

from __future__ import annotations

from pathlib import Path

import cv2
import pypdfium2 as pdfium
import pytest

from db.store import Store
from tests.helpers.export import export_scenario, pdf_text, run_export


def test_pdf_report_renders_with_content(store: Store, store_url: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    export_scenario(store, tmp_path)
    out = tmp_path / "report.pdf"
    code, _o, err = run_export(capsys, store_url, "--format", "pdf", "--out", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")
    text = pdf_text(out)
    assert "Emerging learning influencers" in text and "Quinn Quiet" in text
    assert "Nora Private" not in text
    png = _render_first_page(out, tmp_path)
    assert _ink_share(png) > 0.02  # a real page: title, chart, table


def _render_first_page(pdf: Path, tmp_path: Path) -> Path:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        pixels = doc[0].render(scale=40 / 72).to_numpy()
    finally:
        doc.close()
    png = tmp_path / "page-1.png"
    assert cv2.imwrite(str(png), pixels)
    return png


def _ink_share(png: Path) -> float:
    gray = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    assert gray is not None and gray.shape[1] > 100
    return float((gray < 200).mean())
