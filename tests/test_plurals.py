"""Counts read as English: "1 participant", "3 participants", never "participant(s)"."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEDGED = re.compile(r"\w\(s\)")
"""A noun hedging its number: "participant(s)", "clip file(s)" (``app.text.plural`` instead)."""


TEXT = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def test_no_message_hedges_its_plural() -> None:
    """Every string (and f-string text) in app/ and ui/: none says "thing(s)"."""
    found = []
    for package in ("app", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
            for tok in tokens:
                if tok.type in TEXT and HEDGED.search(tok.string.replace("http(s)", "")):
                    found.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.string}")
    assert found == []
