"""A merge's new version is later than both versions it merges, and two versions of the same
content settle on the later stamp without a third (issue #10).

Why: the shared store's clock is the one in the process of the laptop pushing, and it has not
seen what other laptops' processes wrote there. A merge stamped with it could be older than
the row it replaced; every laptop holding the replaced row then kept its later stamp and made
yet another version, which took one more round of syncs to settle."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from app.planning.workshops import create_workshop, update_workshop
from db.hlc import HybridLogicalClock
from db.models import Workshop
from db.store import Store
from db.sync.apply import Applied, _merge_one
from db.sync.engine import sync
from db.sync.remote import open_remote
from db.sync.rows import BY_NAME
from tests.helpers.sync import state

HOUR_MS = 3_600_000


def test_tick_is_later_than_the_stamps_it_is_given() -> None:
    clock = HybridLogicalClock("here", lambda: 1_000)
    assert clock.tick("000000000005000-00003-there", "not a stamp") == "000000000005000-00004-here"
    assert clock.tick() == "000000000005000-00005-here"  # and stays past it
    assert clock.tick("000000000000001-00000-old") == "000000000005000-00006-here"


def _workshop(store: Store, wid: uuid.UUID) -> Workshop:
    with store.read() as s:
        row = s.scalars(select(Workshop).where(Workshop.id == wid)).one()
        s.expunge(row)
        return row


def test_a_merge_through_a_handle_that_never_saw_the_row_dominates_it(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    """Laptop a (3 h ahead) pushes its title through one handle on the shared store, laptop
    b's older title arrives through another opened before: the merge keeps a's title under a
    stamp later than a's, and one more sync of each leaves every store identical."""
    old_handle = open_remote(remote_url)
    a, b = laptops("a", skew_ms=3 * HOUR_MS), laptops("b")
    wid = create_workshop(a, "Stamps")
    for store in (a, b):
        sync(store, old_handle)
    update_workshop(a, wid, title="A's title")
    other = open_remote(remote_url, create=False)
    try:
        sync(a, other)
    finally:
        other.close()
    a_stamp = _workshop(a, wid).hlc
    update_workshop(b, wid, title="B's title")  # earlier by the clocks: a's edit wins
    try:
        sync(b, old_handle)
        merged = _workshop(old_handle, wid)
        assert merged.title == "A's title"
        assert merged.hlc > a_stamp
        for store in (a, b):
            sync(store, old_handle)
        assert state(a) == state(b) == state(old_handle)
        assert _workshop(a, wid).hlc == merged.hlc  # adopted as it was, no new version
    finally:
        old_handle.close()


def _row(table: str = "workshops", **values: object) -> tuple[object, ...]:
    spec = BY_NAME[table]
    base: dict[str, object] = dict.fromkeys(spec.columns)
    base.update(id=uuid.UUID(int=1).hex, title="Same", seq=7, created_at="2026-01-01 00:00:00.000000",
                versions='{"_":"000000000000100-00000-x","title":"000000000000200-00000-x"}')
    base.update(values)
    return tuple(base[c] for c in spec.columns)


def test_the_same_content_under_two_stamps_keeps_the_later_without_a_new_one() -> None:
    """Where both sides hold the same fields at the same field stamps, the merge takes no new
    stamp: the shared store keeps its later version as it is, and a laptop holding the later
    one sends it on (a fresh seq, the same stamp and origin)."""
    spec = BY_NAME["workshops"]
    later = _row(hlc="000000000000900-00000-y", origin="y")
    earlier = _row(hlc="000000000000500-00000-z", origin="z")

    def no_stamp(*_after: str) -> str:
        raise AssertionError("no new stamp for the same content")

    assert _merge_one(spec, later, earlier, own_device="shared", stamp=no_stamp, out=Applied()) is None
    result = _merge_one(spec, later, earlier, own_device="laptop", stamp=no_stamp, out=Applied(), relays=True)
    assert result is not None
    merged, new_version = result
    assert new_version and (merged["hlc"], merged["origin"]) == ("000000000000900-00000-y", "y")
    # The other way round the later version is simply adopted.
    adopted = _merge_one(spec, earlier, later, own_device="laptop", stamp=no_stamp, out=Applied(), relays=True)
    assert adopted is not None and adopted[1] is False and adopted[0]["hlc"] == "000000000000900-00000-y"


def test_a_new_version_keeps_the_field_stamps_the_merge_made() -> None:
    """A row whose fields were all at its own stamp writes no versions; its merge with an
    older, different row is a new version, and its fields keep their stamps under it (not
    all moved up to the new stamp, which would beat later edits made elsewhere)."""
    spec = BY_NAME["agenda_items"]
    local = _row("agenda_items", hlc="000000000000900-00000-y", origin="y", versions=None, title="New")
    incoming = _row("agenda_items", hlc="000000000000500-00000-z", origin="z", versions=None, title="Old",
                    created_at="2025-01-01 00:00:00.000000")
    result = _merge_one(spec, local, incoming, own_device="s", stamp=lambda *after: "000000000000950-00000-s",
                        out=Applied())
    assert result is not None
    merged, new_version = result
    assert new_version and merged["title"] == "New" and merged["hlc"] == "000000000000950-00000-s"
    assert merged["versions"] == '{"_":"000000000000900-00000-y"}'
