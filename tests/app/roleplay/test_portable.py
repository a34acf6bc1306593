"""Scenarios, rounds, markers and ratings in the portable file: exactly the sections of
PRODUCT.md, a round trip, optional on read, never rewinding, dangling ids named."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from app.portable.apply import import_workshop
from app.portable.spec import PortableError
from app.portable.write import export_workshop, workshop_document
from app.roleplay.scenarios import update_scenario
from db.store import Store
from tests.helpers.portable import doc, item, max_seq, person, row_counts, write
from tests.helpers.roleplay_played import played

SECTIONS = ("scenarios", "rounds", "markers", "ratings")


def _sections(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d[k] for k in SECTIONS}


def test_the_sections_round_trip(store: Store, tmp_path: Path) -> None:
    p = played(store, tmp_path / "clips")
    path = export_workshop(store, p.t.workshop, tmp_path / "w.json").path
    d = json.loads(path.read_text(encoding="utf-8"))
    assert set(d["rounds"][0]) == {"id", "scenario", "group", "number", "cast", "started_at", "clip"}
    assert set(d["markers"][0]) == {"id", "round", "at_s", "criterion", "polarity", "by", "note"}
    assert set(d["ratings"][0]) == {"id", "round", "rater", "player", "criterion", "score", "comment"}
    assert set(d["scenarios"][0]) == {"id", "agenda_item", "title", "situation", "roles", "phases", "rubric"}
    assert d["scenarios"][0]["rubric"][0] == {"id": "eye_contact", "label": "Eye contact", "channel": "non_verbal",
                                              "scale": 5}
    assert [m["at_s"] for m in d["markers"]] == [3.5, 9.0, 12.0] and len(d["rounds"]) == 3
    assert d["rounds"][0]["clip"] == str(p.clip_id) and d["rounds"][1]["started_at"] is None
    target = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        result = import_workshop(target, path)
        assert result.changes.created["markers"] == 3 and result.changes.created["ratings"] == 4
        again = workshop_document(target, p.t.workshop)
        assert _sections(again) == _sections(d)
        counts, seq = row_counts(target), max_seq(target)
        assert import_workshop(target, path).changes.total == 0
        assert row_counts(target) == counts and max_seq(target) == seq
    finally:
        target.close()


def test_an_import_never_rewinds_an_edited_card(sqlite_store: Store, tmp_path: Path) -> None:
    p = played(sqlite_store, tmp_path / "clips")
    path = export_workshop(sqlite_store, p.t.workshop, tmp_path / "w.json").path
    update_scenario(sqlite_store, p.t.scenario, title="Edited after the export")
    result = import_workshop(sqlite_store, path)
    assert result.changes.total == 0 and any(what == "scenarios" and f == "title" for what, f in result.kept)
    assert workshop_document(sqlite_store, p.t.workshop)["scenarios"][0]["title"] == "Edited after the export"


def test_a_file_without_the_sections_still_imports(sqlite_store: Store, tmp_path: Path) -> None:
    d = doc(people=[person("Ana")], agenda=[item("role_play", "RP")])
    for key in SECTIONS:
        d.pop(key, None)
    import_workshop(sqlite_store, write(tmp_path / "old.json", d))
    assert _sections(workshop_document(sqlite_store, uuid.UUID(d["workshop"]["id"]))) == {k: [] for k in SECTIONS}


def _bad_files(base: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    sid, rid = base["scenarios"][0]["id"], base["rounds"][0]["id"]
    missing = "00000000-0000-0000-0000-00000000dead"
    cases: list[tuple[str, dict[str, Any], str]] = []

    def change(section: str, index: int, **fields: Any) -> dict[str, Any]:
        copy = json.loads(json.dumps(base))
        copy[section][index].update(fields)
        return copy

    cases.append(("round scenario", change("rounds", 0, scenario=missing),
                  f"rounds[0] (id {rid}): “scenario” refers to {missing}, which is not in “scenarios”."))
    cases.append(("marker round", change("markers", 1, round=missing), "“round” refers to"))
    cases.append(("rating player", change("ratings", 0, player=missing), "“player” refers to"))
    cases.append(("cast participant", change("rounds", 0, cast=[{"role": "seller", "participant": missing}]),
                  "“cast[0]”: “participant” refers to"))
    cases.append(("cast role", change("rounds", 0, cast=[{"role": "pilot", "participant": base["participants"][0]["id"]}]),
                  f"plays “pilot”, which is not a role of scenario {sid}"))
    cases.append(("marker criterion", change("markers", 0, criterion="charisma"), "not in the rubric"))
    cases.append(("rating score", change("ratings", 0, score=7), "“score” must be a whole number from 1 to 5"))
    cases.append(("polarity", change("markers", 0, polarity="great"), "“polarity” is “great”"))
    cases.append(("rubric", change("scenarios", 0, rubric=[{"id": "x", "label": "X", "channel": "aura"}]),
                  "“rubric”: The criterion “X” must be verbal or non_verbal"))
    cases.append(("clip", change("rounds", 0, clip=missing), "“clip” refers to"))
    cases.append(("not a list", {**base, "markers": {"a": 1}}, "“markers” must be a list."))
    return cases


def test_bad_role_play_records_are_named_and_change_nothing(sqlite_store: Store, tmp_path: Path) -> None:
    p = played(sqlite_store, tmp_path / "clips")
    base = workshop_document(sqlite_store, p.t.workshop)
    target = Store.open(f"sqlite:///{tmp_path / 'target.db'}")
    try:
        before = row_counts(target)
        for name, bad, words in _bad_files(base):
            with pytest.raises(PortableError) as err:
                import_workshop(target, write(tmp_path / f"{name}.json", bad))
            assert words in str(err.value), name
            assert row_counts(target) == before, name
    finally:
        target.close()
