"""Scenario workshops with a known ground truth, built as portable files and imported.

A script is a list of ``(second, who, initiative, kind, builds_on_label)`` lines; labels let a
later line build on an earlier one. Everyone is on the roster of every workshop they are in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.portable.apply import import_workshop
from db.store import Store
from tests.helpers.portable import TZ, contribution, doc, item, person, write

START = datetime(2026, 9, 1, 9, 0, tzinfo=TZ)


@dataclass
class Cast:
    """People by short name, with stable ids (the same person across workshops)."""

    people: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, key: str, name: str, *, analytics: bool = True, team: str = "Sales") -> Cast:
        email = f"{key.lower()}@example.com"
        self.people[key] = person(name, analytics=analytics, team=team, email=email,
                                  pid=str(uuid.uuid5(uuid.NAMESPACE_DNS, email)))
        return self

    def id(self, key: str) -> uuid.UUID:
        return uuid.UUID(self.people[key]["id"])

    def name(self, key: str) -> str:
        return str(self.people[key]["name"])


Line = tuple[int, str, str, str, str | None] | tuple[int, str, str, str, str | None, str]


def workshop(
    cast: Cast,
    script: list[Line],
    *,
    present: list[str] | None = None,
    day: int = 0,
    title: str = "Sprint",
    groups: list[list[str]] | None = None,
    minutes: float = 40,
) -> dict[str, Any]:
    """One workshop with one agenda item; ``script`` lines may end with a label for builds."""
    keys = present or sorted({line[1] for line in script} | set(cast.people))
    it = item("debrief", "Debrief", minutes=minutes,
              groups=[[cast.people[k]["id"] for k in g] for g in groups] if groups else None)
    start = START + timedelta(days=day)
    labels: dict[str, str] = {}
    rows = []
    for line in script:
        at, who, initiative, kind, builds = line[:5]
        label = line[5] if len(line) > 5 else None  # type: ignore[misc]
        cid = str(uuid.uuid4())
        if label:
            labels[str(label)] = cid
        rows.append(contribution(cast.people[who]["id"], it["id"], start + timedelta(seconds=at),
                                 initiative=initiative, kind=kind,
                                 builds_on=labels[builds] if builds else None, cid=cid))
    return doc(people=[cast.people[k] for k in keys], agenda=[it], contributions=rows, start=start,
               title=title, team="Sales")


def load_into(store: Store, tmp: Path, *docs: dict[str, Any]) -> list[uuid.UUID]:
    ids = []
    for i, d in enumerate(docs):
        path = write(tmp / f"w{i}-{d['workshop']['id'][:8]}.json", d)
        ids.append(import_workshop(store, path).workshop_id)
    return ids


def quiet_and_loud(cast: Cast | None = None, extra: list[Line] | None = None) -> tuple[Cast, dict[str, Any]]:
    """Quinn shares rarely but every share is built on; Lou talks a lot, mostly when called on.
    ``extra`` lines (with people added to ``cast`` beforehand) join the same workshop."""
    cast = cast or Cast()
    for key, name in (("Q", "Quinn Quiet"), ("L", "Lou Loud"), ("A", "Ada Lovelace"), ("B", "Ben Okafor"),
                      ("C", "Chen Wei"), ("D", "Dara Byrne")):
        cast.add(key, name)
    script: list[Line] = []
    for n, t in enumerate((100, 700, 1300, 1900)):
        script.append((t, "Q", "spontaneous", "story", None, f"q{n}"))
        script.append((t + 30, "A", "spontaneous", "tip", f"q{n}"))
        script.append((t + 60, "B", "spontaneous", "story", f"q{n}"))
    for n in range(12):
        script.append((400 + n * 150 + (n % 3) * 7, "L", "prompted", "story", None))
    script.append((2300, "L", "spontaneous", "tip", None))
    script.append((2500, "C", "prompted", "question", None))
    return cast, workshop(cast, script + (extra or []), minutes=70)
