"""Undo and redo of the live console, kept in the store so that they survive a restart.

Undo: the history is *derived from the store*, not remembered by the process: the workshop's
newest live contributions that were logged on this laptop (the node of the row's creation
stamp is this store's device id), at most :data:`UNDO_DEPTH`. So after a crash, a
``kill -9`` or a normal close, Ctrl+Z still takes back the last entry logged here; an entry
another laptop logged is that laptop's to take back, never ours.

Redo: what an undo tombstoned is remembered in ``store_meta`` (local, never synced; ids and
version stamps only, nothing personal), written in the same transaction as the tombstone,
so it survives a restart too. A redo brings an entry back only when that is safe: the row is
still exactly as the undo left it (its version is the undo's own, so no sync, erasure,
merge of duplicates or edit has touched it since), and its person is still on the roster
and not erased. Anything else is refused with one sentence and dropped from the stack. A new
entry logged after an undo clears the redo stack (as every editor does): redoing then would
put an old entry back between newer ones.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.hlc import parse_stamp
from db.merge import BASE, parse_versions
from db.models import Contribution, StoreMeta
from db.store import Store

#: How many of the newest entries logged here Ctrl+Z can take back after a restart.
UNDO_DEPTH = 20
#: How many undone entries a redo can bring back.
REDO_DEPTH = 20


@dataclass(frozen=True)
class Undone:
    """One entry an undo took back: what a redo needs to put it back exactly."""

    id: uuid.UUID
    hlc: str  # the row's version right after the undo: anything newer means it was touched since
    children: tuple[uuid.UUID, ...]  # entries that built on it (the undo cleared their link)

    def dump(self) -> dict[str, object]:
        return {"id": str(self.id), "hlc": self.hlc, "children": [str(c) for c in self.children]}

    @classmethod
    def load(cls, raw: object) -> Undone | None:
        if not isinstance(raw, dict):
            return None
        try:
            return cls(uuid.UUID(str(raw["id"])), str(raw["hlc"]),
                       tuple(uuid.UUID(str(c)) for c in raw.get("children", ())))
        except (KeyError, TypeError, ValueError):
            return None


def created_on(row: Contribution) -> str:
    """The device id of the laptop that logged ``row`` (the node of its creation stamp: the
    row's base version, which later edits of some fields never move), "" if unreadable."""
    stamp = parse_versions(row.versions).get(BASE) or row.hlc or ""
    try:
        return parse_stamp(stamp)[2]
    except ValueError:
        return ""


class LiveHistory:
    """The undo and redo stacks of one workshop on this laptop."""

    def __init__(self, store: Store, workshop_id: uuid.UUID) -> None:
        self.store = store
        self.key = f"redo:{workshop_id}"
        self.undo: list[uuid.UUID] = []  # oldest first: the last is what Ctrl+Z takes back
        self.redo: list[Undone] = []  # oldest first: the last is what Ctrl+Shift+Z brings back

    def load(self, s: Session, rows: Iterable[Contribution]) -> None:
        """Read both stacks again: ``rows`` are the workshop's live contributions by time."""
        mine = [r.id for r in rows if created_on(r) == self.store.device_id]
        self.undo = mine[-UNDO_DEPTH:]
        meta = s.get(StoreMeta, self.key)
        try:
            raw = json.loads(meta.value) if meta is not None else []
        except ValueError:
            raw = []
        entries = [Undone.load(r) for r in raw] if isinstance(raw, list) else []
        self.redo = [e for e in entries if e is not None][-REDO_DEPTH:]

    def last(self, live: Iterable[uuid.UUID]) -> uuid.UUID | None:
        """The newest entry on the undo stack that still exists (deleted ones are skipped)."""
        alive = set(live)
        while self.undo and self.undo[-1] not in alive:
            self.undo.pop()
        return self.undo[-1] if self.undo else None

    def logged(self, cid: uuid.UUID) -> None:
        """A new entry was logged here: it is what Ctrl+Z takes back next; redo ends."""
        self.undo.append(cid)
        if self.redo:
            with self.store.write() as s:
                self._save(s, [])

    def undone(self, s: Session, entry: Undone) -> None:
        """Inside the undo's own transaction: remember what a redo needs."""
        if self.undo and self.undo[-1] == entry.id:
            self.undo.pop()
        self._save(s, [*self.redo, entry][-REDO_DEPTH:])

    def redone(self, s: Session, entry: Undone) -> None:
        """Inside the redo's transaction: the entry is back, so Ctrl+Z may take it again."""
        self._save(s, [e for e in self.redo if e != entry])
        self.undo.append(entry.id)

    def drop(self, entry: Undone) -> None:
        """An entry that cannot be redone safely leaves the stack (its own transaction)."""
        with self.store.write() as s:
            self._save(s, [e for e in self.redo if e != entry])

    def _save(self, s: Session, entries: list[Undone]) -> None:
        meta = s.get(StoreMeta, self.key)
        if not entries:
            if meta is not None:
                s.delete(meta)
        elif meta is None:
            s.add(StoreMeta(key=self.key, value=json.dumps([e.dump() for e in entries])))
        else:
            meta.value = json.dumps([e.dump() for e in entries])
        self.redo = entries


__all__ = ["REDO_DEPTH", "UNDO_DEPTH", "LiveHistory", "Undone", "created_on"]
