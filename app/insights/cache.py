"""Each finished workshop's analysis, kept in the store, so a period's report reads summaries.

Why: the L&D export over a year (500 workshops, 200,000 contributions) spent most of its time
fetching every contribution again and re-running the same analysis of workshops that ended
months ago. A workshop's analysis depends only on its own rows (:mod:`app.influence.summary`
explains why), so it is computed once, stored with a *fingerprint* of those rows, and reused
while the fingerprint still matches. Reading the fingerprints costs one grouped scan, about
what a plain count per participant costs.

The fingerprint (:func:`db.queries.kept_analyses.fingerprints` says what goes into it) changes
with any change to the rows a workshop's analysis depends on, so the workshop is analysed
afresh; a report that read the fingerprint before such a change stores its analysis under the
old fingerprint, which no later report matches.

The cache is an optimisation, never a source of truth: a row that cannot be read is
recomputed, and a store that cannot be written (a read-only L&D role, a full disk) just
gets no cache (one warning in the log).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import asdict

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.influence.params import Rules, Weights
from app.influence.summary import ENGINE_VERSION, PIECE_COLUMNS, Piece, decode, encode
from db.queries import kept_analyses
from db.store import Store
from db.types import utcnow

log = logging.getLogger(__name__)

_WAIT_MS = 500  # at most this long for another writer's lock when keeping analyses


def params_key(window_s: float, weights: Weights, rules: Rules) -> str:
    """What else the analysis depends on: the engine, the ripple window, the weights, the rules."""
    text = json.dumps(
        [ENGINE_VERSION, window_s, asdict(weights), asdict(rules), PIECE_COLUMNS],
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def read(s: Session, wanted: dict[str, str], params: str) -> dict[str, Piece]:
    """The kept pieces whose fingerprint is still ``wanted[workshop]`` (and that this version
    can read)."""
    out: dict[str, Piece] = {}
    ids = [uuid.UUID(w) for w in wanted]
    for wid, fp, payload in kept_analyses.payloads(s, ids, params):
        key = str(wid)
        if wanted.get(key) == fp:
            piece = decode(payload)
            if piece is not None:
                out[key] = piece
    return out


def look_up(
    s: Session, workshops: Sequence[str], params: str
) -> tuple[dict[str, str], dict[str, Piece]] | None:
    """The workshops' fingerprints and their kept pieces that still match; ``None`` when the
    cache cannot be read at all (a role without rights on it, a damaged table), which costs
    only speed: everything is analysed from the rows."""
    try:
        with s.begin_nested():
            wanted = kept_analyses.fingerprints(s, workshops)
            return wanted, read(s, wanted, params)
    except SQLAlchemyError as exc:
        log.warning("The kept workshop analyses could not be read (everything is analysed afresh): %s",
                    str(exc).splitlines()[0])
        return None


def save(store: Store, entries: Sequence[tuple[str, str, Piece]], params: str) -> bool:
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
    try:
        # Never make the report wait on a sync or another writer for a cache: give up fast.
        with store.write_or_give_up(_WAIT_MS) as conn:
            kept_analyses.keep(conn, rows)
    except SQLAlchemyError as exc:
        log.warning("The workshop analyses could not be kept in the store (they are recomputed next "
                    "time): %s", str(exc).splitlines()[0])
        return False
    return True


def clear(store: Store) -> int:
    """Forget every kept analysis (they are recomputed on the next report)."""
    with store.write() as s:
        return kept_analyses.forget_all(s)
