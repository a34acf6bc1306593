"""Columns as cheaply as each backend hands them over, and ids back in canonical form.

Why: a year's report reads 200,000 contributions. Letting the driver build a ``uuid.UUID`` and
a ``datetime`` per row costs more than the whole analysis, so ids come back as the driver's
text and times as numbers computed by the database, and the few distinct ids are made
canonical once (:class:`Canon`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, Float, Numeric, String, cast, func, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement


def is_sqlite(s: Session) -> bool:
    return s.get_bind().dialect.name == "sqlite"


def raw_id(s: Session, col: Any) -> ColumnElement[Any]:
    """A UUID column as the driver's text, without per-row conversion in Python."""
    if is_sqlite(s):
        return type_coerce(col, String)
    return cast(col, String)


def epoch(s: Session, col: Any) -> ColumnElement[Any]:
    """Seconds since the epoch, rounded to milliseconds, computed by the database."""
    if is_sqlite(s):
        return type_coerce(func.round((func.julianday(col) - 2440587.5) * 86400.0, 3), Float)
    return cast(func.round(cast(func.extract("epoch", col), Numeric), 3), Float)


def instant(s: Session, col: Any) -> ColumnElement[Any]:
    """A time column as cheaply as the backend can hand it over: SQLite's stored UTC text
    (numpy parses 200,000 of them in milliseconds), PostgreSQL's whole milliseconds; turn
    them into milliseconds with :func:`to_ms`."""
    if is_sqlite(s):
        return type_coerce(col, String)
    return cast(func.floor(func.extract("epoch", col) * 1000), BigInteger)


def to_ms(s: Session, values: Sequence[Any]) -> np.ndarray:
    """Whole milliseconds since the epoch (sub-millisecond parts are dropped on both backends)."""
    if is_sqlite(s):
        micro = np.array(values, dtype="datetime64[us]").astype(np.int64)
        return micro // 1000
    return np.asarray(values, dtype=np.int64)


_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Canon:
    """Canonical ``str(uuid)`` for the few distinct people, items and workshops (cached, so a
    column of 200,000 rows costs one dictionary look-up per row)."""

    def __init__(self) -> None:
        self._cache: dict[Any, str] = {}

    def __call__(self, raw: Any) -> str:
        if raw is None:
            return ""
        out = self._cache.get(raw)
        if out is None:
            if isinstance(raw, uuid.UUID):
                out = str(raw)
            elif isinstance(raw, str) and _CANONICAL.fullmatch(raw):
                out = raw  # PostgreSQL's text for a uuid is already canonical
            else:
                out = str(uuid.UUID(str(raw)))
            self._cache[raw] = out
        return out

    def lenient(self, raw: Any) -> str:
        """Like calling it, but "" for something that is not an id (a damaged group list)."""
        try:
            return self(raw)
        except (ValueError, AttributeError, TypeError):
            return ""

    def column(self, values: Sequence[Any]) -> list[Any]:
        """A whole column, ``None`` kept as ``None``."""
        for raw in set(values):
            if raw is not None and raw not in self._cache:
                self(raw)
        cache = self._cache
        return [cache[v] if v is not None else None for v in values]
