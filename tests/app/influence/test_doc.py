"""docs/influence.md shows what the engine really computes (its generated blocks are current)."""

from __future__ import annotations

import importlib.util

from tests.helpers import REPO_ROOT

DOCS = REPO_ROOT / "docs"


def _example_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("influence_example", DOCS / "influence_example.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_method_document_matches_the_code() -> None:
    mod = _example_module()
    text = (DOCS / "influence.md").read_text(encoding="utf-8")
    assert mod.render(text) == text, "run: .venv/bin/python docs/influence_example.py --write"


def test_the_worked_example_says_what_the_prose_claims() -> None:
    from app.influence.workshop import analyse_workshop
    w = analyse_workshop("w", _example_module().shares(), {}, present=("Ana", "Ben", "Cy", "Dee", "Eli", "Fay"))
    ana = w.profiles["Ana"]
    assert ana.reach_first == {"Ben", "Cy"} and ana.reach_second == {"Dee"}
    links = {(x.source, x.target): x for x in w.links}
    assert links[("a1", "c1")].credit == 0.5 and links[("b1", "c1")].credit == 0.5
    assert ("a1", "d1") not in links and links[("b1", "d1")].explicit
    assert not any(x.target in ("d2", "b2") for x in w.links)  # prompted right after a2 and e1: no ripple
    scores = sorted(p.score for p in w.profiles.values())
    assert abs(w.room_median - (scores[2] + scores[3]) / 2) < 1e-6
    assert w.profiles["Fay"].score == 0
