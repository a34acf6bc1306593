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
