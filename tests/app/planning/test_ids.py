"""Ids as people type them: unique prefixes, and a sentence when they name nothing."""

from __future__ import annotations

import pytest

from app.errors import NotFound
from app.planning.ids import resolve_workshop
from app.planning.workshops import create_workshop
from db.store import Store


def test_ids_can_be_given_as_unique_prefixes(sqlite_store: Store) -> None:
    wid = create_workshop(sqlite_store, "Prefix")
    assert resolve_workshop(sqlite_store, str(wid)[:8]) == wid
    with pytest.raises(NotFound, match="no workshop"):
        resolve_workshop(sqlite_store, "ffffffff")
    with pytest.raises(NotFound, match="not a workshop id"):
        resolve_workshop(sqlite_store, "x")
