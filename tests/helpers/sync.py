"""Laptops and shared stores for the sync tests: real SQLite files and the live PostgreSQL."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.hlc import HybridLogicalClock
from db.models import SYNCED_MODELS, Clip
from db.store import Store


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[Callable[..., Store]]:
    """``laptops("a")`` opens (or makes) laptop a's own store; closed after the test."""
    opened: list[Store] = []

    def make(name: str, *, skew_ms: int = 0) -> Store:
        store = Store.open(f"sqlite:///{tmp_path / (name + '.db')}")
        if skew_ms:
            skew_clock(store, skew_ms)
        opened.append(store)
        return store

    yield make
    for s in opened:
        s.close()


def skew_clock(store: Store, skew_ms: int) -> None:
    """This laptop's wall clock runs ``skew_ms`` off (hours, for the skew tests)."""
    import time

    store.clock = HybridLogicalClock(store.device_id, lambda: time.time_ns() // 1_000_000 + skew_ms)
    store._observe_latest_version()


def state(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every synced row (tombstones too) with every column but the store-local seq."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for model in SYNCED_MODELS:
            table = model.__table__  # type: ignore[attr-defined]
            cols = [c for c in table.columns if c.name != "seq"]
            # Ordered by the text of each value: None and ids may meet in one column.
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(*cols))),
                                     key=lambda r: tuple((v is not None, str(v)) for v in r))
    return out


def clips_root(tmp_path: Path, name: str) -> Path:
    root = tmp_path / f"{name}-clips"
    root.mkdir(exist_ok=True)
    return root


def add_clip_file(root: Path, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    path = root / sha[:2] / f"{sha}.mp4"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return sha


def add_clip(store: Store, workshop_id: uuid.UUID, participant_id: uuid.UUID, root: Path,
             data: bytes | None = None) -> tuple[uuid.UUID, str]:
    """A clip row and its file, as the booth leaves them."""
    sha = add_clip_file(root, data if data is not None else os.urandom(50_000))
    with store.write() as s:
        c = Clip(workshop_id=workshop_id, participant_id=participant_id, at=datetime.now(UTC),
                 seconds=3.0, sha256=sha, title="My tip", thumbnail=b"\x89PNG fake")
        s.add(c)
        s.flush()
        return c.id, sha
