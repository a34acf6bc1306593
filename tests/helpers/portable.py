"""Build portable workshop documents by hand, for tests with a known ground truth."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

TZ = timezone(timedelta(hours=1))


def doc(
    *,
    people: list[dict[str, Any]] | None = None,
    agenda: list[dict[str, Any]] | None = None,
    contributions: list[dict[str, Any]] | None = None,
    start: datetime | None = None,
    title: str = "Sprint",
    team: str = "Sales",
    wid: str | None = None,
) -> dict[str, Any]:
    start = start or datetime(2026, 11, 22, 9, 0, tzinfo=TZ)
    return {
        "format": "ripple-workshop",
        "version": 1,
        "workshop": {"id": wid or str(uuid.uuid4()), "title": title, "facilitator": "Marta Ruiz",
                     "team": team, "started_at": start.isoformat()},
        "participants": people or [],
        "agenda": agenda or [],
        "contributions": contributions or [],
        "clips": [],
        "reactions": [],
    }


def person(name: str, *, analytics: bool = True, video: bool = True, pid: str | None = None,
           email: str | None = None, team: str = "Sales") -> dict[str, Any]:
    return {"id": pid or str(uuid.uuid4()), "name": name, "email": email, "team": team,
            "consent": {"video": video, "community": False, "analytics": analytics,
                        "at": "2026-11-01T10:00:00+01:00", "by": "Marta Ruiz"}}


def item(kind: str = "challenge", title: str = "Challenge", groups: list[list[str]] | None = None,
         minutes: float = 20) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "kind": kind, "title": title, "instructions": "", "minutes": minutes,
            "groups": groups or []}


def contribution(who: str, item_id: str, at: datetime, *, initiative: str = "spontaneous",
                 kind: str = "story", builds_on: str | None = None, cid: str | None = None) -> dict[str, Any]:
    return {"id": cid or str(uuid.uuid4()), "at": at.isoformat(), "participant": who, "agenda_item": item_id,
            "kind": kind, "initiative": initiative, "builds_on": builds_on}


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path
