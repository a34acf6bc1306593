"""The XLSX form: candidates, evidence, teams, and no private names."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.store import Store
from tests.helpers.export import all_text_of_xlsx, export_scenario, run_export


def test_xlsx_has_candidates_evidence_teams_and_no_private_names(store: Store, store_url: str, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    export_scenario(store, tmp_path)
    out = tmp_path / "c.xlsx"
    code, _o, err = run_export(capsys, store_url, "--out", str(out))  # the format comes from the name
    assert code == 0, err
    wb = load_workbook(out)
    assert wb.sheetnames == ["Candidates", "Evidence", "Teams", "About"]
    cand = [[c.value for c in row] for row in wb["Candidates"].iter_rows(min_row=2)]
    assert "Quinn Quiet" in [r[1] for r in cand]
    evidence = [[c.value for c in row] for row in wb["Evidence"].iter_rows(min_row=2)]
    quinn_ev = [r for r in evidence if r[0] == "Quinn Quiet"]
    assert len([r for r in quinn_ev if r[1] == "share"]) == 4
    assert all("Ada Lovelace" in (r[7] or "") for r in quinn_ev if r[1] == "share")
    text = all_text_of_xlsx(out)
    assert "Nora Private" not in text and "n@example.com" not in text
    teams = [[c.value for c in row] for row in wb["Teams"].iter_rows(min_row=2)]
    assert teams[0][0] == "Sales" and teams[0][1] == 6  # six consenting people: shown


def test_xlsx_dates_are_dates_and_csv_opens_in_excel_with_accents(store: Store, store_url: str, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Excel sorts and filters date cells, not text; and it reads a CSV as UTF-8 only with a BOM."""
    import datetime as dt

    export_scenario(store, tmp_path)
    out = tmp_path / "c.xlsx"
    assert run_export(capsys, store_url, "--out", str(out))[0] == 0
    wb = load_workbook(out)
    head = [c.value for c in next(wb["Candidates"].iter_rows(max_row=1))]
    first = [c for c in next(wb["Candidates"].iter_rows(min_row=2, max_row=2))][head.index("first workshop")]
    assert isinstance(first.value, dt.datetime) and first.number_format == "yyyy-mm-dd"
    when = [row[3] for row in wb["Evidence"].iter_rows(min_row=2)]
    assert when and all(isinstance(c.value, dt.datetime) and c.number_format == "yyyy-mm-dd hh:mm" for c in when)
    csv_out = tmp_path / "c.csv"
    assert run_export(capsys, store_url, "--format", "csv", "--out", str(csv_out))[0] == 0
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbfrank,")
