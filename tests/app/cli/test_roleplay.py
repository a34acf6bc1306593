"""``ripple roleplay …`` on the demo store: --json with full ids, the human lines, one
sentence and exit 1 for bad input, files refused on devices."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import av
import pytest

from app.cli import main

ITEM = "Role play: the price objection"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = _run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """The demo store (with its clips, in this test's data folder) and the workshop whose
    role play was recorded."""
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["--db", db, "demo"]) == 0
    assert "2 role plays (groups in triads, 3 rounds each, one recorded and marked)" in capsys.readouterr().out
    workshops = _json(capsys, "--db", db, "workshop", "list")
    finished = sorted((w for w in workshops if w["status"] == "finished" and w["team"] == "Sales North"),
                      key=lambda w: w["started_at"])
    return db, finished[-1]["id"]


def test_cards_rotation_markers_briefs_and_highlights(demo: tuple[str, str], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    db, wid = demo
    cards = _json(capsys, "roleplay", "cards")
    assert [c["key"] for c in cards] == ["objection-handling", "difficult-customer-call", "feedback-from-failure"]
    assert {r["channel"] for r in cards[0]["rubric"]} == {"verbal", "non_verbal"}
    every = _json(capsys, "--db", db, "roleplay", "rotation", wid, ITEM)
    assert len({r["group"] for r in every}) > 1  # the whole room, in triads
    rounds = [r for r in every if r["group"] == 0]  # the triad who agreed to video
    assert [(r["group"], r["number"]) for r in rounds] == [(0, 1), (0, 2), (0, 3)]
    assert all(str(uuid.UUID(c["participant"])) == c["participant"] for r in every for c in r["cast"])
    people = {c["participant"] for r in rounds for c in r["cast"]}
    for pid in people:
        assert sorted(c["role"] for r in rounds for c in r["cast"] if c["participant"] == pid) == \
            ["customer", "observer", "seller"]
    first = rounds[0]["id"]
    code, out, _ = _run(capsys, "--db", db, "roleplay", "rotation", wid, ITEM)
    assert code == 0 and first[:8] in out and "Seller:" in out
    markers = _json(capsys, "--db", db, "roleplay", "markers", first[:8])
    assert [m["at_s"] for m in markers] == sorted(m["at_s"] for m in markers) and len(markers) == 4
    assert all(m["round"] == first and m["polarity"] in ("strength", "improve") for m in markers)
    code, out, _ = _run(capsys, "--db", db, "roleplay", "markers", first)
    assert code == 0 and "Eye contact" in out and "Bookmark" in out
    code, out, err = _run(capsys, "--db", db, "roleplay", "briefs", wid, ITEM, "--out", str(tmp_path / "b.pdf"))
    pages = sum(len(r["cast"]) for r in every)  # a page per person and round
    assert code == 0 and f"{pages} pages" in out and (tmp_path / "b.pdf").stat().st_size > 1000, err
    reel = tmp_path / "reel.mp4"
    code, out, err = _run(capsys, "--db", db, "roleplay", "highlights", first[:8], "--out", str(reel),
                          "--criterion", "eye_contact", "--around", "0.5")
    assert code == 0, err
    assert "1 moment" in out
    with av.open(str(reel)) as c:
        assert c.streams.video[0].codec_context.name == "h264" and c.streams.audio[0].codec_context.name == "aac"


def test_bad_input_is_one_sentence_and_exit_1(demo: tuple[str, str], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    db, wid = demo
    rounds = _json(capsys, "--db", db, "roleplay", "rotation", wid, ITEM)
    unrecorded = rounds[1]["id"]
    cases = [
        (["roleplay", "rotation", wid, "Warm-up challenge"], "does not name one role-play item"),
        (["roleplay", "markers", "zzzz"], "is not a round id"),
        (["roleplay", "markers", "0000"], "no round whose id starts with"),
        (["roleplay", "highlights", unrecorded, "--out", str(tmp_path / "r.mp4")], "was not recorded"),
        (["roleplay", "highlights", rounds[0]["id"], "--out", "/dev/null"], "not an ordinary file"),
        (["roleplay", "highlights", rounds[0]["id"], "--out", str(tmp_path / "r.mp4"), "--criterion", "x"],
         "not a criterion"),
        (["roleplay", "briefs", wid, ITEM, "--out", str(tmp_path / "missing" / "b.pdf")], "does not exist"),
        (["roleplay", "briefs", wid, ITEM, "--out", str(tmp_path)], "is a folder"),
    ]
    for args, words in cases:
        code, out, err = _run(capsys, "--db", db, *args)
        assert code == 1 and out == "", args
        assert err.startswith("ripple: ") and words in err and err.count("\n") == 1, err
    assert not (tmp_path / "r.mp4").exists()
