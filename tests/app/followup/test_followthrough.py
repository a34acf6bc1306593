"""Follow-through for L&D: check-ins done and the last rating per person in the Insights
report and the candidate export; per team only for teams of at least five; a candidate's
evidence lists their commitment."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.followup.checkins import log_check_in
from app.followup.commitments import take_commitment
from app.insights.period import report
from db.store import Store
from tests.helpers.export import export_scenario, run_export


def test_the_report_and_the_export_carry_the_follow_through(
    sqlite_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cast = export_scenario(sqlite_store, tmp_path)
    rep = report(sqlite_store)
    (wid,) = {i.id for i in rep.workshop_infos.values()}
    q = take_commitment(sqlite_store, wid, cast.id("Q"), "open every team meeting with a story")
    take_commitment(sqlite_store, wid, cast.id("N"), "private plans")  # no analytics consent
    log_check_in(sqlite_store, q.id, 5)
    log_check_in(sqlite_store, q.id, 8, "it works")
    rep = report(sqlite_store)
    f = rep.followthrough[cast.id("Q")]
    assert (f.commitment, f.check_ins, f.due, f.last_rating) == ("open every team meeting with a story", 2, 2, 8)
    assert cast.id("N") not in rep.followthrough
    (team,) = rep.teams
    assert (team.suppressed, team.committed, team.check_ins, team.last_rating) == (False, 1, 2, 8.0)

    url = f"sqlite:///{tmp_path / 'store.db'}"
    code, _out, err = run_export(capsys, url, "--format", "csv", "--out", str(tmp_path / "c.csv"))
    assert code == 0, err
    rows = {r["participant"]: r for r in csv.DictReader((tmp_path / "c.csv").open(encoding="utf-8"))}
    quinn = rows[cast.name("Q")]
    assert (quinn["check_ins_done"], quinn["last_check_in_rating"], quinn["commitment"]) == (
        "2", "8", "open every team meeting with a story")
    assert "private plans" not in (tmp_path / "c.csv").read_text(encoding="utf-8")
    code, _out, err = run_export(capsys, url, "--format", "xlsx", "--out", str(tmp_path / "c.xlsx"))
    assert code == 0, err
    wb = load_workbook(tmp_path / "c.xlsx")
    evidence = [[c.value for c in row] for row in wb["Evidence"].iter_rows(min_row=2)]
    assert [cast.name("Q"), "commitment"] in [r[:2] for r in evidence]
    assert any(r[5] == "open every team meeting with a story" and r[12] == "2 of 2 check-ins done, last rating 8/10"
               for r in evidence)


def test_a_team_under_five_keeps_its_follow_through_to_itself(sqlite_store: Store, tmp_path: Path) -> None:
    from tests.helpers.insights import Cast, load_into, workshop

    cast = Cast().add("A", "Ada Lovelace", team="Tiny").add("B", "Ben Okafor", team="Tiny")
    (wid,) = load_into(sqlite_store, tmp_path, workshop(cast, [(10, "A", "spontaneous", "story", None),
                                                              (40, "B", "spontaneous", "story", None)]))
    log_check_in(sqlite_store, take_commitment(sqlite_store, wid, cast.id("A"), "listen").id, 9)
    rep = report(sqlite_store)
    assert rep.followthrough[cast.id("A")].last_rating == 9  # per person: yes
    assert [(t.suppressed, t.committed, t.check_ins, t.last_rating) for t in rep.teams] == [(True, 0, 0, None)]
