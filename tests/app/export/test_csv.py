"""The CSV form: one row per candidate with their numbers, for tools."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.export.csv import CSV_COLUMNS
from db.store import Store
from tests.helpers.export import export_records, export_scenario, run_export


def test_csv_lists_candidates_with_their_numbers(store: Store, store_url: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    export_scenario(store, tmp_path)
    out = tmp_path / "c.csv"
    code, stdout, err = run_export(capsys, store_url, "--format", "csv", "--out", str(out))
    assert code == 0 and err == "" and "Wrote" in stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    names = [r["participant"] for r in rows]
    assert "Quinn Quiet" in names and "Lou Loud" not in names and "Nora Private" not in names
    quinn = rows[names.index("Quinn Quiet")]
    assert quinn["email"] == "q@example.com" and int(quinn["explicit_ripples"]) == 8
    assert float(quinn["influence_index"]) >= 1.5 and quinn["rank"] == str(names.index("Quinn Quiet") + 1)
    assert export_records(store) == 1
