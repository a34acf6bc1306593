"""``ripple followup …`` as people use it: commit, check-in, list, calendar, cards; bad input
is one sentence and a non-zero exit, and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar

from app.cli import main
from db.store import Store
from tests.app.followup.conftest import build_room
from tests.helpers.portable import row_counts


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_commit_check_in_list_calendar_and_cards(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store.open(url)
    room = build_room(store, tmp_path)
    store.close()
    wid, ben = str(room.workshop_id)[:8], str(room.cast.id("B"))
    code, out, err = run(capsys, "--db", url, "followup", "commit", wid, ben, "share one failure a week")
    assert code == 0, err
    assert "buddy Ada Lovelace" in out and "2026-09-08, 2026-10-01" in out  # suggested from the ripples
    code, out, err = run(capsys, "--db", url, "followup", "check-in", wid, ben, "7", "--note", "twice")
    assert (code, out.strip()) == (0, "Check-in logged: 7/10."), err
    code, out, _ = run(capsys, "--db", url, "followup", "list", wid, "--json")
    (item,) = json.loads(out)
    assert (item["name"], item["buddy_name"], [k["rating"] for k in item["check_ins"]]) == (
        "Ben Okafor", "Ada Lovelace", [7])
    ics = tmp_path / "w.ics"
    code, out, err = run(capsys, "--db", url, "followup", "calendar", wid, "--out", str(ics), "--participant", ben)
    assert code == 0 and "2 check-in events" in out, err
    assert len(Calendar.from_ical(ics.read_bytes()).walk("VEVENT")) == 2
    pdf = tmp_path / "cards.pdf"
    code, out, err = run(capsys, "--db", url, "followup", "cards", wid, "--out", str(pdf))
    assert code == 0 and "4 ripple cards" in out, err


@pytest.mark.parametrize(("args", "message"), [
    (["check-in", "{w}", "{b}", "11"], "from 1 to 10"),
    (["check-in", "{w}", "{c}", "5"], "made no commitment"),
    (["commit", "{w}", "{b}", " "], "needs a sentence"),
    (["commit", "{w}", "{b}", "listen", "--buddy", "{b}"], "not the person themselves"),
    (["commit", "ffffffff", "{b}", "listen"], "no workshop whose id starts"),
    (["calendar", "{w}", "--out", "{tmp}/x.txt"], "an .ics file"),
    (["cards", "{w}", "--out", "{tmp}/nowhere/x.pdf"], "does not exist"),
])
def test_bad_input_is_one_sentence_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store.open(url)
    room = build_room(store, tmp_path)
    assert main(["--db", url, "followup", "commit", str(room.workshop_id), str(room.cast.id("B")), "listen"]) == 0
    before = row_counts(store)
    values = {"w": str(room.workshop_id), "b": str(room.cast.id("B")), "c": str(room.cast.id("C")), "tmp": str(tmp_path)}
    capsys.readouterr()
    code, _out, err = run(capsys, "--db", url, "followup", *[a.format(**values) for a in args])
    assert code == 1 and message in err and err.count("\n") == 1
    assert row_counts(store) == before
    assert not list(tmp_path.glob("x.*"))
    store.close()
