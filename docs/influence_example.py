"""The worked example of docs/influence.md, computed by the real engine.

    .venv/bin/python docs/influence_example.py          # print the Markdown block
    .venv/bin/python docs/influence_example.py --write  # replace it in docs/influence.md

``tests/app/influence/test_doc.py`` fails when the document and the code disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.influence.batch import Share
from app.influence.engine import COMPONENTS
from app.influence.params import RIPPLE_WINDOW_S, RULES, WEIGHTS, Rules, Weights
from app.influence.workshop import analyse_workshop

DOC = Path(__file__).with_name("influence.md")
T0 = 1_790_000_000.0  # a Tuesday morning; only differences matter

# (mm:ss, id, who, initiative, kind, builds on)
SCRIPT = (
    ("00:30", "a1", "Ana", "spontaneous", "story", None),
    ("01:10", "b1", "Ben", "spontaneous", "tip", "a1"),
    ("01:40", "c1", "Cy", "spontaneous", "story", None),
    ("02:30", "d1", "Dee", "spontaneous", "tip", "b1"),
    ("06:10", "d2", "Dee", "prompted", "question", None),
    ("05:30", "e1", "Eli", "spontaneous", "failure", None),
    ("06:00", "a2", "Ana", "spontaneous", "tip", "e1"),
    ("06:40", "c2", "Cy", "spontaneous", "story", None),
    ("10:00", "b2", "Ben", "prompted", "question", None),
)
PEOPLE = ("Ana", "Ben", "Cy", "Dee", "Eli", "Fay")


def _seconds(mmss: str) -> int:
    m, s = mmss.split(":")
    return int(m) * 60 + int(s)


def shares() -> list[Share]:
    return [
        Share(cid, "w", "debrief", who, T0 + _seconds(at), initiative == "spontaneous", kind, builds)
        for at, cid, who, initiative, kind, builds in SCRIPT
    ]


def example() -> str:
    w = analyse_workshop("w", shares(), {}, present=PEOPLE, start=T0)
    out: list[str] = []
    out.append("Contributions (one agenda item, no groups, so everyone is one group):\n")
    out.append("| time | id | who | initiative | kind | builds on |")
    out.append("|---|---|---|---|---|---|")
    for at, cid, who, initiative, kind, builds in SCRIPT:
        out.append(f"| {at} | {cid} | {who} | {initiative} | {kind} | {builds or ''} |")
    out.append("\nRipple links the engine finds (`ripple_links`):\n")
    out.append("| source | target | how | credit |")
    out.append("|---|---|---|---|")
    for x in sorted(w.links, key=lambda x: (x.target, x.source)):
        out.append(f"| {x.source} ({x.source_person}) | {x.target} ({x.target_person}) | "
                   f"{'explicit' if x.explicit else 'inferred'} | {x.credit:g} |")
    out.append("\nProfiles, points and the workshop index "
               f"(room median {w.room_median:g}, floored at {RULES.min_room_median:g}):\n")
    cols = ("spont.", "prompted", "explicit", "inferred credit", "set off (1st)", "2nd order", "first moves",
            "centrality", "score", "index")
    out.append("| who | " + " | ".join(cols) + " |")
    out.append("|---" * (len(cols) + 1) + "|")
    for who in PEOPLE:
        p = w.profiles[who]
        first = ", ".join(sorted(p.reach_first)) or "–"
        second = ", ".join(sorted(p.reach_second)) or "–"
        out.append(
            f"| {who} | {p.spontaneous} | {p.prompted} | {p.explicit_ripples} | {p.inferred_credit:g} | {first} | "
            f"{second} | {p.first_moves} | {p.centrality:.3f} | {p.score:.3f} | {p.index:.3f} |"
        )
    ana = w.profiles["Ana"]
    out.append("\nAna's points, component by component:\n")
    out.append("| component | points |")
    out.append("|---|---|")
    for k in COMPONENTS:
        v = ana.components[k]
        if v:
            out.append(f"| {k} | {v:.3f} |")
    out.append(f"| **score** | **{ana.score:.3f}** |")
    return "\n".join(out)


def weights_table() -> str:
    """The weights and rules as they are in app/influence/params.py (the one place they live)."""
    from dataclasses import fields

    out = ["| weight (points per unit) | value |", "|---|---|"]
    for f in fields(Weights):
        out.append(f"| `{f.name}` | {getattr(WEIGHTS, f.name):g} |")
    out += ["", "| rule | value |", "|---|---|"]
    for f in fields(Rules):
        out.append(f"| `{f.name}` | {getattr(RULES, f.name):g} |")
    out.append(f"| `RIPPLE_WINDOW_S` | {RIPPLE_WINDOW_S:g} |")
    return "\n".join(out)


BLOCKS = {"example": example, "weights": weights_table}


def render(text: str) -> str:
    """``text`` with every generated block replaced by what the code produces now."""
    for name, fn in BLOCKS.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        a, b = text.index(start) + len(start), text.index(end)
        text = text[:a] + "\n" + fn() + "\n" + text[b:]
    return text


def write() -> None:
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write()
    else:
        print(example())
        print()
        print(weights_table())
