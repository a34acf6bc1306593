"""Each finished workshop's analysis, kept in the store, so a period's report reads summaries.

Why: the L&D export over a year (500 workshops, 200,000 contributions) spent most of its time
fetching every contribution again and re-running the same analysis of workshops that ended
months ago. A workshop's analysis depends only on its own rows (:class:`app.influence.engine.Summary`
explains why), so it is computed once, stored with a *fingerprint* of those rows, and reused
while the fingerprint still matches. Reading the fingerprints costs one grouped scan, about
what a plain count per participant costs.

The fingerprint of a workshop is, per table that feeds the analysis (contributions,
reactions, clips, roster, agenda items, groups): how many rows (tombstones included) and the
highest change sequence; plus the workshop's analysis mark. Every local write takes a new,
higher sequence, and so does every row a laptop pushes into a shared store. Rows a laptop
pulls keep sequence 0 there (they are not its changes to push), so the pull gives every
workshop it touched a new mark (:class:`db.models.AnalysisMark`, in the pull's transaction).
The one write that takes neither, an erasure tombstoning the person's clips in place, changes
the clips' tombstone count, which is counted too. Any of these changes the fingerprint, and
the workshop is analysed afresh; a report that read the fingerprint before such a change
stores its analysis under the old fingerprint, which no later report matches.

The cache is an optimisation, never a source of truth: a row that cannot be read is
recomputed, and a store that cannot be written (a read-only L&D role, a full disk) just
gets no cache (one warning in the log).
"""

from __future__ import annotations

import hashlib
import json
import logging
import struct
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
from sqlalchemy import String, cast, delete, func, literal, select, type_coerce, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.influence import engine as inf
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
from db.store import Store
from db.types import utcnow

log = logging.getLogger(__name__)

#: Bump when :func:`app.influence.engine.run` or the payload layout changes meaning: every cached
#: analysis is then recomputed.
ENGINE_VERSION = 3

_WIDTH = len(inf.PIECE_COLUMNS)
_IN_CHUNK = 500
_WAIT_MS = 500  # at most this long for another writer's lock when keeping analyses


def params_key(window_s: float, weights: inf.Weights, rules: inf.Rules) -> str:
    """What else the analysis depends on: the engine, the ripple window, the weights, the rules."""
    text = json.dumps(
        [ENGINE_VERSION, window_s, asdict(weights), asdict(rules), inf.PIECE_COLUMNS],
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


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


# ---------------------------------------------------------------- the payload


def encode(piece: inf.Piece) -> bytes:
    """A piece as bytes: a small JSON header (people, sizes), then the numbers as raw arrays."""
    header = json.dumps(
        {
            "v": ENGINE_VERSION,
            "people": piece.people,
            "width": _WIDTH,
            "pairs": [len(piece.pairs1), len(piece.pairs_x), len(piece.pairs2)],
            "contributions": piece.contributions,
        },
        separators=(",", ":"),
    ).encode()
    return b"".join(
        [
            struct.pack("<I", len(header)),
            header,
            np.ascontiguousarray(piece.values, dtype="<f8").tobytes(),
            np.concatenate([piece.pairs1, piece.pairs_x, piece.pairs2]).astype("<i4").tobytes(),
        ]
    )


def decode(data: bytes) -> inf.Piece | None:
    """The piece, or ``None`` for a payload this version cannot read (it is then recomputed)."""
    try:
        (size,) = struct.unpack_from("<I", data, 0)
        header = json.loads(bytes(data[4 : 4 + size]))
        if header.get("v") != ENGINE_VERSION or header.get("width") != _WIDTH:
            return None
        people = [str(p) for p in header["people"]]
        n1, nx, n2 = (int(x) for x in header["pairs"])
        at = 4 + size
        values = np.frombuffer(data, dtype="<f8", count=len(people) * _WIDTH, offset=at).reshape(len(people), _WIDTH)
        at += values.nbytes
        raw_pairs = np.frombuffer(data, dtype="<i4", count=n1 + nx + n2, offset=at)
        if at + raw_pairs.nbytes != len(data):
            return None
        pairs = raw_pairs.astype(np.int64)
    except (ValueError, KeyError, TypeError, struct.error):
        return None
    return inf.Piece(
        people=people,
        values=values,
        pairs1=pairs[:n1],
        pairs_x=pairs[n1 : n1 + nx],
        pairs2=pairs[n1 + nx :],
        contributions=int(header["contributions"]),
    )


# ---------------------------------------------------------------- reading and writing


def read(s: Session, wanted: dict[str, str], params: str) -> dict[str, inf.Piece]:
    """The cached pieces whose fingerprint is still ``wanted[workshop]``."""
    out: dict[str, inf.Piece] = {}
    ids = [uuid.UUID(w) for w in wanted]
    for wid, fp, payload in _payloads(s, ids, params):
        key = str(wid)
        if wanted.get(key) == fp:
            piece = decode(payload)
            if piece is not None:
                out[key] = piece
    return out


def _payloads(s: Session, ids: list[uuid.UUID], params: str) -> list[tuple[Any, str, bytes]]:
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
    for i in range(0, len(ids), _IN_CHUNK):
        rows += [
            (wid, fp, payload)
            for wid, fp, payload in s.execute(
                select(a.workshop_id, a.fingerprint, a.payload).where(
                    a.workshop_id.in_(ids[i : i + _IN_CHUNK]), a.params == params
                )
            )
        ]
    return rows


def look_up(
    s: Session, workshops: Sequence[str], params: str
) -> tuple[dict[str, str], dict[str, inf.Piece]] | None:
    """The workshops' fingerprints and their kept pieces that still match; ``None`` when the
    cache cannot be read at all (a role without rights on it, a damaged table), which costs
    only speed: everything is analysed from the rows."""
    try:
        with s.begin_nested():
            wanted = fingerprints(s, workshops)
            return wanted, read(s, wanted, params)
    except SQLAlchemyError as exc:
        log.warning("The kept workshop analyses could not be read (everything is analysed afresh): %s",
                    str(exc).splitlines()[0])
        return None


def save(store: Store, entries: Sequence[tuple[str, str, inf.Piece]], params: str) -> bool:
    """Keep (workshop, fingerprint, piece) rows; ``False`` if the store would not take them.

    Best effort by design: the report is already computed, so a read-only role, a locked or
    full store only costs the next report the same work again.
    """
    if not entries:
        return True
    now = utcnow()
    rows = [
        {"workshop_id": uuid.UUID(w), "params": params, "fingerprint": fp, "payload": encode(piece),
         "computed_at": now}
        for w, fp, piece in entries
    ]
    maker = sqlite_insert if store.is_sqlite else pg_insert
    stmt = maker(AnalysisCache)
    stmt = stmt.on_conflict_do_update(
        index_elements=[AnalysisCache.workshop_id],
        set_={k: stmt.excluded[k] for k in ("params", "fingerprint", "payload", "computed_at")},
    )
    try:
        # Never make the report wait on a sync or another writer for a cache: give up fast.
        with store.write_or_give_up(_WAIT_MS) as conn:
            for i in range(0, len(rows), _IN_CHUNK):
                conn.execute(stmt, rows[i : i + _IN_CHUNK])
    except SQLAlchemyError as exc:
        log.warning("The workshop analyses could not be kept in the store (they are recomputed next "
                    "time): %s", str(exc).splitlines()[0])
        return False
    return True


def clear(store: Store) -> int:
    """Forget every cached analysis (they are recomputed on the next report)."""
    with store.write() as s:
        result: Any = s.execute(delete(AnalysisCache))
        return int(result.rowcount or 0)


__all__ = [
    "ENGINE_VERSION", "clear", "decode", "encode", "fingerprints", "look_up", "params_key", "read", "save",
]
