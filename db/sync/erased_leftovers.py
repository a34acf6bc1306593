"""What a laptop logged offline for someone erased elsewhere: deleted once the erasure is known.

An erasure (app/erasure.py) moves what stays of the person to a new random id and leaves the
old id on an erased tombstone (erased *and* deleted), with no row saying which new id it
was. A laptop that was offline meanwhile may log a share, a reaction, a roster place… for
the old id. When it reaches a store that knows the erasure, :func:`db.sync.rows.scrub_erased`
empties it, but it stays live on the old id — and it cannot be moved to the anonymous id,
since nothing links the two. So it is deleted, like the rest of the person's data that the
erasure did not keep:

* :func:`delete_erased_leftovers` runs at the end of a **complete** pull (every batch
  applied, the watermark reached). Every live row then still owned by an old erased id is one
  the erasing laptop never had (it moved every row it had, in the erasure's transaction), so
  this store deletes it as its own edit — a tombstone with this store's stamp, free text and
  kept fields emptied — and the engine pushes again at once, so the shared store has the
  tombstone when that sync ends; the old id also leaves groups and role-play casts. A store
  that meets the row before the tombstone does the same, and the merge keeps one tombstone
  (the newest stamp), so all converge.
* The safety of "never had": a store that sees the tombstone must also see every move. The
  erasure writes both in one local transaction; :func:`whole_if_erasing` makes the push batch
  that carries an erasure's tombstone carry everything else still to push, so the tombstone and
  the moves land in one remote transaction (batches of 2,000 rows could otherwise put the
  tombstone first, and a laptop pulling in between would delete the erasing laptop's
  anonymised shares before their move arrived). A pull reads in seq order, which is the
  shared store's commit order, up to its watermark, so after a complete pull it holds the
  whole transaction or none of it. An erasure made directly on the shared store
  (``ripple --db postgresql… participant erase``) is one transaction there too.

Erasures made before erasure moved people (the erased row kept live, not deleted) keep their
anonymous rows on the erased id: only erased *and deleted* ids count as old ones.

Limits (each errs towards deleting, never towards keeping personal data): two laptops that
erase the same person independently, both offline, each move what they had to their own
random id; a store that hears of one erasure first deletes what only the other had (it
counts one share less, nothing about the person stays). A laptop that syncs with two shared
stores and whose pull from one was cut off may hold a tombstone without all its moves when
it completes a pull from the other.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Connection, Table, Text, cast, null, select

from db.models import (
    SYNCED_MODELS,
    AgendaGroup,
    Participant,
    Round,
    Synced,
)
from db.store import Store
from db.sync.rows import BY_NAME, Batch, count_newer, read_batch
from db.types import utcnow

#: Per table, the columns that make a row *the person's own* (deleted with them). Every
#: foreign key to ``participants`` is in exactly one of OWNED or REFERENCES (a test checks),
#: so a table added later needs a decision here.
OWNED: dict[str, tuple[str, ...]] = {
    "consent_events": ("participant_id",),
    "workshop_participants": ("participant_id",),
    "contributions": ("participant_id",),
    "clips": ("participant_id",),
    "reactions": ("participant_id",),
    "markers": ("by_id",),
    "ratings": ("rater_id", "player_id"),
    "commitments": ("participant_id",),
}
#: Columns that only mention the person in someone else's row (the scrub clears them).
REFERENCES: dict[str, tuple[str, ...]] = {"commitments": ("buddy_id",)}
#: Fields cleared besides free text and kept fields (a roster place's console key).
_ALSO_CLEARED: dict[str, dict[str, Any]] = {
    "workshop_participants": {"hotkey": None},
    "clips": {"thumbnail": None, "title": ""},
}


_UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")
_PEOPLE: Table = BY_NAME[Participant.__tablename__].table


def _old_ids() -> Any:
    """Ids left on erased tombstones (the anonymous ids are erased but live). Core, not ORM:
    the session's hiding of tombstones must not apply to it."""
    p = _PEOPLE
    return select(p.c.id).where(p.c.erased_at.isnot(None), p.c.deleted_at.isnot(None))


def delete_erased_leftovers(store: Store) -> int:
    """After a complete pull: delete, as this store's edits, every live row that still belongs
    to an old erased id, and take the id out of groups and casts; returns rows changed.

    Looked for in a read first: the write lock (which a live tap waits behind) is taken only
    when there is something to delete, which is rare."""
    return sum(delete_leftovers_among(store, None).values())


def delete_leftovers_among(store: Store, only: Mapping[str, Collection[uuid.UUID]] | None) -> dict[str, int]:
    """:func:`delete_erased_leftovers`, for the rows whose ids ``only`` lists per table (all
    rows when ``None``); returns rows changed per table.

    Why the choice: a portable import (app/portable/apply.py) deletes what an old file brought
    for someone erased here, as the next sync would, but only those rows: after a pull that
    was cut off, a row still on an old id may be one whose move to the anonymous id has not
    arrived yet, which only a complete pull may judge."""
    with store.engine.connect() as conn:
        found = _find(conn)
    if only is not None:
        found = {name: [i for i in ids if i in wanted] for name, ids in found.items()
                 if (wanted := set(only.get(name, ())))}
    if not any(found.values()):
        return {}
    changed: dict[str, int] = {}
    with store.write() as s:
        old = set(s.execute(_old_ids()).scalars())
        now = utcnow()
        for model in SYNCED_MODELS:
            name = model.__tablename__  # type: ignore[attr-defined]
            ids = found.get(name)
            if not ids:
                continue
            n = 0
            for row in s.scalars(select(model).where(model.id.in_(ids)).execution_options(include_deleted=True)):
                if model is AgendaGroup:
                    n += _leave_group(row, old)  # type: ignore[arg-type]
                elif model is Round:
                    n += _leave_cast(row, old)  # type: ignore[arg-type]
                elif row.deleted_at is None and _owned_by(row, old):
                    _tombstone(row, now)
                    n += 1
            if n:
                changed[name] = n
    return changed


def _find(conn: Connection) -> dict[str, list[Any]]:
    """Per table, the ids of the rows to change (none when no erased tombstone exists)."""
    found: dict[str, list[Any]] = {}
    old = set(conn.execute(_old_ids()).scalars())
    if not old:
        return found
    for name, cols in OWNED.items():
        t = BY_NAME[name].table
        for col in cols:
            found.setdefault(name, []).extend(
                conn.scalars(select(t.c.id).where(t.c[col].in_(_old_ids()), t.c.deleted_at.is_(None))))
    # Ids kept in JSON (a group's members, a round's cast): found in the text, without
    # decoding every row (10,000 groups: ~15 ms instead of ~300).
    hexes = {i.hex for i in old}
    for name, col in (("agenda_groups", "members"), ("rounds", "casting")):
        t = BY_NAME[name].table
        found[name] = [i for i, text in conn.execute(select(t.c.id, cast(t.c[col], Text)))
                       if text and any(m.replace("-", "").lower() in hexes for m in _UUID_TEXT.findall(text))]
    return found


def _owned_by(row: Synced, old: set[uuid.UUID]) -> bool:
    return any(getattr(row, col) in old for col in OWNED.get(row.__tablename__, ()))  # type: ignore[attr-defined]


def _tombstone(row: Synced, now: Any) -> None:
    """Deleted, with the same emptying the erasure gives what it keeps (free text, kept fields)."""
    name = row.__tablename__  # type: ignore[attr-defined]
    row.deleted_at = now
    clear: dict[str, Any] = dict(_ALSO_CLEARED.get(name, {}))
    for col in BY_NAME[name].table.columns:
        if isinstance(col.type, Text):
            clear[col.name] = ""
    for key, value in clear.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
    if row.extra is not None:
        row.extra = null()  # SQL NULL (None would be JSON 'null')


def _is_old(value: Any, old: set[uuid.UUID]) -> bool:
    try:
        return uuid.UUID(str(value)) in old
    except ValueError:
        return False


def _leave_group(group: AgendaGroup, old: set[uuid.UUID]) -> int:
    members = list(group.members or [])
    kept = [m for m in members if not _is_old(m, old)]
    if kept == members:
        return 0
    group.members = kept
    return 1


def _leave_cast(rnd: Round, old: set[uuid.UUID]) -> int:
    """Out of the cast (as an import of an older file does, app/portable/roleplay.py); the
    round's recording is already tombstoned by the scrub."""
    cast = list(rnd.casting or [])
    kept = [c for c in cast if not (isinstance(c, dict) and _is_old(c.get("participant"), old))]
    if kept == cast:
        return 0
    rnd.casting = kept
    return 1


# ---------------------------------------------------------------- the push side

def _carries_erasure(batch: Batch) -> bool:
    rows = batch.rows.get(Participant.__tablename__)
    if not rows:
        return False
    spec = BY_NAME[Participant.__tablename__]
    erased, deleted = spec.columns.index("erased_at"), spec.columns.index("deleted_at")
    return any(r[erased] is not None and r[deleted] is not None for r in rows)


def whole_if_erasing(conn: Connection, batch: Batch, *, after: int) -> Batch:
    """The push batch, or — when it carries an erasure's tombstone (in the batch proper or as
    a parent brought along) — everything still to push after ``after``, in one batch, so the
    erasure's moves reach the shared store in the same transaction (see the module's
    docstring). Call inside the snapshot the batch was read in."""
    if not _carries_erasure(batch):
        return batch
    waiting = count_newer(conn, after)
    if batch.count >= waiting:
        return batch
    return read_batch(conn, after=after, limit=waiting + 1)

