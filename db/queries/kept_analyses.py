"""The ``analysis_cache`` table and the fingerprints that say whether a kept analysis still holds.

The fingerprint of a workshop is, per table that feeds the analysis (contributions,
reactions, clips, roster, agenda items, groups): how many rows (tombstones included) and the
highest change sequence; plus the workshop's analysis mark. Every local write takes a new,
higher sequence, and so does every row a laptop pushes into a shared store. Rows a laptop
pulls keep sequence 0 there (they are not its changes to push), so the pull gives every
workshop it touched a new mark (:class:`db.models.AnalysisMark`, in the pull's transaction).
The one write that takes neither, an erasure tombstoning the person's clips in place, changes
the clips' tombstone count, which is counted too. What a payload holds is the analytics'
business (``app/insights/cache.py``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, cast, delete, func, literal, select, type_coerce, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from db.models import (
    AgendaGroup,
    AgendaItem,
    AnalysisCache,
    AnalysisMark,
    Clip,
    Contribution,
    Reaction,
    WorkshopParticipant,
)
from db.sql import upsert

CHUNK = 500  # ids per IN list, rows per INSERT


def fingerprints(s: Session, workshops: Sequence[str]) -> dict[str, str]:
    """Canonical workshop id -> fingerprint, for ``workshops`` (one grouped scan per table,
    sent as one statement; tombstoned rows count too, so a deletion changes it)."""
    parts: dict[str, dict[str, str]] = defaultdict(dict)
    sqlite = s.get_bind().dialect.name == "sqlite"
    item = AgendaItem.__table__.c
    selects = []
    for tag, model in (("k", Contribution), ("r", Reaction), ("c", Clip), ("p", WorkshopParticipant),
                       ("i", AgendaItem), ("g", AgendaGroup)):
        t = model.__table__.c
        wcol = item.workshop_id if model is AgendaGroup else t.workshop_id
        # Tombstones count only for clips: everything else is tombstoned with a new change
        # sequence, but an erasure tombstones its clips in place (db/sync/rows.scrub_erased).
        gone = func.count(t.deleted_at) if model is Clip else literal(0)
        raw_w = type_coerce(wcol, String) if sqlite else cast(wcol, String)  # no per-row UUID objects
        stmt = select(literal(tag).label("tag"), raw_w.label("w"), func.count().label("n"),
                      gone.label("gone"), func.max(t.seq).label("top"))
        if model is AgendaGroup:
            stmt = stmt.select_from(model.__table__.join(AgendaItem.__table__, item.id == t.agenda_item_id))
        selects.append(stmt.group_by(wcol))
    wanted = set(workshops)
    canon: dict[str, str] = {}
    for tag, wid, n, gone, top in s.connection().execute(union_all(*selects)).cursor.fetchall():
        key = canon.get(wid)
        if key is None:
            key = canon[wid] = str(uuid.UUID(wid))
        if key in wanted:
            parts[key][tag] = f"{int(n)}.{int(gone)}.{int(top or 0)}"
    # Rows a sync pull brought in keep change sequence 0 here; the pull leaves a new mark.
    for wid, token in s.execute(select(AnalysisMark.workshop_id, AnalysisMark.token)):
        key = str(wid)
        if key in wanted:
            parts[key]["m"] = token
    return {wid: "|".join(f"{k}{v}" for k, v in sorted(parts.get(wid, {}).items())) for wid in workshops}


def payloads(s: Session, ids: list[uuid.UUID], params: str) -> list[tuple[Any, str, bytes]]:
    """(workshop id, fingerprint, payload) of the kept analyses of ``ids`` under ``params``."""
    conn = s.connection()
    if conn.dialect.name == "postgresql":
        # psycopg's binary protocol: a year's payloads (megabytes) arrive as bytes, not as hex
        # text to decode, which halves the read.
        raw: Any = conn.connection.dbapi_connection
        with raw.cursor(binary=True) as cur:
            cur.execute(
                "SELECT workshop_id, fingerprint, payload FROM analysis_cache "
                "WHERE params = %s AND workshop_id = ANY(%s)",
                (params, ids),
            )
            return [(r[0], r[1], bytes(r[2])) for r in cur.fetchall()]
    a = AnalysisCache
    rows: list[tuple[Any, str, bytes]] = []
    for i in range(0, len(ids), CHUNK):
        rows += [
            (wid, fp, payload)
            for wid, fp, payload in s.execute(
                select(a.workshop_id, a.fingerprint, a.payload).where(
                    a.workshop_id.in_(ids[i : i + CHUNK]), a.params == params
                )
            )
        ]
    return rows


def keep(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert or replace analysis_cache rows (one per workshop), in chunks."""
    for i in range(0, len(rows), CHUNK):
        upsert(conn, AnalysisCache, "workshop_id", rows[i : i + CHUNK])


def forget_all(s: Session) -> int:
    """Delete every kept analysis; how many there were."""
    result: Any = s.execute(delete(AnalysisCache))
    return int(result.rowcount or 0)
