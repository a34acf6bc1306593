"""Noticing a copied or restored laptop store before it pushes, and giving it a new identity.

Why: the shared store follows each laptop by its device id (``sync_push_marks``: how far
that laptop's own change sequence has arrived). Two stores with one device id — a laptop's
store copied to a new laptop, or restored from the laptop's backup — number their changes
from the same point; the shared store's mark is the other one's, so one of them never sends
its own changes ("Already in sync").

How: at every sync, before pushing, a laptop *claims* its device id on the shared store with
a new random token, compare-and-swap: the claim succeeds only if the token there is one this
store issued itself (it keeps the last few it issued, written locally before the claim, so a
crash at any point, or two processes of the same laptop syncing at once, never look like a
copy). A copy never issued the token the other store claimed after the copy was made, so its
claim fails: it takes a new device id, marks the changes it has not pushed yet as its own
(so the other store, which never pulls rows of its own id, fetches them), and pushes
everything it holds under the new id; what the shared store has already is a no-op there.
Whichever of the two claims first after the copy keeps the old id, so the shared store's
mark always describes the store that holds it.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update

from db.models import StoreMeta, SyncPushMark, SyncRemote
from db.sql import insert_ignore, run_sql, upsert
from db.store import Store
from db.sync.rows import SPECS, begin_apply
from db.types import utcnow

log = logging.getLogger("ripple.sync")

#: How many tokens a store remembers having issued (a shared store restored from a backup
#: taken up to this many syncs ago still recognises the laptop).
KEEP_TOKENS = 50
_TOKENS_KEY = "push_tokens"


@dataclass(frozen=True)
class NewIdentity:
    """This store was a copy of another laptop's: it was ``old`` and now syncs as ``new``."""

    old: str
    new: str

    def sentence(self) -> str:
        return (f" This laptop's store is a copy of another laptop's (both were device {self.old}), so it "
                f"now syncs as device {self.new} and sent everything it holds.")


def _issued(local: Store) -> list[str]:
    with local.engine.connect() as conn:
        value = conn.execute(select(StoreMeta.value).where(StoreMeta.key == _TOKENS_KEY)).scalar()
    return (value or "").split()


def _remember(local: Store, token: str) -> list[str]:
    """Add ``token`` to the ones this store issued (committed before it is claimed)."""
    with local.writer.begin() as conn:
        value = conn.execute(select(StoreMeta.value).where(StoreMeta.key == _TOKENS_KEY)).scalar()
        tokens = [*((value or "").split()), token][-KEEP_TOKENS:]
        upsert(conn, StoreMeta, "key", {"key": _TOKENS_KEY, "value": " ".join(tokens)})
    return tokens


def _try_claim(local: Store, remote: Store) -> bool:
    """Claim this store's device id on the shared store; False when another store holds it."""
    token = uuid.uuid4().hex
    issued = set(_remember(local, token))
    with remote.writer.begin() as conn:
        begin_apply(conn)
        insert_ignore(conn, SyncPushMark, {"device_id": local.device_id, "pushed_seq": 0,
                                           "pushed_at": utcnow(), "token": None})
        query = select(SyncPushMark.token).where(SyncPushMark.device_id == local.device_id)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        held = conn.execute(query).first()
        if held is None:
            return False  # the row is there but not ours to see (another role's): a copy
        if held.token is not None and held.token not in issued and held.token not in _issued(local):
            # (Read again: another process of this laptop may have claimed since, with a token
            # it wrote here first.)
            return False
        values: dict[str, Any] = {"token": token}
        if conn.dialect.name == "postgresql":
            values["owner"] = func.current_user()  # the row-level policy keeps it to this role
        moved = conn.execute(
            update(SyncPushMark).where(SyncPushMark.device_id == local.device_id).values(**values)
        ).rowcount
        return bool(moved)


def claim_identity(local: Store, remote: Store) -> NewIdentity | None:
    """Claim this store's device id before a push; a copy takes a new one (see the module)."""
    local.refresh_identity()  # another process of this laptop may have renamed it already
    if _try_claim(local, remote):
        return None
    old = local.device_id
    with local.engine.connect() as conn:
        confirmed = conn.scalar(
            select(SyncRemote.pushed_seq).where(SyncRemote.remote_id == remote.device_id)
        )
    new = uuid.uuid4().hex[:12]
    local.take_identity(new)
    _own_unpushed(local, old, int(confirmed or 0))
    if not _try_claim(local, remote):  # pragma: no cover - a fresh random id is never held
        raise RuntimeError("a new device id was already claimed on the shared store")
    log.warning("this store shared device id %s with another laptop's; it is now %s", old, new)
    return NewIdentity(old, new)


def _own_unpushed(local: Store, old: str, confirmed: int) -> None:
    """The changes this store made that the shared store had not confirmed before it was
    copied become this store's new id's (the other store never pulls rows of the old id)."""
    with local.writer.begin() as conn:
        for spec in SPECS:
            run_sql(conn, f"UPDATE {spec.name} SET origin = %(new)s WHERE origin = %(old)s AND seq > %(after)s",
                    {"new": local.device_id, "old": old, "after": confirmed})


def report_pulled(local: Store, remote: Store, pulled: int) -> None:
    """Tell the shared store how far this laptop has pulled (what compaction waits for)."""
    with remote.writer.begin() as conn:
        begin_apply(conn)
        conn.execute(update(SyncPushMark).where(SyncPushMark.device_id == local.device_id)
                     .values(pulled_seq=pulled))
