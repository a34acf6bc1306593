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


def test_ranks_in_the_file_are_the_ranks_on_the_screen(store: Store, store_url: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The file lists candidates only, but each keeps the rank Insights shows, so "#4" on the
    screen is "4" in the file even when people ranked above are not candidates."""
    from app.insights.period import report
    from tests.helpers.insights import Cast, Line, load_into, quiet_and_loud

    cast = Cast().add("R", "Rafa Lucky").add("E", "Eve Steady")
    script: list[Line] = [(3000, "R", "spontaneous", "story", None, "r")]  # one big share: high, no candidate
    script += [(3000 + 20 * i, k, "spontaneous", "tip", "r") for i, k in enumerate("ABCD", start=1)]
    for n, t in enumerate((3600, 4200, 4800)):  # steady, smaller ripples: a candidate below Rafa
        script += [(t, "E", "spontaneous", "story", None, f"e{n}"), (t + 30, "C", "spontaneous", "tip", f"e{n}")]
    load_into(store, tmp_path, quiet_and_loud(cast, script)[1])
    out = tmp_path / "c.csv"
    assert run_export(capsys, store_url, "--format", "csv", "--out", str(out))[0] == 0
    on_screen = {c.person.label: c.rank for c in report(store).ranking}
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    listed = [r["participant"] for r in rows]
    assert any(on_screen[n] > on_screen["Rafa Lucky"] for n in listed) and "Rafa Lucky" not in listed
    assert rows and all(int(r["rank"]) == on_screen[r["participant"]] for r in rows)
