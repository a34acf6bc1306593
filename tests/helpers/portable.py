"""Portable workshop documents built by hand, for tests with a known ground truth, and the
store counts that show whether an import changed anything."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item, set_groups
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from db.models import SYNCED_MODELS
from db.store import Store

TZ = timezone(timedelta(hours=1))
TOKYO = timezone(timedelta(hours=9))


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


def row_counts(store: Store) -> dict[str, int]:
    """Rows per synced table, tombstones included: an import that changes nothing keeps them."""
    with store.read() as s:
        return {
            m.__tablename__: s.scalar(  # type: ignore[attr-defined]
                select(func.count()).select_from(m).execution_options(include_deleted=True)
            ) or 0
            for m in SYNCED_MODELS
        }


def max_seq(store: Store) -> int:
    """The highest sync sequence number: an import that changes nothing leaves it alone."""
    with store.read() as s:
        return max(s.scalar(select(func.max(m.seq))) or 0 for m in SYNCED_MODELS)  # type: ignore[attr-defined]


def logged_workshop(store: Store) -> uuid.UUID:
    """A workshop in another zone with accents, consent, groups and a builds-on chain."""
    wid = create_workshop(store, "Négociation à Zürich — 東京", facilitator="Zoë Clarke",
                          started_at=datetime(2026, 11, 22, 9, tzinfo=TOKYO))
    item_id = add_agenda_item(store, wid, "role_play", "Jeu de rôle", instructions="Vendeur / client", minutes=15)
    a = add_participant(store, wid, "Constanza García", email="constanza@example.es")
    b = add_participant(store, wid, "Søren Ødegård")
    set_consent(store, a, video=True, community=False, analytics=True, by="Zoë")
    set_groups(store, item_id, [[a, b]])
    live = LiveWorkshop(store, wid)
    first = live.log(a)
    live.log(b, "prompted", kind="failure", builds_on=first.id)
    return wid
